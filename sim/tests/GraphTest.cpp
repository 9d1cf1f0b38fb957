// sim/Graph.hpp: Boost.Graph conversion and the "cannot reach P" analysis.

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"

#include "sim/Explorer.hpp"
#include "sim/Graph.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/graph/strong_components.hpp>

#include <cstdint>
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

}  // namespace
}  // namespace sim::test
