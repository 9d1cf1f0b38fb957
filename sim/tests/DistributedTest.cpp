// exploreDistributed (sim/Distributed.hpp) with K in-process ranks gives explore()'s Result, on
// every rank, whatever K, bound, stop or batch size (Stats::memoryBytes aside: each rank accounts
// for its own share).

#include "sim/Distributed.hpp"

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::test {
namespace {

/// Every rank's Result of exploreDistributed with `ranks` in-process ranks.
template <class M>
std::vector<Result<M>> exploreOnRanks(const M& model, const Options& options, int ranks,
                                      const DistributedOptions& distributed = {}) {
  std::vector<Result<M>> results(static_cast<std::size_t>(ranks));
  runInProcess(ranks, [&](Transport& transport) {
    results[static_cast<std::size_t>(transport.rank())] = exploreDistributed(model, options, transport, distributed);
  });
  return results;
}

/// `r` without what may differ from explore()'s: the memory figure, and the graph off rank 0.
template <class M>
Result<M> comparable(Result<M> r, bool keepGraph) {
  r.stats.memoryBytes = 0;
  if (!keepGraph) r.graph.reset();
  return r;
}

/// Whether every rank's Result equals explore()'s, for K = 1..4; says where it does not.
template <class M>
::testing::AssertionResult sameAsExplore(const M& model, const Options& options,
                                          const DistributedOptions& distributed = {}) {
  const auto expected = comparable(explore(model, options), true);
  for (int ranks = 1; ranks <= 4; ++ranks) {
    const auto results = exploreOnRanks(model, options, ranks, distributed);
    for (int rank = 0; rank < ranks; ++rank) {
      const auto& got = results[static_cast<std::size_t>(rank)];
      if (rank != 0 && got.graph.has_value())
        return ::testing::AssertionFailure() << "K=" << ranks << ": rank " << rank << " holds a graph";
      if (!(comparable(got, rank == 0) == comparable(expected, rank == 0))) {
        return ::testing::AssertionFailure()
               << "K=" << ranks << ", rank " << rank << ": " << to_string(got.completion) << " "
               << got.stats.states << " states " << got.stats.transitions << " transitions depth "
               << got.stats.maxDepth << " terminal " << got.stats.terminalStates << " deadlock "
               << got.stats.deadlockStates << " cx " << got.counterexamples.size() << "; explore(): "
               << to_string(expected.completion) << " " << expected.stats.states << " states "
               << expected.stats.transitions << " transitions depth " << expected.stats.maxDepth << " terminal "
               << expected.stats.terminalStates << " deadlock " << expected.stats.deadlockStates << " cx "
               << expected.counterexamples.size();
      }
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(DistributedTest, TransportCountsThePayloadSentToOtherRanks) {
  std::vector<std::uint64_t> sent(3);
  runInProcess(3, [&](Transport& transport) {
    const auto me = static_cast<std::size_t>(transport.rank());
    std::vector<Bytes> outgoing(3);
    for (std::size_t to = 0; to < 3; ++to) outgoing[to].resize(10 * me + to);  // to itself: not counted
    const std::vector<Bytes> incoming = transport.exchange(std::move(outgoing));
    for (std::size_t from = 0; from < 3; ++from) EXPECT_EQ(incoming[from].size(), 10 * from + me);
    const Bytes mine(me + 1);
    (void)transport.allgather(mine);  // to each of the two others
    sent[me] = transport.bytesSentToOthers();
  });
  EXPECT_EQ(sent, (std::vector<std::uint64_t>{(1 + 2) + 2 * 1, (10 + 12) + 2 * 2, (20 + 21) + 2 * 3}));
}

TEST(DistributedTest, ToyModelAsExplore) {
  for (const bool initialViolates : {false, true}) {
    for (const bool collidingHash : {false, true}) {
      const ToyModel model(ToyConfig{initialViolates, collidingHash});
      for (const bool recordGraph : {false, true}) {
        Options options;
        options.recordGraph = recordGraph;
        EXPECT_TRUE(sameAsExplore(model, options));
        for (std::uint64_t depth = 1; depth <= 4; ++depth) {
          options.bounds.maxDepth = depth;
          EXPECT_TRUE(sameAsExplore(model, options)) << "maxDepth " << depth;
        }
        options.bounds.maxDepth = 0;
        for (std::uint64_t states = 1; states <= 7; ++states) {
          options.bounds.maxStates = states;
          EXPECT_TRUE(sameAsExplore(model, options)) << "maxStates " << states;
        }
        options.bounds.maxStates = 0;
        const std::atomic<bool> stopNow{true};  // an interrupt before the first expansion
        options.bounds.stopRequested = &stopNow;
        EXPECT_TRUE(sameAsExplore(model, options)) << "interrupted";
        options.bounds.stopRequested = nullptr;
        for (PropertyIndex p = 0; p < model.propertyCount(); ++p) {
          options.stopAtViolationOf.assign(model.propertyCount(), false);
          options.stopAtViolationOf[p] = true;
          EXPECT_TRUE(sameAsExplore(model, options)) << "stop at " << p;
        }
      }
    }
  }
}

/// Like CausesTest's line model: states 0..n on a line, steps of 1 or 2; a transition property
/// violated into every multiple of 3 (cause: the target modulo 2) and a state property from 4 on,
/// classified by the step that first reached the state (later states inherit it: no finding).
struct ClassifyingLineModel {
  using State = std::uint32_t;
  using Action = std::uint32_t;
  std::uint32_t last = 30;

  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return s; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    for (std::uint32_t step = 1; step <= 2; ++step) {
      const State next = s + step;
      if (next > last) continue;
      std::vector<Finding> findings;
      if (next % 3 == 0)
        findings.push_back(Finding{0, emit.wanted(0) ? "into " + std::to_string(next) : "", next % 2});
      if (next % 7 == 0) findings.push_back(Finding{0, "seven " + std::to_string(next), 7 + next % 5});
      emit(step, next, findings);
    }
    emit(0, s);  // a self-loop
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s >= 4) out.push_back(Finding{1, "at " + std::to_string(s)});
  }
  void classifyStateFindings(const State* parent, const Action* action, const State&,
                             std::vector<Finding>& findings) const {
    if (parent == nullptr) return;
    if (*parent >= 4) {
      findings.clear();
      return;
    }
    for (Finding& f : findings) f.cause = 100 + *action;
  }
  std::size_t propertyCount() const { return 2; }
  std::string propertyName(PropertyIndex p) const { return p == 0 ? "step-into-three" : "below-four"; }
};

TEST(DistributedTest, CausesAndClassificationAsExplore) {
  const ClassifyingLineModel model;
  for (const bool allCauses : {false, true}) {
    Options options;
    options.allCauses = allCauses;
    EXPECT_TRUE(sameAsExplore(model, options));
    options.stopAtViolationOf = {true, false};
    EXPECT_TRUE(sameAsExplore(model, options));
    options.stopAtViolationOf = {false, true};
    EXPECT_TRUE(sameAsExplore(model, options));
    options.stopAtViolationOf = {};
    options.bounds.maxStates = 9;
    EXPECT_TRUE(sameAsExplore(model, options));
  }
}

TEST(DistributedTest, SmallBatchesChangeNothing) {
  const ClassifyingLineModel model{200};
  Options options;
  options.recordGraph = true;
  EXPECT_TRUE(sameAsExplore(model, options, DistributedOptions{1}));
  EXPECT_TRUE(sameAsExplore(model, options, DistributedOptions{64}));
}

RC_GTEST_PROP(DistributedTest, RandomGraphsAsExplore, ()) {
  const RandomGraph graph = *genRandomGraph();
  const RandomGraphModel model(graph);
  Options options;
  options.bounds.maxDepth = *rc::gen::inRange<std::uint64_t>(0, 6);
  options.bounds.maxStates = *rc::gen::inRange<std::uint64_t>(0, 30);
  options.recordGraph = *rc::gen::arbitrary<bool>();
  options.allCauses = *rc::gen::arbitrary<bool>();
  options.stateStorage = *rc::gen::element(StateStorage::Compressed, StateStorage::Plain);
  if (*rc::gen::arbitrary<bool>()) {
    options.stopAtViolationOf = {*rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()};
  }
  const DistributedOptions distributed{*rc::gen::element<std::size_t>(1, 40, std::size_t{1} << 20)};
  RC_ASSERT(sameAsExplore(model, options, distributed));
}

/// A random graph model with a per-thread Expander whose effect is the vertex it expanded: what
/// the model absorbed says which expansions the search counted as done.
class RecordingGraphModel : public RandomGraphModel {
 public:
  using RandomGraphModel::RandomGraphModel;
  struct Expander {
    const RandomGraphModel* model;
    std::uint32_t expand(const State& v, Emitter<Action, State>& emit) {
      model->expand(v, emit);
      return v;
    }
  };
  Expander expander() const { return Expander{this}; }
  void absorb(std::uint32_t v) const { absorbed.push_back(v); }
  mutable std::vector<std::uint32_t> absorbed;
};
static_assert(ModelWithExpander<RecordingGraphModel>);

RC_GTEST_PROP(DistributedTest, RanksAbsorbTheExpansionsExploreAbsorbs, ()) {
  const RandomGraph graph = *genRandomGraph();
  Options options;
  options.bounds.maxDepth = *rc::gen::inRange<std::uint64_t>(0, 6);
  options.bounds.maxStates = *rc::gen::inRange<std::uint64_t>(0, 30);
  if (*rc::gen::arbitrary<bool>()) options.stopAtViolationOf = {*rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()};
  const RecordingGraphModel single(graph);
  (void)explore(single, options);
  std::vector<std::uint32_t> expected = single.absorbed;
  std::sort(expected.begin(), expected.end());
  const int ranks = *rc::gen::inRange(1, 5);
  // Each rank its own model, as each MPI process has: absorb() need not be thread-safe.
  std::vector<std::unique_ptr<RecordingGraphModel>> models;
  for (int r = 0; r < ranks; ++r) models.push_back(std::make_unique<RecordingGraphModel>(graph));
  runInProcess(ranks, [&](Transport& transport) {
    (void)exploreDistributed(*models[static_cast<std::size_t>(transport.rank())], options, transport);
  });
  std::vector<std::uint32_t> absorbed;
  for (const auto& m : models) absorbed.insert(absorbed.end(), m->absorbed.begin(), m->absorbed.end());
  std::sort(absorbed.begin(), absorbed.end());
  RC_ASSERT(absorbed == expected);
}

/// RecordingGraphModel that also takes each expansion's global state index
/// (ModelAbsorbingByIndex), as a model numbering its effects by absorption order needs.
class IndexRecordingGraphModel : public RecordingGraphModel {
 public:
  using RecordingGraphModel::RecordingGraphModel;
  void absorbExpansionOf(StateIndex state, std::uint32_t v) const { byIndex.emplace_back(state, v); }
  mutable std::vector<std::pair<StateIndex, std::uint32_t>> byIndex;
};
static_assert(ModelAbsorbingByIndex<IndexRecordingGraphModel>);
static_assert(!ModelAbsorbingByIndex<RecordingGraphModel>);

RC_GTEST_PROP(DistributedTest, ExpansionIndicesOrderTheEffectsAsExploreAbsorbsThem, ()) {
  const RandomGraph graph = *genRandomGraph();
  Options options;
  options.bounds.maxDepth = *rc::gen::inRange<std::uint64_t>(0, 6);
  options.bounds.maxStates = *rc::gen::inRange<std::uint64_t>(0, 30);
  if (*rc::gen::arbitrary<bool>()) options.stopAtViolationOf = {*rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()};
  const IndexRecordingGraphModel single(graph);
  (void)explore(single, options);
  const int ranks = *rc::gen::inRange(1, 5);
  std::vector<std::unique_ptr<IndexRecordingGraphModel>> models;
  for (int r = 0; r < ranks; ++r) models.push_back(std::make_unique<IndexRecordingGraphModel>(graph));
  runInProcess(ranks, [&](Transport& transport) {
    (void)exploreDistributed(*models[static_cast<std::size_t>(transport.rank())], options, transport);
  });
  std::vector<std::pair<StateIndex, std::uint32_t>> byIndex;
  for (const auto& m : models) {
    RC_ASSERT(m->absorbed.empty());  // the distributed search absorbed every expansion by index
    byIndex.insert(byIndex.end(), m->byIndex.begin(), m->byIndex.end());
  }
  std::sort(byIndex.begin(), byIndex.end());
  std::vector<std::uint32_t> inIndexOrder;
  for (const auto& [state, v] : byIndex) inIndexOrder.push_back(v);
  RC_ASSERT(inIndexOrder == single.absorbed);  // explore()'s absorption order
}

/// A model whose State owns memory (a std::string: it crosses ranks by WireCodec<std::string>, and
/// is stored whole): words over {a, b} of up to 6 letters; append a letter or drop the first.
struct WordModel {
  using State = std::string;
  using Action = char;
  State initial() const { return ""; }
  std::uint64_t hash(const State& s) const {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a: deterministic, unlike std::hash
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
  }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (s.size() < 6) {
      emit('a', s + 'a');
      emit('b', s + 'b', s.ends_with("ab") ? std::vector<Finding>{Finding{1, "abb from " + s}} : std::vector<Finding>{});
    }
    if (!s.empty()) emit('-', s.substr(1));
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s.find("bab") != std::string::npos) out.push_back(Finding{0, "bab in " + s});
  }
  std::size_t propertyCount() const { return 2; }
  std::string propertyName(PropertyIndex p) const { return p == 0 ? "no bab" : "no abb"; }
};

TEST(DistributedTest, StatesThatOwnMemoryAsExplore) {
  const WordModel model;
  Options options;
  options.recordGraph = true;
  EXPECT_TRUE(sameAsExplore(model, options));
  EXPECT_TRUE(sameAsExplore(model, options, DistributedOptions{100}));
  options.bounds.maxStates = 50;
  EXPECT_TRUE(sameAsExplore(model, options));
  options.bounds.maxStates = 0;
  options.stopAtViolationOf = {true, true};
  EXPECT_TRUE(sameAsExplore(model, options));
}

/// States of 48 bytes (their bytes are their value, so they travel as differences) whose steps
/// change bytes near each other, far apart, at both ends, or none (a self-loop).
class WideStateModel {
 public:
  struct State {
    std::array<std::uint8_t, 48> bytes{};
    friend bool operator==(const State&, const State&) = default;
  };
  using Action = std::uint32_t;

  State initial() const { return State{}; }
  std::uint64_t hash(const State& s) const {
    std::uint64_t h = 1469598103934665603ull;
    for (const std::uint8_t b : s.bytes) h = (h ^ b) * 1099511628211ull;
    return h;
  }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    unsigned sum = 0;
    for (const std::uint8_t b : s.bytes) sum += b;
    if (sum > 9) return;
    for (Action a = 0; a < 5; ++a) {
      State next = s;
      const std::size_t at = (a * 13 + sum) % 48;
      switch (a) {
        case 0: next.bytes[at] += 1; break;
        case 1: next.bytes[at] += 1; next.bytes[(at + 3) % 48] += 2; break;    // one run
        case 2: next.bytes[at] += 2; next.bytes[(at + 17) % 48] += 1; break;   // two runs
        case 3: next.bytes[0] += 1; next.bytes[47] += 1; break;                 // both ends
        default: break;                                                          // unchanged
      }
      emit(a, std::move(next));
    }
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s.bytes[0] == 2 && s.bytes[47] == 2) out.push_back(Finding{0, "both ends at 2"});
  }
  std::size_t propertyCount() const { return 1; }
  std::string propertyName(PropertyIndex) const { return "not both ends at 2"; }
};

