// Throughput of sim::explore on a cheap synthetic model: a side x side torus where every state
// has `moves` successors (fixed offsets, wrapping). All side^2 states are reachable, so a run
// stores side^2 states and handles side^2 * moves transitions.
//
//   ksim_sim_bench [side=1000] [moves=50]
//
// Timing is done here, by the caller of the engine; the engine never reads a clock.

#include "sim/Explorer.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Cell {
  std::uint32_t x = 0;
  std::uint32_t y = 0;
  bool operator==(const Cell&) const = default;
};

class TorusModel {
 public:
  using State = Cell;
  using Action = std::uint8_t;

  TorusModel(std::uint32_t side, std::uint32_t moves) : side_(side) {
    for (std::uint32_t k = 0; k < moves; ++k) {
      // Distinct small offsets, including the four unit steps first.
      const std::int32_t dx[4] = {1, -1, 0, 0};
      const std::int32_t dy[4] = {0, 0, 1, -1};
      if (k < 4) {
        offsets_.push_back({dx[k], dy[k]});
      } else {
        offsets_.push_back({static_cast<std::int32_t>(k % 7) - 3, static_cast<std::int32_t>(k / 7) + 1});
      }
    }
  }

  State initial() const { return Cell{0, 0}; }
  std::uint64_t hash(const State& s) const { return (std::uint64_t{s.x} << 32) | s.y; }
  void expand(const State& s, sim::Emitter<Action, State>& emit) const {
    const auto side = static_cast<std::int64_t>(side_);
    for (std::size_t k = 0; k < offsets_.size(); ++k) {
      const auto nx = static_cast<std::uint32_t>(((s.x + offsets_[k].first) % side + side) % side);
      const auto ny = static_cast<std::uint32_t>(((s.y + offsets_[k].second) % side + side) % side);
      emit(static_cast<Action>(k), Cell{nx, ny});
    }
  }
  void stateFindings(const State& s, std::vector<sim::Finding>& out) const {
    if (s.x == side_ - 1 && s.y == side_ - 1) out.push_back(sim::Finding{0, "far corner"});
  }
  std::size_t propertyCount() const { return 1; }
  std::string propertyName(sim::PropertyIndex) const { return "far corner unreachable"; }

 private:
  std::uint32_t side_;
  std::vector<std::pair<std::int64_t, std::int64_t>> offsets_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::uint32_t side = argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1000;
  const std::uint32_t moves = argc > 2 ? static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 50;
  const TorusModel model(side, moves);
  const auto start = std::chrono::steady_clock::now();
  const auto result = sim::explore(model, sim::Options{});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "%s: %llu states, %llu transitions, depth %llu, %.2f s: %.0f states/s, %.0f transitions/s; cx length "
      "%zu\n",
      std::string(sim::to_string(result.completion)).c_str(),
      static_cast<unsigned long long>(result.stats.states),
      static_cast<unsigned long long>(result.stats.transitions),
      static_cast<unsigned long long>(result.stats.maxDepth), seconds,
      static_cast<double>(result.stats.states) / seconds,
      static_cast<double>(result.stats.transitions) / seconds,
      result.counterexamples.empty() ? std::size_t{0} : result.counterexamples[0].actions.size());
  return result.stats.states == std::uint64_t{side} * side ? 0 : 1;
}
