// The explored state: the flat kernel world plus whether the kernel has
// panicked.  A flat value without padding: equality and hashing work on
// its bytes, copying is cheap, and nothing in it is a pointer.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ksim/world.h"

namespace model {

/// More instances of one process's one signal (model/SignalQueue.hpp).
struct SignalQueueCell {
  std::uint8_t key = 0;     ///< slot << 5 | signal number; signal 0: the cell is empty
  std::uint8_t passed = 0;  ///< instances its debugger passed on, beyond the first in line; taken first
  std::uint8_t sent = 0;    ///< instances sent (kill(2), issignal()'s re-queue), beyond the first; taken after
};
inline constexpr unsigned kSignalQueueCells = 2;

struct State {
  ksim_world world{};
  std::uint8_t panicked = 0;  ///< the kernel panicked or hung: nothing runs any more
  /// The signal queue (family signal-queue; kernel/PROVENANCE.md section
  /// 18): the instances of a process's signal queued beyond the one its
  /// pending bit (and passed-on mark) stands for, for two (process,
  /// signal) pairs at a time.  World-wide cells in bytes that were spare,
  /// so that the process record does not grow; all zero while the family
  /// is left out, and whenever nothing is queued twice.
  SignalQueueCell sigq[kSignalQueueCells] = {};
  std::uint8_t spare[1] = {};

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
