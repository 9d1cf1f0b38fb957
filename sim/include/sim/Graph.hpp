#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph). toBoostGraph
// gives it to Boost.Graph; vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse BFS from the goal states over reversed edges, and whatever
// it does not reach. It needs 4 bytes per edge and 24 per state (what the search's memory
// accounting reserves for it, see sim/Explorer.hpp). This is the core of progress ("something good stays
// reachable") checks.
//
// Honesty on bounded runs: a non-terminal state that was not expanded (the frontier of a
// DepthBound/StateBound run) has unknown successors, so it is treated as possibly reaching a
// goal. The answer is then a subset of the true answer (no false alarms); on a Complete run it
// is exact. Terminal states have no successors.

#include "sim/Check.hpp"
#include "sim/Explorer.hpp"

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <thread>
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

namespace detail {

/// Calls visit(edge) for every edge, on `threads` threads (the calling one included), each on
/// a consecutive share.
template <class Action, class Visit>
void visitEdges(const std::vector<Edge<Action>>& edges, unsigned threads, const Visit& visit) {
  threads = std::max(1u, threads);
  const std::size_t share = (edges.size() + threads - 1) / threads;
  auto visitShare = [&](unsigned t) {
    const std::size_t begin = std::min(edges.size(), t * share), end = std::min(edges.size(), begin + share);
    for (std::size_t e = begin; e < end; ++e) visit(edges[e]);
  };
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(visitShare, t);
  visitShare(0);
}

}  // namespace detail

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment). With threads > 1 the edges are
/// sorted out on that many threads (`allowed` must allow concurrent calls); the result is the
/// same.
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal, const EdgeFilter& allowed,
                                                   unsigned threads = 1) {
  const std::size_t n = graph.states.size();
  KSIM_VERIFY(isGoal.size() == n, "statesThatCannotReach: goal vector size differs from state count");
  KSIM_VERIFY(graph.expanded.size() == n && graph.terminal.size() == n,
              "statesThatCannotReach: malformed graph");

  // The allowed edges reversed, in compressed form (4 bytes per edge and per state: the graph of
  // a large search has tens of millions of edges), then a breadth-first search from every goal
  // state and every state whose successors are unknown.
  // With threads, the order of the sources of one target depends on the timing; the set of
  // states the search below reaches does not.
  std::vector<std::uint64_t> firstIn(n + 1, 0);  // the reversed edges out of t: [firstIn[t], firstIn[t+1])
  detail::visitEdges(graph.edges, threads, [&](const Edge<Action>& edge) {
    if (allowed(edge))
      std::atomic_ref<std::uint64_t>(firstIn[edge.target]).fetch_add(1, std::memory_order_relaxed);
  });
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    const std::uint64_t count = firstIn[i];
    firstIn[i] = total;
    total += count;
  }
  std::vector<StateIndex> sources(total);
  {
    std::vector<std::uint64_t> fill(firstIn.begin(), firstIn.end() - 1);
    detail::visitEdges(graph.edges, threads, [&](const Edge<Action>& edge) {
      if (allowed(edge))
        sources[std::atomic_ref<std::uint64_t>(fill[edge.target]).fetch_add(1, std::memory_order_relaxed)] =
            edge.source;
    });
  }

  std::vector<bool> reaches(n, false);
  std::vector<StateIndex> queue;
  for (std::size_t i = 0; i < n; ++i) {
    const bool unknownSuccessors = !graph.expanded[i] && !graph.terminal[i];
    if (isGoal[i] || unknownSuccessors) {
      reaches[i] = true;
      queue.push_back(static_cast<StateIndex>(i));
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const StateIndex t = queue[head];
    for (std::uint64_t k = firstIn[t]; k < firstIn[t + 1]; ++k) {
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
  std::vector<bool> isGoal(graph.states.size());
  for (std::size_t i = 0; i < graph.states.size(); ++i) isGoal[i] = goal(graph.states[i]);
  return statesThatCannotReach(graph, isGoal);
}

}  // namespace sim
