// Property-based tests of sim::explore on random directed graphs, against an independent
// Boost.Graph BFS oracle.

#include "RandomGraphModel.hpp"

#include "sim/Explorer.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sim::test {
namespace {

using Cx = Counterexample<RandomGraphModel::Action, RandomGraphModel::State>;

/// Asserts that cx's actions walk the graph from the root through cx's states and end in a violation.
void assertWalksGraph(const RandomGraph& g, const Cx& cx) {
  RC_ASSERT(cx.states.size() == cx.actions.size() + 1);
  RC_ASSERT(cx.states.front() == 0u);
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < cx.actions.size(); ++i) {
    RC_ASSERT(!g.terminal[v]);  // only the last state may be terminal
    RC_ASSERT(cx.actions[i] < g.adjacency[v].size());
    const std::uint32_t w = g.adjacency[v][cx.actions[i]];
    RC_ASSERT(cx.states[i + 1] == w);
    if (cx.viaTransition && i + 1 == cx.actions.size()) RC_ASSERT(g.markedEdge[v][cx.actions[i]]);
    v = w;
  }
  if (!cx.viaTransition) RC_ASSERT(g.markedVertex[v]);
}

// The explorer visits exactly the vertices reachable from the root (never past terminal ones).
RC_GTEST_PROP(ExplorerPropertyTest, ExploresExactlyTheReachableVertices, ()) {
  const RandomGraph g = *genRandomGraph();
  const auto dist = oracleDistances(g);
  std::uint64_t reachable = 0, transitions = 0, maxDepth = 0, terminals = 0, deadlocks = 0;
  for (std::uint32_t v = 0; v < g.vertexCount; ++v) {
    if (dist[v] == kUnreached) continue;
    ++reachable;
    maxDepth = std::max(maxDepth, dist[v]);
    if (g.terminal[v]) {
      ++terminals;
    } else {
      transitions += g.adjacency[v].size();
      if (g.adjacency[v].empty()) ++deadlocks;
    }
  }
  const auto result = explore(RandomGraphModel(g));
  RC_ASSERT(result.completion == Completion::Complete);
  RC_ASSERT(result.stats.states == reachable);
  RC_ASSERT(result.stats.transitions == transitions);
  RC_ASSERT(result.stats.maxDepth == maxDepth);
  RC_ASSERT(result.stats.terminalStates == terminals);
  RC_ASSERT(result.stats.deadlockStates == deadlocks);
}

// Each counterexample has the true BFS-distance length and really walks the graph from the root.
RC_GTEST_PROP(ExplorerPropertyTest, CounterexamplesAreShortestAndWalkTheGraph, ()) {
  const RandomGraph g = *genRandomGraph();
  const auto dist = oracleDistances(g);
  std::uint64_t bestVertex = kUnreached, bestEdge = kUnreached;
  for (std::uint32_t v = 0; v < g.vertexCount; ++v) {
    if (dist[v] == kUnreached) continue;
    if (g.markedVertex[v]) bestVertex = std::min(bestVertex, dist[v]);
    if (g.terminal[v]) continue;
    for (std::size_t k = 0; k < g.adjacency[v].size(); ++k) {
      if (g.markedEdge[v][k]) bestEdge = std::min(bestEdge, dist[v] + 1);
    }
  }
  const auto result = explore(RandomGraphModel(g));
  const std::uint64_t best[2] = {bestVertex, bestEdge};
  for (PropertyIndex p = 0; p < 2; ++p) {
    const Cx* cx = result.counterexampleFor(p);
    if (best[p] == kUnreached) {
      RC_ASSERT(cx == nullptr);
      RC_ASSERT(result.verdicts[p] == Verdict::Holds);
    } else {
      RC_ASSERT(cx != nullptr);
      RC_ASSERT(result.verdicts[p] == Verdict::Violated);
      RC_ASSERT(cx->actions.size() == best[p]);
      RC_ASSERT(cx->viaTransition == (p == RandomGraphModel::kNoMarkedEdge));
      assertWalksGraph(g, *cx);
    }
  }
}

