#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph). toBoostGraph
// gives it to Boost.Graph; vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse BFS from the goal states over reversed edges, and whatever
// it does not reach. It needs 4 bytes per edge, 12 per state and two flag vectors (what the
// search's memory accounting reserves for it, see sim/Explorer.hpp). This is the core of progress
// ("something good stays reachable") checks. The graph has no self-loops (sim/Explorer.hpp):
// they never change what is reachable.
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

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment).
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal,
                                                   const EdgeFilter& allowed) {
  const std::size_t n = graph.stateCount();
  KSIM_VERIFY(isGoal.size() == n, "statesThatCannotReach: goal vector size differs from state count");

  // The allowed edges reversed, in compressed form (4 bytes per edge, 8 per state: the graph of
  // a large search has tens of millions of edges), then a breadth-first search from every goal
  // state and every state whose successors are unknown.
  // firstIn[t+1] counts, then (prefix sums) ends, then (filled backwards) starts the edges into t.
  std::vector<std::uint64_t> firstIn(n + 1, 0);
  graph.forEachEdge([&](const Edge<Action>& edge) {
    if (allowed(edge)) ++firstIn[edge.target + 1];
  });
  for (std::size_t i = 1; i <= n; ++i) firstIn[i] += firstIn[i - 1];
  std::vector<StateIndex> sources(firstIn[n]);
  // Placing at --firstIn[t+1] turns each end into a start (the order within a target does not
  // matter: only the set of states reached does).
  graph.forEachEdge([&](const Edge<Action>& edge) {
    if (allowed(edge)) sources[--firstIn[edge.target + 1]] = edge.source;
  });
  std::vector<bool> reaches(n, false);
  std::vector<StateIndex> queue;
  for (std::size_t i = 0; i < n; ++i) {
    const auto state = static_cast<StateIndex>(i);
    const bool unknownSuccessors = !graph.expanded(state) && !graph.terminal(state);
    if (isGoal[i] || unknownSuccessors) {
      reaches[i] = true;
      queue.push_back(static_cast<StateIndex>(i));
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const StateIndex t = queue[head];
    const std::uint64_t end = t + 2 <= n ? firstIn[t + 2] : sources.size();
    for (std::uint64_t k = firstIn[t + 1]; k < end; ++k) {
      const StateIndex from = sources[k];
      if (!reaches[from]) {
        reaches[from] = true;
        queue.push_back(from);
      }
    }
  }

  std::vector<StateIndex> stuck;
  for (std::size_t i = 0; i < n; ++i) {
    if (!reaches[i]) stuck.push_back(static_cast<StateIndex>(i));
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
  std::vector<bool> isGoal(graph.stateCount());
  for (StateIndex i = 0; i < graph.stateCount(); ++i) isGoal[i] = goal(graph.state(i));
  return statesThatCannotReach(graph, isGoal);
}

}  // namespace sim
