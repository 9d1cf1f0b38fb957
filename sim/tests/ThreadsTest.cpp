// Bounds::threads: the search gives the same Result, the same progress calls and the same
// absorbed expander effects for any number of threads, with and without bounds and stops.

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"

#include "sim/Explorer.hpp"
#include "sim/Graph.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <atomic>
#include <cstdint>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace sim::test {
namespace {

constexpr unsigned kThreadCounts[] = {2, 3, 8};

/// What onProgress saw, comparable.
using ProgressCall = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t,
                                std::optional<PropertyIndex>, std::uint64_t>;

template <class M>
struct SearchRun {
  Result<M> result;
  std::vector<ProgressCall> progress;
};

template <class M>
SearchRun<M> runWith(const M& model, Options options, unsigned threads) {
  options.bounds.threads = threads;
  SearchRun<M> run;
  run.result = explore(model, options, [&](const Progress& p) {
    run.progress.emplace_back(p.states, p.transitions, p.depth, p.frontier, p.memoryBytes, p.violated,
                              p.violationLength);
  });
  return run;
}

/// A graph large enough that several threads really expand at once: `n` vertices with 0 to 6
/// edges each, some marked and some terminal, from a fixed seed.
RandomGraph largeGraph(std::uint32_t n, std::uint32_t seed) {
  std::mt19937 random(seed);
  auto below = [&](std::uint32_t bound) { return static_cast<std::uint32_t>(random() % bound); };
  RandomGraph g;
  g.vertexCount = n;
  g.adjacency.resize(n);
  g.markedEdge.resize(n);
  g.markedVertex.resize(n);
  g.terminal.resize(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t degree = below(7);
    for (std::uint32_t k = 0; k < degree; ++k) {
      g.adjacency[v].push_back(below(n));
      g.markedEdge[v].push_back(below(4000) == 0);
    }
    g.markedVertex[v] = below(3000) == 0;
    g.terminal[v] = v != 0 && below(20) == 0;
  }
  return g;
}

/// RandomGraphModel with a per-thread Expander whose effects (the expanded vertex) the model
/// absorbs into a list: the list must be the one-thread search's expansion order.
class ExpanderGraphModel {
 public:
  using State = RandomGraphModel::State;
  using Action = RandomGraphModel::Action;

  explicit ExpanderGraphModel(const RandomGraph& graph) : plain_(graph) {}

  class Expander {
   public:
    explicit Expander(const RandomGraphModel& plain) : plain_(&plain) {}
    std::uint32_t expand(const State& v, Emitter<Action, State>& emit) {
      ++expansions_;  // per-thread scratch: no other thread touches it
      plain_->expand(v, emit);
      return v;
    }

   private:
    const RandomGraphModel* plain_;
    std::uint64_t expansions_ = 0;
  };

  Expander expander() const { return Expander(plain_); }
  void absorb(std::uint32_t expanded) const { absorbed_.push_back(expanded); }

  State initial() const { return plain_.initial(); }
  std::uint64_t hash(const State& v) const { return plain_.hash(v); }
  void expand(const State&, Emitter<Action, State>&) const {
    ADD_FAILURE() << "a model with an expander is expanded through it";
  }
  void stateFindings(const State& v, std::vector<Finding>& out) const { plain_.stateFindings(v, out); }
  std::size_t propertyCount() const { return plain_.propertyCount(); }
  std::string propertyName(PropertyIndex p) const { return plain_.propertyName(p); }

  mutable std::vector<std::uint32_t> absorbed_;

