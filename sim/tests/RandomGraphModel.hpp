#pragma once

// A model whose state graph is an explicit random directed graph, plus a RapidCheck generator
// and an independent reachability oracle (Boost.Graph BFS, not the engine).
//
// State = vertex; Action = position of the edge in the vertex's adjacency list.
// Property 0 "no marked vertex" (state finding), property 1 "no marked edge" (transition finding).
// Vertices flagged terminal are emitted with terminal == true (the root never is).

#include "sim/Explorer.hpp"

#include <rapidcheck.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sim::test {

struct RandomGraph {
  std::uint32_t vertexCount = 1;
  std::vector<std::vector<std::uint32_t>> adjacency;  // adjacency[v][k] = target of v's k-th edge
  std::vector<bool> markedVertex;
  std::vector<std::vector<bool>> markedEdge;  // parallel to adjacency
  std::vector<bool> terminal;                 // terminal[0] == false
};

inline rc::Gen<RandomGraph> genRandomGraph() {
  return rc::gen::exec([] {
    RandomGraph g;
    g.vertexCount = *rc::gen::inRange<std::uint32_t>(1, 40);
    const std::uint32_t n = g.vertexCount;
    g.adjacency.resize(n);
    g.markedEdge.resize(n);
    g.markedVertex.resize(n);
    g.terminal.resize(n);
    for (std::uint32_t v = 0; v < n; ++v) {
      const auto degree = *rc::gen::inRange<std::size_t>(0, 5);
      g.adjacency[v] =
          *rc::gen::container<std::vector<std::uint32_t>>(degree, rc::gen::inRange<std::uint32_t>(0, n));
      for (std::size_t k = 0; k < degree; ++k) g.markedEdge[v].push_back(*rc::gen::inRange(0, 12) == 0);
      g.markedVertex[v] = *rc::gen::inRange(0, 8) == 0;
      g.terminal[v] = v != 0 && *rc::gen::inRange(0, 8) == 0;
    }
    return g;
  });
}

class RandomGraphModel {
 public:
  using State = std::uint32_t;
  using Action = std::uint32_t;

  static constexpr PropertyIndex kNoMarkedVertex = 0;
  static constexpr PropertyIndex kNoMarkedEdge = 1;

  explicit RandomGraphModel(const RandomGraph& graph) : g_(graph) {}

  State initial() const { return 0; }
  std::uint64_t hash(const State& v) const { return v; }
  void expand(const State& v, Emitter<Action, State>& emit) const {
    for (std::uint32_t k = 0; k < g_.adjacency[v].size(); ++k) {
      const std::uint32_t w = g_.adjacency[v][k];
      std::vector<Finding> findings;
      if (g_.markedEdge[v][k]) findings.push_back(Finding{kNoMarkedEdge, "marked edge"});
      emit(k, w, std::move(findings), g_.terminal[w]);
    }
  }
  void stateFindings(const State& v, std::vector<Finding>& out) const {
    if (g_.markedVertex[v]) out.push_back(Finding{kNoMarkedVertex, "marked vertex"});
  }
  std::size_t propertyCount() const { return 2; }
  std::string propertyName(PropertyIndex p) const { return p == 0 ? "no marked vertex" : "no marked edge"; }

 private:
  const RandomGraph& g_;
};

static_assert(ExplorableModel<RandomGraphModel>);

inline constexpr std::uint64_t kUnreached = std::numeric_limits<std::uint64_t>::max();

/// BFS distance from the root with Boost.Graph (edges leaving terminal vertices removed);
/// kUnreached for unreachable vertices.
inline std::vector<std::uint64_t> oracleDistances(const RandomGraph& g) {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  G bg(g.vertexCount);
  for (std::uint32_t v = 0; v < g.vertexCount; ++v) {
    if (g.terminal[v]) continue;
    for (const std::uint32_t w : g.adjacency[v]) boost::add_edge(v, w, bg);
  }
  std::vector<std::uint64_t> dist(g.vertexCount, kUnreached);
  dist[0] = 0;
  boost::breadth_first_search(
      bg, boost::vertex(0, bg),
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge()))));
  return dist;
}

}  // namespace sim::test
