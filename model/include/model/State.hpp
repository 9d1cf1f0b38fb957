// The explored state: the flat kernel world plus whether the kernel has
// panicked.  A flat value without padding: equality and hashing work on
// its bytes, copying is cheap, and nothing in it is a pointer.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ksim/world.h"

namespace model {

struct State {
  ksim_world world{};
  std::uint8_t panicked = 0;  ///< the kernel panicked or hung: nothing runs any more
  std::uint8_t spare[7] = {};

  friend bool operator==(const State& a, const State& b) { return std::memcmp(&a, &b, sizeof(State)) == 0; }
  const ksim_proc_rec& proc(unsigned slot) const { return world.proc[slot]; }
  ksim_proc_rec& proc(unsigned slot) { return world.proc[slot]; }
};

static_assert(std::has_unique_object_representations_v<ksim_proc_rec>,
              "ksim_proc_rec must have no padding: its bytes are its value");
// 40 bytes a process: the signal fields added for handlers and masks
// (sigpend_hi, sigact) took the record's two spare bytes, so a stored
// state is as large as before them.
static_assert(sizeof(ksim_proc_rec) == 40, "a process record grew: every stored state grows with it");
static_assert(std::has_unique_object_representations_v<ksim_world>);
static_assert(std::has_unique_object_representations_v<State>);

/// Hash of the state's bytes (XXH3); deterministic across runs and hosts.
std::uint64_t hashState(const State& s);

}  // namespace model