 private:
  RandomGraphModel plain_;
};

static_assert(ModelWithExpander<ExpanderGraphModel>);

/// The same graph, its self-loops reported with Emitter::unchanged().
class UnchangedSelfLoopsGraphModel : public RandomGraphModel {
 public:
  using RandomGraphModel::RandomGraphModel;
  void expand(const State& v, Emitter<Action, State>& emit) const {
    auto relay = [&](Action&& a, State&& next, std::vector<Finding>&& findings, bool terminal) {
      if (next == v) {
        emit.unchanged(std::move(a), v, std::move(findings), terminal);
      } else {
        emit(std::move(a), std::move(next), std::move(findings), terminal);
      }
    };
    Emitter<Action, State> inner(relay);
    RandomGraphModel::expand(v, inner);
  }
};

/// Throws std::bad_alloc in the middle of expanding one vertex (after its first emit).
class ThrowingGraphModel : public RandomGraphModel {
 public:
  ThrowingGraphModel(const RandomGraph& graph, std::uint32_t throwAt)
      : RandomGraphModel(graph), throwAt_(throwAt) {}
  void expand(const State& v, Emitter<Action, State>& emit) const {
    bool first = true;
    auto once = [&](Action&& a, State&& next, std::vector<Finding>&& findings, bool terminal) {
      if (!first && v == throwAt_) throw std::bad_alloc();
      first = false;
      emit(std::move(a), std::move(next), std::move(findings), terminal);
    };
    Emitter<Action, State> inner(once);
    RandomGraphModel::expand(v, inner);
  }

