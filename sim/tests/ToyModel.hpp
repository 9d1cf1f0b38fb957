#pragma once

// A hand-made model whose state graph is known exactly.
//
//        a        c
//   S0 -----> S1 -----> S3 --f--> S4 (terminal: "panic") --g--> S6 (never explored)
//    |  ^                ^ |
//    | b \______e_______/  |
//    v                  d  |
//   S2 -------------------/
//    |
//    h
//    v
//   S5 <--i-- (self-loop on S5)
//
// Edges in emission order: S0: a->S1, b->S2; S1: c->S3; S2: d->S3, h->S5; S3: e->S0, f->S4;
// S4: g->S6 (S4 is terminal, so never expanded); S5: i->S5.
// BFS discovery order / state indices: S0=0, S1=1, S2=2, S3=3, S5=4, S4=5.
// Depths: S0 0; S1, S2 1; S3, S5 2; S4 3.
//
// Properties:
//   0 "S3 unreachable"     state finding on S3                      -> shortest cx: a c
//   1 "no panic"           transition finding on f (S3 -> S4)       -> shortest cx: a c f
//   2 "S6 unreachable"     state finding on S6 (only behind S4)     -> holds
//   3 "initial sane"       state finding on S0 iff initialViolates  -> cx of length 0

#include "sim/Explorer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sim::test {

struct ToyState {
  int id = 0;
  bool operator==(const ToyState&) const = default;
};

using ToyAction = char;

struct ToyConfig {
  bool initialViolates = false;  ///< S0 violates property 3
  bool collidingHash = false;    ///< every state hashes to the same value
};

class ToyModel {
 public:
  using State = ToyState;
  using Action = ToyAction;

  static constexpr PropertyIndex kS3Unreachable = 0;
  static constexpr PropertyIndex kNoPanic = 1;
  static constexpr PropertyIndex kS6Unreachable = 2;
  static constexpr PropertyIndex kInitialSane = 3;

  explicit ToyModel(ToyConfig config = {}) : config_(config) {}

  State initial() const { return State{0}; }

  std::uint64_t hash(const State& s) const {
    return config_.collidingHash ? 42u : static_cast<std::uint64_t>(s.id);
  }

  void expand(const State& s, Emitter<Action, State>& emit) const {
    switch (s.id) {
      case 0:
        emit('a', State{1});
        emit('b', State{2});
        break;
      case 1:
        emit('c', State{3});
        break;
      case 2:
        emit('d', State{3});
        emit('h', State{5});
        break;
      case 3:
        emit('e', State{0});
        emit('f', State{4}, {Finding{kNoPanic, "panic: f"}}, /*terminal=*/true);
        break;
      case 4:
        emit('g', State{6});
        break;
      case 5:
        emit('i', State{5});
        break;
      default:
        break;
    }
  }

  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s.id == 3) out.push_back(Finding{kS3Unreachable, "reached S3"});
    if (s.id == 6) out.push_back(Finding{kS6Unreachable, "reached S6"});
    if (s.id == 0 && config_.initialViolates) out.push_back(Finding{kInitialSane, "initial state insane"});
  }

  std::size_t propertyCount() const { return 4; }

  std::string propertyName(PropertyIndex p) const {
    switch (p) {
      case kS3Unreachable:
        return "S3 unreachable";
      case kNoPanic:
        return "no panic";
      case kS6Unreachable:
        return "S6 unreachable";
      case kInitialSane:
        return "initial sane";
      default:
        return "?";
    }
  }

 private:
  ToyConfig config_;
};

static_assert(ExplorableModel<ToyModel>);

}  // namespace sim::test
