// sim/Graph.hpp: Boost.Graph conversion and the "cannot reach P" analysis.

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"

#include "sim/Explorer.hpp"
#include "sim/Graph.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sim::test {
namespace {

ExploredGraph<ToyAction, ToyState> toyGraph(Bounds bounds = {}) {
  auto result = explore(ToyModel{}, Options{.bounds = bounds, .recordGraph = true});
  return std::move(*result.graph);
}

// The Boost graph has one vertex per state and one edge per recorded transition (the self-loop
// on S5 is not recorded).
TEST(GraphTest, BoostGraphHasOneVertexPerStateAndOneEdgePerTransition) {
  const auto graph = toyGraph();
  const BoostGraph g = toBoostGraph(graph);
  EXPECT_EQ(boost::num_vertices(g), 6u);
  EXPECT_EQ(boost::num_edges(g), 7u);
  EXPECT_TRUE(boost::edge(3, 5, g).second);  // S3 -f-> S4
  EXPECT_FALSE(boost::edge(5, 3, g).second);
  EXPECT_TRUE(boost::edge(5, 3, toBoostGraph(graph, /*reversed=*/true)).second);
}

// Strongly connected components run on the converted graph: {S0,S1,S2,S3}, {S5}, {S4}.
TEST(GraphTest, StrongComponentsOfToyGraph) {
  const BoostGraph g = toBoostGraph(toyGraph());
  std::vector<int> component(boost::num_vertices(g));
  const int count = boost::strong_components(
      g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  EXPECT_EQ(count, 3);
  EXPECT_EQ(component[0], component[1]);
  EXPECT_EQ(component[0], component[2]);
  EXPECT_EQ(component[0], component[3]);
  EXPECT_NE(component[0], component[4]);
  EXPECT_NE(component[0], component[5]);
  EXPECT_NE(component[4], component[5]);
}

// In the toy graph only the S5 self-loop (index 4) and the terminal S4 (index 5) cannot get back to S0.
TEST(GraphTest, StatesThatCannotReturnToInitialState) {
  const auto graph = toyGraph();
  EXPECT_EQ(statesThatCannotReach(graph, [](const ToyState& s) { return s.id == 0; }),
            (std::vector<StateIndex>{4, 5}));
}

// Every state but the S5 livelock (index 4) can still reach the panic state S4.
TEST(GraphTest, StatesThatCannotReachPanicState) {
  const auto graph = toyGraph();
  EXPECT_EQ(statesThatCannotReach(graph, [](const ToyState& s) { return s.id == 4; }),
            (std::vector<StateIndex>{4}));
}

// A goal no state satisfies: every state is stuck; a goal every state satisfies: none is.
TEST(GraphTest, EmptyAndFullGoals) {
  const auto graph = toyGraph();
  EXPECT_EQ(statesThatCannotReach(graph, std::vector<bool>(6, false)),
            (std::vector<StateIndex>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(statesThatCannotReach(graph, std::vector<bool>(6, true)).empty());
}

// On a depth-bounded graph unexpanded states might still reach the goal, so none is reported stuck.
TEST(GraphTest, UnexpandedFrontierIsNotReportedStuck) {
  const auto graph = toyGraph(Bounds{.maxDepth = 2});
  EXPECT_TRUE(statesThatCannotReach(graph, [](const ToyState& s) { return s.id == 0; }).empty());
}

// On random graphs the analysis agrees with a forward search from every state.
RC_GTEST_PROP(GraphTest, CannotReachMatchesForwardSearchFromEveryState, ()) {
  const RandomGraph g = *genRandomGraph();
  auto result = explore(RandomGraphModel(g), Options{.recordGraph = true});
  RC_ASSERT(result.completion == Completion::Complete);
  const auto& graph = *result.graph;
  const auto stuck =
      statesThatCannotReach(graph, [&](const std::uint32_t& v) { return bool(g.markedVertex[v]); });

  std::vector<StateIndex> expected;
  for (StateIndex i = 0; i < graph.stateCount(); ++i) {
    std::vector<bool> seen(g.vertexCount, false);
    std::vector<std::uint32_t> stack{graph.state(i)};
    seen[graph.state(i)] = true;
    bool reaches = false;
    while (!stack.empty() && !reaches) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      if (g.markedVertex[v]) reaches = true;
      if (g.terminal[v]) continue;
      for (const std::uint32_t w : g.adjacency[v]) {
        if (!seen[w]) {
          seen[w] = true;
          stack.push_back(w);
        }
      }
    }
    if (!reaches) expected.push_back(i);
  }
  RC_ASSERT(stuck == expected);
}

// PackedInEdges gives back, for every target, the values of the edges into it (in any order),
// whatever the values' width and whether its offsets take 32 or 64 bits.
RC_GTEST_PROP(GraphTest, PackedInEdgesGivesBackEveryEdgeIntoEachTarget, ()) {
  const auto targetCount = *rc::gen::inRange<std::uint64_t>(1, 40);
  const auto valueLimit =
      *rc::gen::element<std::uint64_t>(1, 200, 70'000, 20'000'000, std::uint64_t{1} << 40);
  const auto edges = *rc::gen::container<std::vector<std::pair<std::uint64_t, std::uint64_t>>>(rc::gen::pair(
      rc::gen::inRange<std::uint64_t>(0, targetCount), rc::gen::inRange<std::uint64_t>(0, valueLimit)));
  const bool wideOffsets = *rc::gen::arbitrary<bool>();
  const std::uint64_t edgeBound = wideOffsets ? std::uint64_t{1} << 33 : edges.size();
  const PackedInEdges in(targetCount, edgeBound, valueLimit, [&](const auto& add) {
    for (const auto& [target, value] : edges) add(target, value);
  });
  for (std::uint64_t t = 0; t < targetCount; ++t) {
    std::vector<std::uint64_t> expected, got;
    for (const auto& [target, value] : edges)
      if (target == t) expected.push_back(value);
    in.forEachInto(t, [&](std::uint64_t value) { got.push_back(value); });
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    RC_ASSERT(got == expected);
  }
}

// reachBackward marks exactly the vertices from which a marked vertex is reachable, on random
// graphs whose edges run up as well as down the numbering (so that more than one sweep is needed).
RC_GTEST_PROP(GraphTest, ReachBackwardMarksEveryVertexThatReachesAMarkedOne, ()) {
  const auto vertexCount = *rc::gen::inRange<std::size_t>(1, 200);
  const auto edges = *rc::gen::container<std::vector<std::pair<std::size_t, std::size_t>>>(rc::gen::pair(
      rc::gen::inRange<std::size_t>(0, vertexCount), rc::gen::inRange<std::size_t>(0, vertexCount)));
  const auto marked = *rc::gen::container<std::vector<bool>>(
      vertexCount, rc::gen::weightedElement<bool>({{1, true}, {9, false}}));
  std::vector<bool> reaches = marked;
  reachBackward(reaches, [&](std::uint64_t v, const auto& reach) {
    for (const auto& [from, to] : edges)
      if (to == v) reach(from);
  });
  for (std::size_t v = 0; v < vertexCount; ++v) {
    std::vector<bool> seen(vertexCount, false);
    std::vector<std::size_t> stack{v};
    seen[v] = true;
    bool found = false;
    while (!stack.empty() && !found) {
      const std::size_t at = stack.back();
      stack.pop_back();
      found = marked[at];
      for (const auto& [from, to] : edges)
        if (from == at && !seen[to]) {
          seen[to] = true;
          stack.push_back(to);
        }
    }
    RC_ASSERT(reaches[v] == found);
  }
}

}  // namespace
}  // namespace sim::test