 private:
  std::uint32_t throwAt_;
};

/// The option sets every thread count must agree on: no bound, depth, state and memory bounds at
/// several points, each stop at a violation, with and without the graph.
std::vector<Options> optionVariety(std::uint64_t states, std::uint64_t depth, std::uint64_t memory,
                                   std::size_t properties) {
  std::vector<Options> all;
  for (const bool graph : {false, true}) {
    Options o;
    o.recordGraph = graph;
    o.progressEvery = 7;
    all.push_back(o);
    for (std::uint64_t d = 1; d <= depth; d += 1 + depth / 4) {
      Options b = o;
      b.bounds.maxDepth = d;
      all.push_back(b);
    }
    for (std::uint64_t n = 1; n <= states; n += 1 + states / 5) {
      Options b = o;
      b.bounds.maxStates = n;
      all.push_back(b);
    }
    for (std::uint64_t m = memory / 8; m <= memory; m += memory / 4) {
      Options b = o;
      b.bounds.maxMemory = m;
      all.push_back(b);
    }
    for (std::size_t p = 0; p < properties; ++p) {
      Options b = o;
      b.stopAtViolationOf.assign(properties, false);
      b.stopAtViolationOf[p] = true;
      all.push_back(b);
    }
  }
  return all;
}

template <class M>
void expectSameForEveryThreadCount(const M& model, const Options& options) {
  const SearchRun<M> one = runWith(model, options, 1);
  for (const unsigned threads : kThreadCounts) {
    const SearchRun<M> many = runWith(model, options, threads);
    EXPECT_EQ(many.result, one.result) << threads << " threads";
    EXPECT_EQ(many.progress, one.progress) << threads << " threads";
  }
}

TEST(ThreadsTest, ToyModelSameForEveryThreadCount) {
  for (const bool initialViolates : {false, true}) {
    const ToyModel model(ToyConfig{.initialViolates = initialViolates});
    const Result<ToyModel> complete = explore(model);
    for (const Options& options : optionVariety(6, 4, complete.stats.memoryBytes, model.propertyCount()))
      expectSameForEveryThreadCount(model, options);
  }
}

TEST(ThreadsTest, LargeGraphSameForEveryThreadCount) {
  const RandomGraph g = largeGraph(20'000, 7);
  const RandomGraphModel model(g);
  const Result<RandomGraphModel> complete = explore(model);
  ASSERT_GT(complete.stats.states, 5'000u);  // a search that threads can share
  for (const Options& options : optionVariety(complete.stats.states, complete.stats.maxDepth,
                                              complete.stats.memoryBytes, model.propertyCount()))
    expectSameForEveryThreadCount(model, options);
}

// The search takes a self-loop reported as unchanged as it takes one emitted with its state,
// on one thread and on several, bounded or not; and several threads, which count a run of bare
// self-loops (no finding) at once, count what one thread counts one by one, wherever a bound
// or a violation stops the search.
TEST(ThreadsTest, SelfLoopsReportedUnchangedGiveTheSameSearch) {
  RandomGraph g = largeGraph(20'000, 7);
  for (std::uint32_t v = 0; v < g.vertexCount; v += 3) {  // self-loops, some of them marked
    g.adjacency[v].push_back(v);
    g.markedEdge[v].push_back(v % 2 == 0);
    if (v % 5 == 0) {  // and runs of bare ones, before and after other edges
      g.adjacency[v].insert(g.adjacency[v].begin(), 2, v);
      g.markedEdge[v].insert(g.markedEdge[v].begin(), 2, false);
      g.adjacency[v].insert(g.adjacency[v].end(), 3, v);
      g.markedEdge[v].insert(g.markedEdge[v].end(), 3, false);
    }
  }
  const RandomGraphModel plain(g);
  const UnchangedSelfLoopsGraphModel unchanged(g);
  const Result<RandomGraphModel> complete = explore(plain);
  ASSERT_GT(complete.stats.states, 5'000u);
  std::uint64_t selfLoops = 0;
  for (std::uint32_t v = 0; v < g.vertexCount; ++v)
    for (const std::uint32_t w : g.adjacency[v]) selfLoops += w == v && !g.terminal[v] ? 1 : 0;
  ASSERT_GT(selfLoops, 1'000u);  // the graph has self-loops to report
  for (const Options& options : optionVariety(complete.stats.states, complete.stats.maxDepth,
                                              complete.stats.memoryBytes, plain.propertyCount())) {
    const Result<RandomGraphModel> oneThread = runWith(plain, options, 1).result;
    for (const unsigned threads : {1u, 2u, 3u}) {
      const Result<UnchangedSelfLoopsGraphModel> mine = runWith(unchanged, options, threads).result;
      const Result<RandomGraphModel> theirs = runWith(plain, options, threads).result;
      EXPECT_EQ(mine.stats, theirs.stats) << threads << " threads";
      EXPECT_EQ(mine.completion, theirs.completion) << threads << " threads";
      EXPECT_EQ(mine.counterexamples, theirs.counterexamples) << threads << " threads";
      EXPECT_EQ(theirs.stats, oneThread.stats) << threads << " threads";
      EXPECT_EQ(theirs.completion, oneThread.completion) << threads << " threads";
      EXPECT_EQ(theirs.counterexamples, oneThread.counterexamples) << threads << " threads";
    }
  }
}

TEST(ThreadsTest, ExpanderEffectsAbsorbedInSearchOrder) {
  const RandomGraph g = largeGraph(20'000, 11);
  for (const std::uint64_t maxStates : {std::uint64_t{0}, std::uint64_t{3'000}}) {
    Options options;
    options.recordGraph = true;
    options.bounds.maxStates = maxStates;
    const ExpanderGraphModel oneModel(g);
    const SearchRun<ExpanderGraphModel> one = runWith(oneModel, options, 1);
    // The one-thread search absorbs one effect per expanded state, in state order.
    std::vector<std::uint32_t> expandedStates;
    const auto& graph = *one.result.graph;
    for (std::size_t i = 0; i < graph.stateCount(); ++i)
      if (graph.expanded(static_cast<StateIndex>(i)))
        expandedStates.push_back(graph.state(static_cast<StateIndex>(i)));
    if (maxStates != 0) {
      // The state whose expansion hit the bound was expanded too, though not to the end.
      ASSERT_EQ(one.result.completion, Completion::StateBound);
      ASSERT_EQ(oneModel.absorbed_.size(), expandedStates.size() + 1);
      EXPECT_TRUE(std::equal(expandedStates.begin(), expandedStates.end(), oneModel.absorbed_.begin()));
    } else {
      EXPECT_EQ(oneModel.absorbed_, expandedStates);
    }
    for (const unsigned threads : kThreadCounts) {
      const ExpanderGraphModel model(g);
      const SearchRun<ExpanderGraphModel> many = runWith(model, options, threads);
      EXPECT_EQ(many.result, one.result) << threads << " threads";
      EXPECT_EQ(model.absorbed_, oneModel.absorbed_) << threads << " threads";
    }
  }
}

TEST(ThreadsTest, ExceptionInAnExpansionStopsWhereOneThreadStops) {
  const RandomGraph g = largeGraph(5'000, 3);
  // A vertex with at least two edges, expanded late in the search.
  const Result<RandomGraphModel> complete = explore(RandomGraphModel(g), Options{.recordGraph = true});
  const auto& graph = *complete.graph;
  std::optional<std::uint32_t> victim;
  for (std::size_t i = graph.stateCount(); i-- > graph.stateCount() / 2;)
    if (graph.expanded(static_cast<StateIndex>(i)) &&
        g.adjacency[graph.state(static_cast<StateIndex>(i))].size() >= 2) {
      victim = graph.state(static_cast<StateIndex>(i));
      break;
    }
  ASSERT_TRUE(victim.has_value());
  const ThrowingGraphModel model(g, *victim);
  const SearchRun<ThrowingGraphModel> one = runWith(model, Options{.recordGraph = true}, 1);
  ASSERT_EQ(one.result.completion, Completion::MemoryBound);
  expectSameForEveryThreadCount(model, Options{.recordGraph = true});
}

/// Every edge into an even vertex violates "no marked edge" (half the transitions do); the message names
/// the edge, so a wrong finding kept would show. With `lazy`, findings the emitter does not want
/// are left out, and counted.
class EveryEdgeViolatesModel : public RandomGraphModel {
 public:
  EveryEdgeViolatesModel(const RandomGraph& graph, bool lazy) : RandomGraphModel(graph), lazy_(lazy) {}
  void expand(const State& v, Emitter<Action, State>& emit) const {
    auto mark = [&](Action&& a, State&& next, std::vector<Finding>&& findings, bool terminal) {
      if (next % 2 == 0) {
        if (!lazy_ || emit.wanted(kNoMarkedEdge)) {
          findings.push_back(Finding{kNoMarkedEdge, std::to_string(v) + " -> " + std::to_string(next)});
        } else {
          omitted_.fetch_add(1, std::memory_order_relaxed);
        }
      }
      emit(std::move(a), std::move(next), std::move(findings), terminal);
    };
    Emitter<Action, State> inner(mark);
    RandomGraphModel::expand(v, inner);
  }
  std::uint64_t omitted() const { return omitted_.load(); }

 private:
  bool lazy_;
  mutable std::atomic<std::uint64_t> omitted_{0};
};

TEST(ThreadsTest, FindingsTheSearchDoesNotWantCanBeLeftOut) {
  const RandomGraph g = largeGraph(20'000, 7);
  const EveryEdgeViolatesModel eager(g, false);
  const Result<EveryEdgeViolatesModel> expected = explore(eager, Options{.recordGraph = true});
  ASSERT_GT(expected.stats.states, 5'000u);
  ASSERT_EQ(expected.verdicts[RandomGraphModel::kNoMarkedEdge], Verdict::Violated);
  for (const unsigned threads : {1u, 2u, 3u, 8u}) {
    const EveryEdgeViolatesModel lazy(g, true);
    const SearchRun<EveryEdgeViolatesModel> run = runWith(lazy, Options{.recordGraph = true}, threads);
    EXPECT_EQ(run.result, expected) << threads << " threads";
    // Once the first one is kept, wanted() turns false (on one thread at once).
    EXPECT_GT(lazy.omitted(), expected.stats.transitions / 4) << threads << " threads";
  }
}

TEST(ThreadsTest, ZeroThreadsIsOne) {
  const ToyModel model;
  EXPECT_EQ(runWith(model, {}, 0).result, runWith(model, {}, 1).result);
}

// Random graphs, random bounds and stops: every thread count agrees with one thread.
RC_GTEST_PROP(ThreadsTest, RandomGraphsSameForEveryThreadCount, ()) {
  const RandomGraph g = *genRandomGraph();
  const RandomGraphModel model(g);
  Options options;
  options.recordGraph = *rc::gen::arbitrary<bool>();
  options.progressEvery = *rc::gen::inRange<std::uint64_t>(0, 4);
  options.bounds.maxDepth = *rc::gen::inRange<std::uint64_t>(0, 6);
  options.bounds.maxStates = *rc::gen::inRange<std::uint64_t>(0, 30);
  options.bounds.maxMemory = *rc::gen::element<std::uint64_t>(0, 2'000, 20'000, 60'000);
  if (*rc::gen::arbitrary<bool>()) options.stopAtViolationOf = {*rc::gen::arbitrary<bool>(), true};
  const SearchRun<RandomGraphModel> one = runWith(model, options, 1);
  const unsigned threads = *rc::gen::element(2u, 3u, 8u);
  const SearchRun<RandomGraphModel> many = runWith(model, options, threads);
  RC_ASSERT(many.result == one.result);
  RC_ASSERT(many.progress == one.progress);
}

}  // namespace
}  // namespace sim::test