// With maxDepth = d, exactly the reachable vertices at distance <= d are stored, and the run is
// DepthBound iff a non-terminal vertex sits at distance d; Holds only for Complete runs.
RC_GTEST_PROP(ExplorerPropertyTest, DepthBoundStoresExactlyTheStatesWithinTheBound, ()) {
  const RandomGraph g = *genRandomGraph();
  const auto maxDepth = *rc::gen::inRange<std::uint64_t>(1, 8);
  const auto dist = oracleDistances(g);
  std::uint64_t within = 0;
  bool cutOff = false;
  for (std::uint32_t v = 0; v < g.vertexCount; ++v) {
    if (dist[v] == kUnreached || dist[v] > maxDepth) continue;
    ++within;
    if (dist[v] == maxDepth && !g.terminal[v]) cutOff = true;
  }
  const auto result = explore(RandomGraphModel(g), Options{.bounds = {.maxDepth = maxDepth}});
  RC_ASSERT(result.stats.states == within);
  RC_ASSERT(result.completion == (cutOff ? Completion::DepthBound : Completion::Complete));
  for (const Verdict v : result.verdicts) {
    if (result.completion != Completion::Complete) RC_ASSERT(v != Verdict::Holds);
  }
  for (const auto& cx : result.counterexamples) assertWalksGraph(g, cx);
}

// A state bound is never exceeded, a StateBound run never claims Holds, and a run that fits is Complete.
RC_GTEST_PROP(ExplorerPropertyTest, StateBoundIsRespectedAndNeverClaimsHolds, ()) {
  const RandomGraph g = *genRandomGraph();
  const auto maxStates = *rc::gen::inRange<std::uint64_t>(1, g.vertexCount + 1);
  const auto full = explore(RandomGraphModel(g));
  const auto result = explore(RandomGraphModel(g), Options{.bounds = {.maxStates = maxStates}});
  RC_ASSERT(result.stats.states <= maxStates);
  if (full.stats.states <= maxStates) {
    RC_ASSERT(result == full);
  } else {
    RC_ASSERT(result.completion == Completion::StateBound);
    RC_ASSERT(result.stats.states == maxStates);
    for (const Verdict v : result.verdicts) RC_ASSERT(v != Verdict::Holds);
  }
  for (const auto& cx : result.counterexamples) assertWalksGraph(g, cx);
}

// Two runs agree exactly, and the recorded graph has one edge per transition between distinct
// states (self-loops are not recorded), each a real graph edge.
RC_GTEST_PROP(ExplorerPropertyTest, RunsAreDeterministicAndGraphMatchesModel, ()) {
  const RandomGraph g = *genRandomGraph();
  const Options options{.recordGraph = true};
  const auto first = explore(RandomGraphModel(g), options);
  const auto second = explore(RandomGraphModel(g), options);
  RC_ASSERT(first == second);
  RC_ASSERT(first.graph.has_value());
  const auto& graph = *first.graph;
  RC_ASSERT(graph.stateCount() == first.stats.states);
  const auto dist = oracleDistances(g);
  std::uint64_t expectedEdges = 0;
  for (StateIndex i = 0; i < graph.stateCount(); ++i) {
    const std::uint32_t v = graph.state(i);
    RC_ASSERT(graph.depth(i) == dist[v]);
    if (!g.terminal[v])
      for (const std::uint32_t w : g.adjacency[v]) expectedEdges += w != v;
  }
  RC_ASSERT(graph.edgeCount() == expectedEdges);
  for (const auto& e : graph.edges()) {
    const std::uint32_t v = graph.state(e.source);
    RC_ASSERT(e.source != e.target);
    RC_ASSERT(e.action < g.adjacency[v].size());
    RC_ASSERT(graph.state(e.target) == g.adjacency[v][e.action]);
  }
}

}  // namespace
}  // namespace sim::test
