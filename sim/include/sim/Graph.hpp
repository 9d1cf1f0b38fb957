#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph). toBoostGraph
// gives it to Boost.Graph; vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse search from the goal states, and whatever it does not reach.
// The reverse search keeps no reversed edges: it passes over the search's own edges, last to
// first, until a pass marks nothing (reachBackwardInPasses), so it needs only a flag per state
// beside its answer (what the search's memory accounting reserves for it unless the caller says
// otherwise: Options::graphAnalysisBytes); statesThatReachAlong gives its answer as those flags.
// This is the core of progress ("something good stays reachable") checks. The graph has no
// self-loops (sim/Explorer.hpp): they never change what is reachable.
//
// Honesty on bounded runs: a non-terminal state that was not expanded (the frontier of a
// DepthBound/StateBound run) has unknown successors, so it is treated as possibly reaching a
// goal. The answer is then a subset of the true answer (no false alarms); on a Complete run it
// is exact. Terminal states have no successors.

#include "sim/Check.hpp"
#include "sim/Explorer.hpp"

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/properties.hpp>
#include <boost/property_map/property_map.hpp>

namespace sim {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

/// The explored graph as a boost::adjacency_list (edge order preserved); `reversed` flips
/// every edge. Parallel edges (different actions, same endpoints) are kept.
template <class Action, class State>
BoostGraph toBoostGraph(const ExploredGraph<Action, State>& graph, bool reversed = false) {
  BoostGraph g(graph.stateCount());
  graph.forEachEdge([&](const Edge<Action>& edge) {
    if (reversed) {
      boost::add_edge(edge.target, edge.source, g);
    } else {
      boost::add_edge(edge.source, edge.target, g);
    }
  });
  return g;
}

/// Marks in `reaches` every vertex from which a vertex already marked is reachable, keeping
/// nothing beside `reaches`: no reversed edges (which would cost several bytes per edge), no
/// queue. pass(reaches, mark) goes over every edge from -> to and calls mark(from) where `to` is
/// marked (and the edge counts); passes repeat until one marks nothing. A pass over the explored
/// graph's edges from the last to the first (ExploredGraph::forEachEdgeBackward) meets every edge
/// into a state before the edges out of its breadth-first parent, so it marks a whole chain of
/// edges to higher indexes at once; each edge to a lower index on the way to a marked vertex
/// costs at most one pass more (measured: at most 10 passes on the graphs of ksim's checks).
template <class Pass>
void reachBackwardInPasses(std::vector<bool>& reaches, const Pass& pass) {
  bool marked = true;
  auto mark = [&](std::uint64_t v) {
    if (reaches[v]) return;
    reaches[v] = true;
    marked = true;
  };
  while (marked) {
    marked = false;
    pass(std::as_const(reaches), mark);
  }
}

/// Whether a state with isGoal[i] is reachable from each state, moving only along edges for
/// which allowed(edge) holds (see the header comment): flags, one per state, and no more memory
/// than that beside the buffer the edges are read backwards through (statesThatReachBytes).
template <class Action, class State, class EdgeFilter>
std::vector<bool> statesThatReachAlong(const ExploredGraph<Action, State>& graph,
                                       const std::vector<bool>& isGoal, const EdgeFilter& allowed) {
  KSIM_VERIFY(isGoal.size() == graph.stateCount(),
              "statesThatCannotReach: goal vector size differs from state count");
  const std::size_t n = graph.stateCount();
  // A search from every goal state and every state whose successors are unknown.
  std::vector<bool> reaches(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto state = static_cast<StateIndex>(i);
    reaches[i] = isGoal[i] || (!graph.expanded(state) && !graph.terminal(state));
  }
  reachBackwardInPasses(reaches, [&](const std::vector<bool>& reached, const auto& mark) {
    graph.forEachEdgeBackward([&](const Edge<Action>& edge) {
      if (reached[edge.target] && !reached[edge.source] && allowed(edge)) mark(edge.source);
    });
  });
  return reaches;
}

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment).
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal,
                                                   const EdgeFilter& allowed) {
  const std::vector<bool> reaches = statesThatReachAlong(graph, isGoal, allowed);
  std::vector<StateIndex> stuck;
  stuck.reserve(static_cast<std::size_t>(std::count(reaches.begin(), reaches.end(), false)));
  for (std::size_t i = 0; i < reaches.size(); ++i)
    if (!reaches[i]) stuck.push_back(static_cast<StateIndex>(i));
  return stuck;
}

/// States (sorted ascending) from which no state with isGoal[i] is reachable; see the header comment.
template <class Action, class State>
std::vector<StateIndex> statesThatCannotReach(const ExploredGraph<Action, State>& graph,
                                              const std::vector<bool>& isGoal) {
  return statesThatCannotReachAlong(graph, isGoal, [](const Edge<Action>&) { return true; });
}

/// Same, with the goal given as a predicate on states.
template <class Action, class State, class Pred>
requires std::predicate<const Pred&, const State&> std::vector<StateIndex> statesThatCannotReach(
    const ExploredGraph<Action, State>& graph, const Pred& goal) {
  std::vector<bool> isGoal(graph.stateCount());
  for (StateIndex i = 0; i < graph.stateCount(); ++i) isGoal[i] = goal(graph.state(i));
  return statesThatCannotReach(graph, isGoal);
}

}  // namespace sim
