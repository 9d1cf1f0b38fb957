// The search's storage (sim/Storage.hpp): the compressed store gives exactly the results of the
// plain one, the fingerprint store finds what an exact search finds on small graphs and says how
// likely it was to miss a state, and the compressed store costs less.

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"
#include "sim/Explorer.hpp"
#include "sim/Graph.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace sim::test {
namespace {

/// The random graph with a wide state: the vertex spread over several components, some of them
/// shared by many vertices (what compression exploits), so that the compressed store builds a
/// real tree of intern tables. With `hook`, the model cuts the state itself (uneven components).
struct WideState {
  std::uint32_t vertex = 0;
  std::array<std::uint32_t, 5> low{};   // vertex % 3 ...: few distinct values
  std::array<std::uint32_t, 6> high{};  // vertex / 4 ...
  bool operator==(const WideState&) const = default;
};

template <bool kHook>
class WideModel {
 public:
  using State = WideState;
  using Action = std::uint32_t;

  explicit WideModel(const RandomGraph& graph) : narrow_(graph) {}

  static State widen(std::uint32_t v) {
    State s;
    s.vertex = v;
    for (std::uint32_t k = 0; k < s.low.size(); ++k) s.low[k] = (v + k) % 3;
    for (std::uint32_t k = 0; k < s.high.size(); ++k) s.high[k] = v / 4 + k;
    return s;
  }
  State initial() const { return widen(narrow_.initial()); }
  std::uint64_t hash(const State& s) const { return s.vertex; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    auto widened = [&](Action&& a, std::uint32_t&& next, std::vector<Finding>&& findings, bool terminal) {
      emit(a, widen(next), std::move(findings), terminal);
    };
    Emitter<Action, std::uint32_t> narrowEmit(widened);
    narrow_.expand(s.vertex, narrowEmit);
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    narrow_.stateFindings(s.vertex, out);
  }
  std::size_t propertyCount() const { return narrow_.propertyCount(); }
  std::string propertyName(PropertyIndex p) const { return narrow_.propertyName(p); }
  std::vector<StateComponent> stateComponents() const requires kHook {
    return {{0, 4}, {4, 20}, {24, 8}, {32, 16}};
  }