TEST(DistributedTest, StatesSentAsDifferencesAsExplore) {
  const WideStateModel model;
  Options options;
  options.recordGraph = true;
  options.allCauses = true;
  EXPECT_TRUE(sameAsExplore(model, options));
  EXPECT_TRUE(sameAsExplore(model, options, DistributedOptions{64}));
  options.bounds.maxDepth = 4;
  EXPECT_TRUE(sameAsExplore(model, options, DistributedOptions{200}));
}

/// A model whose expansion of one state throws.
struct ThrowingModel {
  using State = std::uint32_t;
  using Action = std::uint32_t;
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return s; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (s == 17) throw std::runtime_error("cannot expand 17");
    for (std::uint32_t k = 1; k <= 3; ++k) emit(k, (s * 3 + k) % 50);
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return ""; }
};

TEST(DistributedTest, AnExceptionOnOneRankEndsEveryRank) {
  const ThrowingModel model;
  for (int ranks = 1; ranks <= 4; ++ranks) {
    try {
      (void)exploreOnRanks(model, Options{}, ranks);
      FAIL() << "no exception with " << ranks << " ranks";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "cannot expand 17");  // the rank's own error, not TransportAborted
    }
  }
}

/// A binary tree of `last` + 1 states (shallow: few levels, many states each).
struct TreeModel {
  using State = std::uint32_t;
  using Action = std::uint32_t;
  std::uint32_t last = 100000;
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return s; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    for (std::uint32_t k = 1; k <= 2; ++k)
      if (2 * s + k <= last) emit(k, 2 * s + k);
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return ""; }
};

TEST(DistributedTest, MemoryBoundStopsEveryRankWithinItsCap) {
  const TreeModel model;
  Options options;
  // An eighth of what the whole search needs: below each rank's share for K <= 3.
  options.bounds.maxMemory = explore(model).stats.memoryBytes / 8;
  for (int ranks = 1; ranks <= 3; ++ranks) {
    const auto results = exploreOnRanks(model, options, ranks);
    for (const auto& r : results) {
      EXPECT_EQ(r.completion, Completion::MemoryBound);
      EXPECT_LE(r.stats.memoryBytes, options.bounds.maxMemory);
      EXPECT_GT(r.stats.states, 0u);
      EXPECT_EQ(comparable(r, false), comparable(results[0], false));
    }
  }
}

}  // namespace
}  // namespace sim::test
