#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph). toBoostGraph
// gives it to Boost.Graph; vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse search from the goal states over reversed edges, and whatever
// it does not reach. It needs 4 bytes per state (8 beyond 2^32 edges), two flag vectors and, per edge
// outside the breadth-first tree, as few bytes as hold a state index (3 up to 16 M states) (what the search's
// memory accounting reserves for it, see sim/Explorer.hpp). This is the core of progress
// ("something good stays reachable") checks. The graph has no self-loops (sim/Explorer.hpp):
// they never change what is reachable.
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

namespace detail {

/// Bytes a state index takes in statesThatCannotReach's reversed edges: as few as hold n - 1.
inline std::size_t indexBytes(std::uint64_t stateCount) noexcept {
  return std::max<std::size_t>(1, (static_cast<std::size_t>(std::bit_width(stateCount)) + 7) / 8);
}

/// statesThatCannotReachAlong with offsets of type Offset (32 bits when the edges fit).
template <class Offset, class Action, class State, class EdgeFilter>
std::vector<StateIndex> cannotReach(const ExploredGraph<Action, State>& graph,
                                    const std::vector<bool>& isGoal, const EdgeFilter& allowed) {
  const std::size_t n = graph.stateCount();
  // The allowed edges reversed, in compressed form (the graph of a large search has tens of
  // millions of edges), then a breadth-first search from every goal state and every state whose
  // successors are unknown. The breadth-first tree's edges (parent -> child) are not copied:
  // the graph has them (parent, firstAction). Sources take indexBytes(n) bytes each.
  // firstIn[t+1] counts, then (prefix sums) ends, then (filled backwards) starts the edges into t.
  std::vector<Offset> firstIn(n + 1, 0);
  graph.forEachEdgeMarkingTree([&](const Edge<Action>& edge, bool inTree) {
    if (!inTree && allowed(edge)) ++firstIn[edge.target + 1];
  });
  for (std::size_t i = 1; i <= n; ++i) firstIn[i] += firstIn[i - 1];
  const std::size_t width = indexBytes(n);
  std::vector<unsigned char> sources(std::size_t{firstIn[n]} * width);
  // Placing at --firstIn[t+1] turns each end into a start (the order within a target does not
  // matter: only the set of states reached does).
  graph.forEachEdgeMarkingTree([&](const Edge<Action>& edge, bool inTree) {
    if (inTree || !allowed(edge)) return;
    const std::size_t at = std::size_t{--firstIn[edge.target + 1]} * width;
    for (std::size_t b = 0; b < width; ++b)
      sources[at + b] = static_cast<unsigned char>(edge.source >> (8 * b));
  });
  auto sourceAt = [&](std::uint64_t k) {
    StateIndex v = 0;
    for (std::size_t b = 0; b < width; ++b) v |= StateIndex{sources[k * width + b]} << (8 * b);
    return v;
  };

  // The reverse search needs no queue (which would cost 4 bytes per state): `pending` marks the
  // states reached whose predecessors are still to be marked, and sweeps take them from the
  // highest index down, so that a predecessor with a lower index (the tree edge, and most edges
  // of a breadth-first graph) is taken in the same sweep; one above starts another sweep.
  std::vector<bool> reaches(n, false);
  std::vector<std::uint64_t> pending((n + 63) / 64, 0);
  std::size_t highestPending = 0;  // one past the highest word a sweep must start from (0: none)
  std::size_t sweeping = pending.size();  // the word the sweep is at (none yet: the size)
  auto reach = [&](StateIndex from) {
    if (reaches[from]) return;
    reaches[from] = true;
    const std::size_t word = from / 64;
    pending[word] |= std::uint64_t{1} << (from % 64);
    // The sweep takes it if it is at or below the sweep's word.
    if (sweeping == pending.size() || word > sweeping) highestPending = std::max(highestPending, word + 1);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto state = static_cast<StateIndex>(i);
    const bool unknownSuccessors = !graph.expanded(state) && !graph.terminal(state);
    if (isGoal[i] || unknownSuccessors) reach(state);
  }
  auto takePredecessors = [&](StateIndex t) {
    if (t != 0 && allowed(Edge<Action>{graph.parent(t), t, graph.firstAction(t)})) reach(graph.parent(t));
    const std::uint64_t end = t + 2 <= n ? std::uint64_t{firstIn[t + 2]} : sources.size() / width;
    for (std::uint64_t k = firstIn[t + 1]; k < end; ++k) reach(sourceAt(k));
  };
  while (highestPending != 0) {
    std::size_t word = highestPending;
    highestPending = 0;
    while (word-- != 0) {
      sweeping = word;
      while (pending[word] != 0) {
        const auto bit = static_cast<unsigned>(63 - std::countl_zero(pending[word]));
        pending[word] &= ~(std::uint64_t{1} << bit);
        takePredecessors(static_cast<StateIndex>(word * 64 + bit));
      }
    }
  }

  std::vector<StateIndex> stuck;
  for (std::size_t i = 0; i < n; ++i) {
    if (!reaches[i]) stuck.push_back(static_cast<StateIndex>(i));
  }
  return stuck;
}

}  // namespace detail

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment).
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal,
                                                   const EdgeFilter& allowed) {
  KSIM_VERIFY(isGoal.size() == graph.stateCount(),
              "statesThatCannotReach: goal vector size differs from state count");
  if (graph.edgeCount() <= 0xffffffffu) return detail::cannotReach<std::uint32_t>(graph, isGoal, allowed);
  return detail::cannotReach<std::uint64_t>(graph, isGoal, allowed);
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