 private:
  RandomGraphModel narrow_;
};

static_assert(ExplorableModel<WideModel<false>> && ExplorableModel<WideModel<true>>);
static_assert(sizeof(WideState) == 48);

/// Bounds drawn for a property run: none, a depth bound or a state bound.
Bounds genBounds() {
  switch (*rc::gen::inRange(0, 3)) {
    case 1:
      return {.maxDepth = *rc::gen::inRange<std::uint64_t>(1, 6)};
    case 2:
      return {.maxStates = *rc::gen::inRange<std::uint64_t>(1, 30)};
    default:
      return {};
  }
}

/// The result without the memory figure (which depends on the store).
template <class M>
Result<M> withoutMemory(Result<M> r) {
  r.stats.memoryBytes = 0;
  return r;
}

template <class M>
Result<M> run(const RandomGraph& g, const Bounds& bounds, StateStorage storage, bool graph = true) {
  return explore(M(g), Options{.bounds = bounds, .recordGraph = graph, .stateStorage = storage});
}

// The compressed store (chunked or by the model's components) gives exactly the plain store's
// result, graph included, bounded or not; and runs are deterministic.
RC_GTEST_PROP(StorageTest, CompressedStoreGivesThePlainStoresResults, ()) {
  const RandomGraph g = *genRandomGraph();
  const Bounds bounds = genBounds();
  const auto plain = run<WideModel<false>>(g, bounds, StateStorage::Plain);
  const auto chunked = run<WideModel<false>>(g, bounds, StateStorage::Compressed);
  const auto hooked = run<WideModel<true>>(g, bounds, StateStorage::Compressed);
  RC_ASSERT(plain.stats.states > 0u);
  RC_ASSERT(withoutMemory(chunked) == withoutMemory(plain));
  const auto hookedPlain = withoutMemory(run<WideModel<true>>(g, bounds, StateStorage::Plain));
  RC_ASSERT(withoutMemory(hooked) == hookedPlain);
  RC_ASSERT(hooked.counterexamples == plain.counterexamples);
  RC_ASSERT(*hooked.graph == *plain.graph);
  RC_ASSERT(chunked == run<WideModel<false>>(g, bounds, StateStorage::Compressed));
  // The narrow model explores the same graph.
  const auto narrow = run<RandomGraphModel>(g, bounds, StateStorage::Compressed);
  RC_ASSERT(narrow.verdicts == plain.verdicts);
  RC_ASSERT(narrow.stats.states == plain.stats.states);
  RC_ASSERT(narrow.stats.transitions == plain.stats.transitions);
  RC_ASSERT(narrow.graph->edges() == plain.graph->edges());
}

// Without the graph too, everything but the memory accounting is the same with and without
// compression.
RC_GTEST_PROP(StorageTest, CompressionChangesOnlyTheMemoryFigure, ()) {
  const RandomGraph g = *genRandomGraph();
  const Bounds bounds = genBounds();
  RC_ASSERT(withoutMemory(run<WideModel<true>>(g, bounds, StateStorage::Plain, false)) ==
            withoutMemory(run<WideModel<true>>(g, bounds, StateStorage::Compressed, false)));
}

// A fingerprint search of a small graph finds what the exact search finds (the same states,
// verdicts and shortest counterexamples, their states re-derived by replay), says how likely it
// was to miss a state, and is deterministic.
RC_GTEST_PROP(StorageTest, FingerprintSearchAgreesWithExactSearchOnSmallGraphs, ()) {
  const RandomGraph g = *genRandomGraph();
  const Bounds bounds = genBounds();
  const auto exact = run<WideModel<false>>(g, bounds, StateStorage::Compressed, false);
  const auto fingerprint = run<WideModel<false>>(g, bounds, StateStorage::Fingerprint, false);
  RC_ASSERT(fingerprint.completion == exact.completion);
  RC_ASSERT(fingerprint.verdicts == exact.verdicts);
  RC_ASSERT(fingerprint.counterexamples == exact.counterexamples);
  RC_ASSERT(fingerprint.stats.states == exact.stats.states);
  RC_ASSERT(fingerprint.stats.transitions == exact.stats.transitions);
  RC_ASSERT(!exact.missProbability.has_value());
  RC_ASSERT(fingerprint.missProbability.has_value());
  const double n = static_cast<double>(exact.stats.states);
  RC_ASSERT(*fingerprint.missProbability == n * n / 36893488147419103232.0);
  RC_ASSERT(fingerprint == run<WideModel<false>>(g, bounds, StateStorage::Fingerprint, false));
}

/// Eight counters 0..3, any one of which may step up or wrap: 4^8 = 65 536 states whose
/// components take few values each (the shape of the kernel model's process records).
class Counters {
 public:
  using State = std::array<std::uint32_t, 8>;
  using Action = std::uint8_t;
  State initial() const { return {}; }
  std::uint64_t hash(const State& s) const {
    std::uint64_t h = 0;
    for (const std::uint32_t c : s) h = h * 4 + c;
    return h;
  }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    for (std::uint8_t k = 0; k < s.size(); ++k) {
      State next = s;
      next[k] = (next[k] + 1) % 4;
      emit(k, next);
      emit(static_cast<Action>(8 + k), s);  // a failing call: the state stays as it was
    }
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return {}; }
};

