// The signals the model has, written once: FreeBSD's number and name, the
// pending bit in ksim_proc_rec.sigpend, the default action, and whether a
// process may send it (kill(2), a debugger's resume) or only the kernel
// raises it (SIGTRAP: exec and fork events).  Ordered by number, as
// issignal() picks the lowest (after SIGKILL).  kernel/PROVENANCE.md
// section 13.
#pragma once

#include <cstdint>
#include <string_view>

#include "ksim/flags.h"
#include "ksim/world.h"

namespace model {

struct SignalSpec {
  int signal;
  std::string_view name;
  std::uint8_t bit;  ///< KSIM_SIGBIT_*
  bool terminates;   ///< the default action ends the process (SIGQUIT and SIGTRAP with a core)
  bool sendable;     ///< kill(2) and PT_CONTINUE/PT_DETACH can send it
};

inline constexpr SignalSpec kSignals[] = {
    {KSIM_SIGQUIT, "SIGQUIT", KSIM_SIGBIT_QUIT, true, true},
    {KSIM_SIGTRAP, "SIGTRAP", KSIM_SIGBIT_TRAP, true, false},
    {KSIM_SIGKILL, "SIGKILL", KSIM_SIGBIT_KILL, true, true},
    {KSIM_SIGTERM, "SIGTERM", KSIM_SIGBIT_TERM, true, true},
    {KSIM_SIGSTOP, "SIGSTOP", KSIM_SIGBIT_STOP, false, true},
    {KSIM_SIGCONT, "SIGCONT", KSIM_SIGBIT_CONT, false, true},
    {KSIM_SIGUSR1, "SIGUSR1", KSIM_SIGBIT_USR1, true, true},
};

/// The row of a signal the model has; nullptr for any other number.
constexpr const SignalSpec* findSignal(int signal) {
  for (const SignalSpec& s : kSignals)
    if (s.signal == signal) return &s;
  return nullptr;
}

/// The pending bits of the signals whose default action ends the process.
constexpr std::uint8_t terminatingSignalBits() {
  std::uint8_t bits = 0;
  for (const SignalSpec& s : kSignals)
    if (s.terminates) bits |= s.bit;
  return bits;
}

}  // namespace model
