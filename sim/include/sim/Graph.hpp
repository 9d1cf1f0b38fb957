#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph), built on
// Boost.Graph. Vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse BFS from the goal states over reversed edges, and whatever
// it does not reach. This is the core of progress ("something good stays reachable") checks.
//
// Honesty on bounded runs: a non-terminal state that was not expanded (the frontier of a
// DepthBound/StateBound run) has unknown successors, so it is treated as possibly reaching a
// goal. The answer is then a subset of the true answer (no false alarms); on a Complete run it
// is exact. Terminal states have no successors.

#include "sim/Check.hpp"
#include "sim/Explorer.hpp"

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
  BoostGraph g(graph.states.size());
  for (const auto& edge : graph.edges) {
    if (reversed) {
      boost::add_edge(edge.target, edge.source, g);
    } else {
      boost::add_edge(edge.source, edge.target, g);
    }
  }
  return g;
}

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment).
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal,
                                                   const EdgeFilter& allowed) {
  const std::size_t n = graph.states.size();
  KSIM_VERIFY(isGoal.size() == n, "statesThatCannotReach: goal vector size differs from state count");
  KSIM_VERIFY(graph.expanded.size() == n && graph.terminal.size() == n,
              "statesThatCannotReach: malformed graph");

  // Reversed graph plus a virtual source (vertex n) with an edge to every goal or unknown state.
  BoostGraph reversed(n);
  for (const auto& edge : graph.edges)
    if (allowed(edge)) boost::add_edge(edge.target, edge.source, reversed);
  const auto source = boost::add_vertex(reversed);
  for (std::size_t i = 0; i < n; ++i) {
    const bool unknownSuccessors = !graph.expanded[i] && !graph.terminal[i];
    if (isGoal[i] || unknownSuccessors) boost::add_edge(source, i, reversed);
  }

  std::vector<boost::default_color_type> colour(n + 1, boost::white_color);
  boost::breadth_first_search(reversed, source,
                              boost::color_map(boost::make_iterator_property_map(
                                  colour.begin(), boost::get(boost::vertex_index, reversed))));

  std::vector<StateIndex> stuck;
  for (std::size_t i = 0; i < n; ++i) {
    if (colour[i] == boost::white_color) stuck.push_back(static_cast<StateIndex>(i));
  }
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
  std::vector<bool> isGoal(graph.states.size());
  for (std::size_t i = 0; i < graph.states.size(); ++i) isGoal[i] = goal(graph.states[i]);
  return statesThatCannotReach(graph, isGoal);
}

}  // namespace sim
