// The search's budget: Bounds::maxMemory against the engine's own memory accounting, the
// Bounds::stopRequested flag, and a std::bad_alloc during the search. Each ends the search with
// everything found so far, and the first two at a stop point that depends only on the inputs.

#include "sim/Explorer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace sim::test {
namespace {

/// A chain 0 -> 1 -> ... -> length-1 with a fan of `width` actions per state (all to the next
/// state, so every state has `width` edges). Property 0 is violated by state `violationAt`.
/// Expanding state `stopAt` sets *stop (as a signal handler would); expanding state `failAt`
/// throws std::bad_alloc (as an allocation in the model would).
struct ChainConfig {
  std::uint64_t length = 20'000;
  int width = 3;
  std::uint64_t violationAt = 10;
  std::atomic<bool>* stop = nullptr;
  std::uint64_t stopAt = 0;
  std::uint64_t failAt = 0;  ///< 0: never
};

class BudgetChain {
 public:
  struct State {
    std::uint64_t n = 0;
    std::uint64_t payload[7] = {};  // a state of 64 bytes
    bool operator==(const State&) const = default;
  };
  using Action = int;

  explicit BudgetChain(ChainConfig config) : config_(config) {}

  State initial() const { return State{}; }
  std::uint64_t hash(const State& s) const { return s.n; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (config_.stop != nullptr && s.n == config_.stopAt) config_.stop->store(true);
    if (config_.failAt != 0 && s.n == config_.failAt) throw std::bad_alloc();
    if (s.n + 1 >= config_.length) return;
    for (int a = 0; a < config_.width; ++a) emit(a, State{s.n + 1, {}});
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s.n == config_.violationAt) out.push_back(Finding{0, "reached " + std::to_string(s.n)});
  }
  std::size_t propertyCount() const { return 2; }
  std::string propertyName(PropertyIndex p) const { return p == 0 ? "violated early" : "never violated"; }

 private:
  ChainConfig config_;
};

static_assert(ExplorableModel<BudgetChain>);

Result<BudgetChain> run(ChainConfig config, Bounds bounds, bool recordGraph = false) {
  Options options;
  options.bounds = bounds;
  options.recordGraph = recordGraph;
  return explore(BudgetChain(config), options);
}

// memoryBytes is the most the search needed; with exactly that much it completes, with one byte
// less it stops BOUNDED (memory), keeping the violation it found before and never claiming a pass.
TEST(BudgetTest, MemoryCapBelowTheNeedStopsTheSearchAndKeepsItsFindings) {
  for (bool graph : {false, true}) {
    SCOPED_TRACE(graph ? "with the graph" : "without the graph");
    const auto full = run({}, {}, graph);
    ASSERT_EQ(full.completion, Completion::Complete);
    ASSERT_EQ(full.stats.states, 20'000u);
    EXPECT_GT(full.stats.memoryBytes, full.stats.states * sizeof(BudgetChain::State));

    const auto exact = run({}, {.maxMemory = full.stats.memoryBytes}, graph);
    EXPECT_EQ(exact, full);

    const auto capped = run({}, {.maxMemory = full.stats.memoryBytes - 1}, graph);
    EXPECT_EQ(capped.completion, Completion::MemoryBound);
    EXPECT_LT(capped.stats.states, full.stats.states);
    EXPECT_LE(capped.stats.memoryBytes, full.stats.memoryBytes - 1);
    EXPECT_EQ(capped.verdicts, (std::vector<Verdict>{Verdict::Violated, Verdict::Unknown}));
    ASSERT_EQ(capped.counterexamples.size(), 1u);
    EXPECT_EQ(capped.counterexamples[0].actions.size(), 10u);
    if (graph) {
      ASSERT_TRUE(capped.graph.has_value());
      EXPECT_EQ(capped.graph->stateCount(), capped.stats.states);
      EXPECT_FALSE(capped.graph->expanded(static_cast<StateIndex>(capped.stats.states - 1)));
    }
  }
}

// The stop point is a function of the cap alone: the same cap stops at the same state on every
// run, a larger cap never stores fewer states, and the search never needs more than its cap.
TEST(BudgetTest, MemoryStopPointIsDeterministicAndMonotone) {
  std::uint64_t previous = 0;
  for (std::uint64_t cap = 64 * 1024; cap <= 4 * 1024 * 1024; cap *= 2) {
    const auto a = run({}, {.maxMemory = cap}, true);
    const auto b = run({}, {.maxMemory = cap}, true);
    EXPECT_EQ(a, b);
    EXPECT_LE(a.stats.memoryBytes, cap);
    EXPECT_GE(a.stats.states, previous);
    previous = a.stats.states;
  }
  EXPECT_GT(previous, 0u);
}

// A cap too small for the first state: nothing is known, nothing holds.
TEST(BudgetTest, MemoryCapBelowTheFirstStateStoresNothing) {
  const auto r = run({}, {.maxMemory = 1});
  EXPECT_EQ(r.completion, Completion::MemoryBound);
  EXPECT_EQ(r.stats.states, 0u);
  EXPECT_EQ(r.verdicts, (std::vector<Verdict>{Verdict::Unknown, Verdict::Unknown}));
}

// The stop flag is read before each expansion: set while expanding state 100, the search stops
// before expanding state 101 (already stored), with what it found, and claims no pass.
TEST(BudgetTest, StopFlagEndsTheSearchBeforeTheNextExpansion) {
  std::atomic<bool> stop = false;
  const auto r = run({.stop = &stop, .stopAt = 100}, {.stopRequested = &stop}, true);
  EXPECT_EQ(r.completion, Completion::Interrupted);
  EXPECT_EQ(r.stats.states, 102u);
  EXPECT_EQ(r.verdicts, (std::vector<Verdict>{Verdict::Violated, Verdict::Unknown}));
  ASSERT_TRUE(r.graph.has_value());
  EXPECT_TRUE(r.graph->expanded(100));
  EXPECT_FALSE(r.graph->expanded(101));
  EXPECT_EQ(to_string(r.completion), "BOUNDED (interrupted)");
}

// A flag that is already set stops the search before it expands anything; the initial state is
// still stored and checked.
TEST(BudgetTest, StopFlagSetBeforehandStillChecksTheInitialState) {
  std::atomic<bool> stop = true;
  const auto r = run({.violationAt = 0}, {.stopRequested = &stop});
  EXPECT_EQ(r.completion, Completion::Interrupted);
  EXPECT_EQ(r.stats.states, 1u);
  EXPECT_EQ(r.verdicts[0], Verdict::Violated);
}

// A std::bad_alloc during the search ends it BOUNDED (memory) with what it found: the stores are
// consistent (the counterexample is intact) and the graph is handed out.
TEST(BudgetTest, BadAllocDuringTheSearchEndsItBoundedByMemory) {
  const auto r = run({.failAt = 500}, {}, true);
  EXPECT_EQ(r.completion, Completion::MemoryBound);
  EXPECT_EQ(r.stats.states, 501u);
  EXPECT_EQ(to_string(r.completion), "BOUNDED (memory)");
  ASSERT_EQ(r.counterexamples.size(), 1u);
  EXPECT_EQ(r.counterexamples[0].states.back().n, 10u);
  ASSERT_TRUE(r.graph.has_value());
  EXPECT_EQ(r.graph->stateCount(), 501u);
  EXPECT_EQ(r.graph->edgeCount(), 500u * 3);
}

}  // namespace
}  // namespace sim::test