// The compressed store and the compact graph cost less than the plain store, and the
// graph keeps no self-loop.
TEST(StorageTest, CompressedStoreCostsLessThanThePlainOne) {
  const auto plain = explore(Counters{}, Options{.recordGraph = true, .stateStorage = StateStorage::Plain});
  const auto compressed = explore(Counters{}, Options{.recordGraph = true});
  ASSERT_EQ(compressed.stats.states, 65'536u);
  EXPECT_EQ(compressed.stats.transitions, 65'536u * 16);
  EXPECT_EQ(compressed.graph->edgeCount(), 65'536u * 8);
  EXPECT_EQ(*compressed.graph, *plain.graph);
  EXPECT_LT(compressed.stats.memoryBytes, plain.stats.memoryBytes);
  // A fingerprint search stores no state behind its frontier.
  const auto fingerprint = explore(Counters{}, Options{.stateStorage = StateStorage::Fingerprint});
  EXPECT_EQ(fingerprint.stats.states, 65'536u);
  EXPECT_LT(fingerprint.stats.memoryBytes, plain.stats.memoryBytes);
}

// The compact per-state arrays read back exactly what was appended, whatever the gaps (parents
// may jump far ahead when many states in a row discover nothing) and whatever the ids (a wide
// one is rare but possible), and the accounting covers what they hold.
RC_GTEST_PROP(StorageTest, CompactArraysReadBackWhatWasAppended, ()) {
  const auto gaps = *rc::gen::container<std::vector<std::uint32_t>>(
      rc::gen::weightedOneOf<std::uint32_t>({{8, rc::gen::inRange<std::uint32_t>(0, 3)},
                                             {2, rc::gen::inRange<std::uint32_t>(3, 200)},
                                             {1, rc::gen::inRange<std::uint32_t>(200, 5000)}}));
  const auto ids = *rc::gen::container<std::vector<std::uint32_t>>(
      gaps.size(), rc::gen::weightedOneOf<std::uint32_t>({{20, rc::gen::inRange<std::uint32_t>(0, 0xffff)},
                                                          {1, rc::gen::arbitrary<std::uint32_t>()}}));
  detail::MonotoneIndexArray parents;
  detail::NarrowIdArray actions;
  detail::BitArray flags;
  std::vector<std::uint32_t> values;
  std::uint32_t value = *rc::gen::inRange<std::uint32_t>(0, 10);
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    value += gaps[i];
    const std::uint64_t before = parents.bytes() + actions.bytes() + flags.bytes();
    const std::uint64_t growth = parents.growthBytes(value) + actions.growthBytes(ids[i]) + flags.growthBytes();
    parents.reserveFor(value);
    actions.reserveFor(ids[i]);
    flags.reserveOneMore();
    RC_ASSERT(parents.bytes() + actions.bytes() + flags.bytes() == before + growth);
    parents.push_back(value);
    actions.push_back(ids[i]);
    flags.push_back(ids[i] % 3 == 0);
    values.push_back(value);
  }
  RC_ASSERT(parents.size() == values.size());
  RC_ASSERT(actions.size() == ids.size());
  RC_ASSERT(flags.size() == ids.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    RC_ASSERT(parents[i] == values[i]);
    RC_ASSERT(actions[i] == ids[i]);
    RC_ASSERT(flags[i] == (ids[i] % 3 == 0));
  }
}

// A breadth-first search's parents take about half a byte each, its first actions two bytes.
TEST(StorageTest, CompactArraysCostLessThanPlainOnes) {
  detail::MonotoneIndexArray parents;
  detail::NarrowIdArray actions;
  constexpr std::uint32_t kStates = 1u << 20;
  for (std::uint32_t i = 0; i < kStates; ++i) {
    const std::uint32_t parent = i / 5;  // five children each
    parents.reserveFor(parent);
    parents.push_back(parent);
    actions.reserveFor(i % 700);
    actions.push_back(i % 700);
  }
  EXPECT_EQ(parents[kStates - 1], (kStates - 1) / 5);
  EXPECT_LT(parents.bytes(), kStates / 2);
  EXPECT_LT(actions.bytes(), kStates * 2 + kStates / 8);
}

// The memory cap holds with every store: the search never needs more than its cap, and with
// exactly what it needed it completes.
TEST(StorageTest, MemoryCapHoldsWithEveryStore) {
  for (const StateStorage storage :
       {StateStorage::Plain, StateStorage::Compressed, StateStorage::Fingerprint}) {
    const bool graph = storage != StateStorage::Fingerprint;
    const auto full = explore(Counters{}, Options{.recordGraph = graph, .stateStorage = storage});
    const auto exact = explore(Counters{}, Options{.bounds = {.maxMemory = full.stats.memoryBytes},
                                                   .recordGraph = graph,
                                                   .stateStorage = storage});
    EXPECT_EQ(exact, full);
    const auto capped = explore(Counters{}, Options{.bounds = {.maxMemory = full.stats.memoryBytes / 2},
                                                    .recordGraph = graph,
                                                    .stateStorage = storage});
    EXPECT_EQ(capped.completion, Completion::MemoryBound);
    EXPECT_LE(capped.stats.memoryBytes, full.stats.memoryBytes / 2);
    EXPECT_LT(capped.stats.states, full.stats.states);
  }
}

}  // namespace
}  // namespace sim::test
