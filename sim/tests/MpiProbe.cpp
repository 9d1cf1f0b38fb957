// ksim_sim_mpi_probe: runs exploreDistributed over MPI on a few models and options and prints,
// on rank 0, each Result in full (Stats::memoryBytes aside) and whether it equals explore()'s.
// The test MpiSameOutput.cmake runs it under `mpirun -n 1`, `-n 2` and `-n 3` and compares
// (and, with `pieces`, under `-n 3` with every message sent in rounds of a few bytes).

#include "sim/Distributed.hpp"
#include "sim/MpiTransport.hpp"

#include "RandomGraphModel.hpp"
#include "ToyModel.hpp"

#include <cstdint>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace sim;
using namespace sim::test;

std::string describe(const ToyState& s) { return "S" + std::to_string(s.id); }
std::string describe(char a) { return std::string(1, a); }
std::string describe(std::uint32_t v) { return std::to_string(v); }

template <class M>
std::string dump(const Result<M>& r) {
  std::ostringstream out;
  out << to_string(r.completion) << " states " << r.stats.states << " transitions " << r.stats.transitions
      << " depth " << r.stats.maxDepth << " terminal " << r.stats.terminalStates << " deadlock "
      << r.stats.deadlockStates << "\n";
  for (std::size_t p = 0; p < r.verdicts.size(); ++p)
    out << "  property " << p << " " << to_string(r.verdicts[p]) << " causes " << r.causeCounts[p] << "\n";
  for (const auto& cx : r.counterexamples) {
    out << "  cx " << cx.property << " cause " << cx.cause << (cx.viaTransition ? " via transition" : "") << " \""
        << cx.message << "\":";
    for (std::size_t i = 0; i < cx.states.size(); ++i) {
      if (i != 0) out << " -" << describe(cx.actions[i - 1]) << "->";
      out << " " << describe(cx.states[i]);
    }
    out << "\n";
  }
  if (r.graph) {
    const auto& g = *r.graph;
    out << "  graph " << g.stateCount() << " states " << g.edgeCount() << " edges\n";
    for (StateIndex i = 0; i < g.stateCount(); ++i) {
      out << "   " << i << " " << describe(g.state(i)) << " depth " << g.depth(i) << " parent " << g.parent(i)
          << (g.terminal(i) ? " terminal" : "") << (g.expanded(i) ? " expanded" : "");
      if (i != 0) out << " by " << describe(g.firstAction(i));
      out << "\n";
    }
    g.forEachEdge([&](const Edge<typename M::Action>& e) {
      out << "   edge " << e.source << " -" << describe(e.action) << "-> " << e.target << "\n";
    });
  }
  return out.str();
}

template <class M>
void probe(const std::string& name, const M& model, const Options& options, Transport& transport) {
  Result<M> got = exploreDistributed(model, options, transport, DistributedOptions{256});
  if (transport.rank() != 0) return;
  Result<M> expected = explore(model, options);
  got.stats.memoryBytes = expected.stats.memoryBytes = 0;
  std::cout << "== " << name << ": " << (got == expected ? "same as explore()" : "DIFFERS from explore()") << "\n"
            << dump(got);
}

/// A random graph from a fixed linear congruential sequence (the same on every rank and run).
RandomGraph fixedGraph(std::uint32_t vertices) {
  std::uint64_t x = 12345;
  auto next = [&](std::uint32_t bound) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>((x >> 33) % bound);
  };
  RandomGraph g;
  g.vertexCount = vertices;
  g.adjacency.resize(vertices);
  g.markedEdge.resize(vertices);
  g.markedVertex.resize(vertices);
  g.terminal.resize(vertices);
  for (std::uint32_t v = 0; v < vertices; ++v) {
    const std::uint32_t degree = next(5);
    for (std::uint32_t k = 0; k < degree; ++k) {
      g.adjacency[v].push_back(next(vertices));
      g.markedEdge[v].push_back(next(40) == 0);
    }
    g.markedVertex[v] = next(60) == 0;
    g.terminal[v] = v != 0 && next(10) == 0;
  }
  return g;
}

/// The toy model, except that every expansion throws if `fails` (set on one rank).
class FailingToyModel : public ToyModel {
 public:
  explicit FailingToyModel(bool fails) : fails_(fails) {}
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (fails_) throw std::runtime_error("this rank cannot expand");
    ToyModel::expand(s, emit);
  }

 private:
  bool fails_;
};

}  // namespace

int main(int argc, char** argv) {
  MpiSession session(&argc, &argv);
  // `ksim_sim_mpi_probe pieces`: the same probes with every collective cut into rounds of 7 bytes
  // per buffer, as a message of 2 GiB or more is cut (MpiTransport::kDefaultPieceBytes).
  const bool smallPieces = argc > 1 && std::string(argv[1]) == "pieces";
  MpiTransport transport(smallPieces ? 7 : MpiTransport::kDefaultPieceBytes);

  // `ksim_sim_mpi_probe fail`: the last rank throws; every process must end (MPI_Abort), none hang.
  if (argc > 1 && std::string(argv[1]) == "fail") {
    const FailingToyModel model(transport.rank() == transport.size() - 1);
    (void)exploreDistributed(model, Options{}, transport);
    std::cout << "no rank failed\n";
    return 0;
  }

  // `ksim_sim_mpi_probe large`: a random graph of 300 000 vertices, the summary only (by hand).
  if (argc > 1 && std::string(argv[1]) == "large") {
    const RandomGraph big = fixedGraph(300000);
    const RandomGraphModel model(big);
    Options options;
    options.recordGraph = true;
    options.allCauses = true;
    Result<RandomGraphModel> got = exploreDistributed(model, options, transport);
    if (transport.rank() == 0) {
      Result<RandomGraphModel> expected = explore(model, options);
      got.stats.memoryBytes = expected.stats.memoryBytes = 0;
      std::cout << (got == expected ? "same as explore()" : "DIFFERS from explore()") << ": "
                << got.stats.states << " states " << got.stats.transitions << " transitions depth "
                << got.stats.maxDepth << "\n";
    }
    return 0;
  }

  const ToyModel toy;
  Options graph;
  graph.recordGraph = true;
  probe("toy", toy, graph, transport);
  Options bounded = graph;
  bounded.bounds.maxStates = 4;
  probe("toy, 4 states", toy, bounded, transport);

  const RandomGraph g = fixedGraph(400);
  const RandomGraphModel random(g);
  probe("random graph", random, graph, transport);
  Options causes;
  causes.allCauses = true;
  causes.bounds.maxDepth = 6;
  probe("random graph, depth 6, all causes", random, causes, transport);
  Options stop;
  stop.stopAtViolationOf = {true, false};
  probe("random graph, stop at property 0", random, stop, transport);
  return 0;
}
