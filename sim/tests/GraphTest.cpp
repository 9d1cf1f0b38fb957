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

// An EdgeStream read backwards gives the edges it was given, last first, with the same discovery
// flags, however many marks they span (a mark every kEdgesPerMark edges) and wherever an edge
// falls beside a mark.
RC_GTEST_PROP(GraphTest, EdgeStreamReadBackwardsGivesTheEdgesInReverse, ()) {
  struct Pushed {
    StateIndex source, target;
    std::uint32_t action;
    bool discovery;
    bool operator==(const Pushed&) const = default;
  };
  const auto count = *rc::gen::inRange<std::uint64_t>(0, 3 * detail::EdgeStream::kEdgesPerMark + 2);
  const auto seed = *rc::gen::arbitrary<std::uint32_t>();
  detail::EdgeStream stream;
  std::vector<Pushed> pushed;
  StateIndex source = 0, discovered = 1;
  std::uint32_t x = seed | 1u;  // a xorshift: enough edges to span marks, cheaply
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  for (std::uint64_t e = 0; e < count; ++e) {
    if (next() % 4 == 0) source += next() % 3;
    // A target is discovered by the edge, or was discovered before (state 0 is the initial one).
    const bool discovery = next() % 3 == 0;
    const StateIndex target = discovery ? discovered++ : static_cast<StateIndex>(next() % discovered);
    const std::uint32_t action = next() % (next() % 2 == 0 ? 5 : 300'000);
    stream.reserveOneMore();
    stream.push_back(source, target, action);
    pushed.push_back({source, target, action, discovery});
  }
  std::vector<Pushed> forward, backward;
  stream.forEach([&](StateIndex s, StateIndex t, std::uint32_t a, bool d) {
    forward.push_back({s, t, a, d});
  });
  stream.forEachBackward([&](StateIndex s, StateIndex t, std::uint32_t a, bool d) {
    backward.push_back({s, t, a, d});
  });
  RC_ASSERT(forward == pushed);
  std::reverse(backward.begin(), backward.end());
  RC_ASSERT(backward == pushed);
}

// reachBackwardInPasses marks exactly the vertices from which a marked vertex is reachable, on
// random graphs whose edges, taken in a random order, run up as well as down the numbering (so
// that more than one pass is needed).
RC_GTEST_PROP(GraphTest, ReachBackwardInPassesMarksEveryVertexThatReachesAMarkedOne, ()) {
  const auto vertexCount = *rc::gen::inRange<std::size_t>(1, 200);
  const auto edges = *rc::gen::container<std::vector<std::pair<std::size_t, std::size_t>>>(rc::gen::pair(
      rc::gen::inRange<std::size_t>(0, vertexCount), rc::gen::inRange<std::size_t>(0, vertexCount)));
  const auto marked = *rc::gen::container<std::vector<bool>>(
      vertexCount, rc::gen::weightedElement<bool>({{1, true}, {9, false}}));
  std::vector<bool> reaches = marked;
  reachBackwardInPasses(reaches, [&](const std::vector<bool>& reached, const auto& mark) {
    for (const auto& [from, to] : edges)
      if (reached[to]) mark(from);
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
