#pragma once

// Analyses on an explored graph (Result::graph, recorded with Options::recordGraph). toBoostGraph
// gives it to Boost.Graph; vertex i of every graph built here is StateIndex i.
//
// statesThatCannotReach(graph, goal) returns, sorted ascending, the stored states from which no
// goal state is reachable: a reverse search from the goal states over reversed edges, and whatever
// it does not reach. It needs 4 bytes per state (8 beyond 2^32 edges), two flag vectors and, per edge
// outside the breadth-first tree, as few bytes as hold a state index (3 up to 16 M states) (what the search's
// memory accounting reserves for it unless the caller says otherwise: Options::graphAnalysisBytes). This is the core of progress
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

/// Edges grouped by target, in compressed form (the graph of a large search has tens of millions
/// of edges): per target an offset (32 bits when edgeBound fits, else 64), per edge a value below
/// valueLimit (a source, or a source with a tag) in as few bytes as hold valueLimit
/// (packedValueBytes, sim/Explorer.hpp). Built from an
/// enumeration of the edges run twice, once to count the edges into each target and once to place
/// their values; forEachEdge(add) must call add(target, value) for the same edges both times, at
/// most edgeBound of them.
class PackedInEdges {
 public:
  template <class ForEachEdge>
  PackedInEdges(std::uint64_t targetCount, std::uint64_t edgeBound, std::uint64_t valueLimit,
                const ForEachEdge& forEachEdge)
      : width_(packedValueBytes(valueLimit)) {
    if (edgeBound <= 0xffffffffu) {
      build(narrow_, targetCount, forEachEdge);
    } else {
      build(wide_, targetCount, forEachEdge);
    }
  }

  /// f(value) for every edge into `target`.
  template <class F>
  void forEachInto(std::uint64_t target, F&& f) const {
    const std::uint64_t end = target + 2 < offsetCount() ? offset(target + 2) : values_.size() / width_;
    for (std::uint64_t k = offset(target + 1); k < end; ++k) {
      std::uint64_t v = 0;
      for (std::size_t b = 0; b < width_; ++b) v |= std::uint64_t{values_[k * width_ + b]} << (8 * b);
      f(v);
    }
  }

 private:
  template <class Offset, class ForEachEdge>
  void build(std::vector<Offset>& first, std::uint64_t targetCount, const ForEachEdge& forEachEdge) {
    // first[t+1] counts, then (prefix sums) ends, then (filled backwards) starts the edges into t.
    first.assign(targetCount + 1, 0);
    forEachEdge([&](std::uint64_t target, std::uint64_t) { ++first[target + 1]; });
    for (std::uint64_t t = 1; t <= targetCount; ++t) first[t] += first[t - 1];
    values_.resize(static_cast<std::size_t>(first[targetCount]) * width_);
    // Placing at --first[t+1] turns each end into a start (the order within a target does not
    // matter to a reverse search).
    forEachEdge([&](std::uint64_t target, std::uint64_t value) {
      const std::size_t at = static_cast<std::size_t>(--first[target + 1]) * width_;
      for (std::size_t b = 0; b < width_; ++b) values_[at + b] = static_cast<unsigned char>(value >> (8 * b));
    });
  }
  std::uint64_t offsetCount() const noexcept { return narrow_.empty() ? wide_.size() : narrow_.size(); }
  std::uint64_t offset(std::uint64_t i) const noexcept { return narrow_.empty() ? wide_[i] : narrow_[i]; }

  std::size_t width_;
  std::vector<std::uint32_t> narrow_;  // the offsets, when edgeBound fits 32 bits
  std::vector<std::uint64_t> wide_;    // ... otherwise
  std::vector<unsigned char> values_;
};

/// Marks in `reaches` every vertex from which a vertex already marked is reachable: a reverse
/// search, predecessors(v, reach) calling reach(u) for the source u of every edge u -> v. It needs
/// no queue (which would cost 4 bytes per vertex): `pending` marks the vertices reached whose
/// predecessors are still to be marked, and sweeps take them from the highest index down, so
/// that a predecessor with a lower index (the tree edge, and most edges of a breadth-first graph)
/// is taken in the same sweep; one above starts another sweep.
template <class Predecessors>
void reachBackward(std::vector<bool>& reaches, const Predecessors& predecessors) {
  std::vector<std::uint64_t> pending((reaches.size() + 63) / 64, 0);
  std::size_t highestPending = 0;         // one past the highest word a sweep must start from (0: none)
  std::size_t sweeping = pending.size();  // the word the sweep is at (none yet: the size)
  auto markPending = [&](std::uint64_t v) {
    const std::size_t word = v / 64;
    pending[word] |= std::uint64_t{1} << (v % 64);
    // The sweep takes it if it is at or below the sweep's word.
    if (sweeping == pending.size() || word > sweeping) highestPending = std::max(highestPending, word + 1);
  };
  for (std::uint64_t v = 0; v < reaches.size(); ++v)
    if (reaches[v]) markPending(v);
  auto reach = [&](std::uint64_t from) {
    if (reaches[from]) return;
    reaches[from] = true;
    markPending(from);
  };
  while (highestPending != 0) {
    std::size_t word = highestPending;
    highestPending = 0;
    while (word-- != 0) {
      sweeping = word;
      while (pending[word] != 0) {
        const auto bit = static_cast<unsigned>(63 - std::countl_zero(pending[word]));
        pending[word] &= ~(std::uint64_t{1} << bit);
        predecessors(word * 64 + bit, reach);
      }
    }
  }
}

/// States (sorted ascending) from which no state with isGoal[i] is reachable, moving only along
/// edges for which allowed(edge) holds (see the header comment).
template <class Action, class State, class EdgeFilter>
std::vector<StateIndex> statesThatCannotReachAlong(const ExploredGraph<Action, State>& graph,
                                                   const std::vector<bool>& isGoal,
                                                   const EdgeFilter& allowed) {
  KSIM_VERIFY(isGoal.size() == graph.stateCount(),
              "statesThatCannotReach: goal vector size differs from state count");
  const std::size_t n = graph.stateCount();
  // A search from every goal state and every state whose successors are unknown.
  std::vector<bool> reaches(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto state = static_cast<StateIndex>(i);
    reaches[i] = isGoal[i] || (!graph.expanded(state) && !graph.terminal(state));
  }
  {
    // The allowed edges reversed, but for the breadth-first tree's (parent -> child): the graph
    // has them (parent, firstAction). Freed before the answer is built, which is never larger.
    const PackedInEdges in(n, graph.edgeCount(), n, [&](const auto& add) {
      graph.forEachEdgeMarkingTree([&](const Edge<Action>& edge, bool inTree) {
        if (!inTree && allowed(edge)) add(edge.target, edge.source);
      });
    });
    reachBackward(reaches, [&](std::uint64_t v, const auto& reach) {
      const auto t = static_cast<StateIndex>(v);
      if (t != 0 && allowed(Edge<Action>{graph.parent(t), t, graph.firstAction(t)})) reach(graph.parent(t));
      in.forEachInto(t, reach);
    });
  }
  std::vector<StateIndex> stuck;
  stuck.reserve(static_cast<std::size_t>(std::count(reaches.begin(), reaches.end(), false)));
  for (std::size_t i = 0; i < n; ++i)
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
