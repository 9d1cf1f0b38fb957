// The signals the model has, written once: FreeBSD's number and name, the
// pending bit (ksim_proc_rec.sigpend, and sigpend_hi for the signals
// added with handlers and masks), the default action, whether a process
// may send it (kill(2), a debugger's resume), the family in which the
// explorer sends it, and its action slot: where sigaction(2)'s disposition
// and sigprocmask(2)'s block bit are kept, for the four signals that can
// be caught, ignored or blocked here.  Ordered by number, as issignal()
// picks the lowest (after SIGKILL).  kernel/PROVENANCE.md sections 13 and
// 16.
#pragma once

#include <cstdint>
#include <string_view>

#include "ksim/flags.h"
#include "ksim/world.h"
#include "model/Calls.hpp"

namespace model {

/// No action slot: the signal always takes its default action.
inline constexpr int kNoActionSlot = -1;
inline constexpr int kActionSlots = 4;

/// Where the signal queue (family signal-queue) marks a pending instance
/// the debugger passed on: which byte of the record, and the bit.
enum class PassedField : std::uint8_t { NoStopFlag, Sigpend, Sigflags, SigpendHi, None };

struct SignalSpec {
  int signal;
  std::string_view name;
  std::uint16_t bit;    ///< KSIM_SIGBIT_*
  bool terminates;      ///< the default action ends the process (SIGQUIT, SIGTRAP and SIGABRT with a core)
  bool sendable;        ///< kill(2) and PT_CONTINUE/PT_DETACH can send it in a scenario
  CallFamily explored;  ///< the family in which the explorer sends it with kill(2)
  int actionSlot;       ///< where its disposition and block bit are kept; kNoActionSlot: none
  PassedField passedField;  ///< signal-queue: where its passed-on mark is (SIGKILL: KSIM_SIGF_NOSTOP)
  std::uint8_t passedMask;  ///< that mark's bit
};

// SIGTRAP is sendable in scenarios (a debugger passes it in
// ptrace__PT_CONTINUE_with_sigtrap_system_call_entry) but the explorer
// sends it only in the more-signals family, like the signals added with it.
inline constexpr SignalSpec kSignals[] = {
    {KSIM_SIGINT, "SIGINT", KSIM_SIGBIT_INT, true, true, CallFamily::MoreSignals, 0, PassedField::SigpendHi, KSIM_SIGPEND_HI_PASSED_INT},
    {KSIM_SIGQUIT, "SIGQUIT", KSIM_SIGBIT_QUIT, true, true, CallFamily::Kill, kNoActionSlot, PassedField::Sigpend, KSIM_SIGPEND_PASSED_QUIT},
    {KSIM_SIGTRAP, "SIGTRAP", KSIM_SIGBIT_TRAP, true, true, CallFamily::MoreSignals, kNoActionSlot, PassedField::Sigflags, KSIM_SIGF_PASSED_TRAP},
    {KSIM_SIGABRT, "SIGABRT", KSIM_SIGBIT_ABRT, true, true, CallFamily::MoreSignals, kNoActionSlot, PassedField::SigpendHi, KSIM_SIGPEND_HI_PASSED_ABRT},
    {KSIM_SIGKILL, "SIGKILL", KSIM_SIGBIT_KILL, true, true, CallFamily::KillSignals, kNoActionSlot, PassedField::NoStopFlag, KSIM_SIGF_NOSTOP},
    {KSIM_SIGTERM, "SIGTERM", KSIM_SIGBIT_TERM, true, true, CallFamily::KillSignals, 1, PassedField::SigpendHi, KSIM_SIGPEND_HI_PASSED_TERM},
    {KSIM_SIGSTOP, "SIGSTOP", KSIM_SIGBIT_STOP, false, true, CallFamily::KillSignals, kNoActionSlot, PassedField::None, 0},
    {KSIM_SIGCONT, "SIGCONT", KSIM_SIGBIT_CONT, false, true, CallFamily::KillSignals, kNoActionSlot, PassedField::Sigflags, KSIM_SIGF_PASSED_CONT},
    {KSIM_SIGUSR1, "SIGUSR1", KSIM_SIGBIT_USR1, true, true, CallFamily::KillSignals, 2, PassedField::SigpendHi, KSIM_SIGPEND_HI_PASSED_USR1},
    {KSIM_SIGUSR2, "SIGUSR2", KSIM_SIGBIT_USR2, true, true, CallFamily::MoreSignals, 3, PassedField::SigpendHi, KSIM_SIGPEND_HI_PASSED_USR2},
};

/// The row of a signal the model has; nullptr for any other number.
constexpr const SignalSpec* findSignal(int signal) {
  for (const SignalSpec& s : kSignals)
    if (s.signal == signal) return &s;
  return nullptr;
}

/// The pending bits of the signals whose default action ends the process.
constexpr std::uint16_t terminatingSignalBits() {
  std::uint16_t bits = 0;
  for (const SignalSpec& s : kSignals)
    if (s.terminates) bits |= s.bit;
  return bits;
}

/// The signals pending for a process, as one set of KSIM_SIGBIT_* bits:
/// SIGTRAP if an event stop is due or a SIGTRAP signal is pending.
constexpr std::uint16_t pendingSignals(const ksim_proc_rec& p) {
  return static_cast<std::uint16_t>((p.sigpend & KSIM_SIGPEND_BITS) | (p.sigpend_hi & KSIM_SIGPEND_HI_BITS) << 8 |
                                    ((p.sigflags & KSIM_SIGF_SIGTRAP) != 0 ? KSIM_SIGBIT_TRAP : 0));
}

/// Makes signals pending as signals (sent or passed on): SIGTRAP in its
/// own flag, apart from the event stops' bit.
constexpr void addPendingSignals(ksim_proc_rec& p, std::uint16_t bits) {
  if ((bits & KSIM_SIGBIT_TRAP) != 0) p.sigflags |= KSIM_SIGF_SIGTRAP;
  bits = static_cast<std::uint16_t>(bits & ~KSIM_SIGBIT_TRAP);
  p.sigpend = static_cast<std::uint8_t>(p.sigpend | (bits & 0xff));
  p.sigpend_hi = static_cast<std::uint8_t>(p.sigpend_hi | bits >> 8);
}

/// Whether the pending instance of a signal first in line is one its
/// debugger passed on (signal-queue's mark; SIGKILL: KSIM_SIGF_NOSTOP).
constexpr bool passedMark(const ksim_proc_rec& p, const SignalSpec& s) {
  switch (s.passedField) {
    case PassedField::NoStopFlag:
      return (p.sigflags & s.passedMask) != 0;
    case PassedField::Sigpend:
      return (p.sigpend & s.passedMask) != 0;
    case PassedField::Sigflags:
      return (p.sigflags & s.passedMask) != 0;
    case PassedField::SigpendHi:
      return (p.sigpend_hi & s.passedMask) != 0;
    case PassedField::None:
      return false;
  }
  return false;
}

constexpr void setPassedMark(ksim_proc_rec& p, const SignalSpec& s, bool on) {
  std::uint8_t* field = nullptr;
  switch (s.passedField) {
    case PassedField::NoStopFlag:
    case PassedField::Sigflags:
      field = &p.sigflags;
      break;
    case PassedField::Sigpend:
      field = &p.sigpend;
      break;
    case PassedField::SigpendHi:
      field = &p.sigpend_hi;
      break;
    case PassedField::None:
      return;
  }
  *field = static_cast<std::uint8_t>(on ? (*field | s.passedMask) : (*field & ~s.passedMask));
}

/// Takes signals out of the pending set, every instance (sigqueue_delete);
/// SIGTRAP the signal if one is pending, else the event stop's bit.  The
/// passed-on marks of signal-queue go with them (SIGKILL's, the older
/// KSIM_SIGF_NOSTOP, is left to the callers, as before the queue).
constexpr void removePendingSignals(ksim_proc_rec& p, std::uint16_t bits) {
  if ((bits & KSIM_SIGBIT_TRAP) != 0 && (p.sigflags & KSIM_SIGF_SIGTRAP) != 0) {
    p.sigflags &= static_cast<std::uint8_t>(~(KSIM_SIGF_SIGTRAP | KSIM_SIGF_PASSED_TRAP));
    bits = static_cast<std::uint16_t>(bits & ~KSIM_SIGBIT_TRAP);
  }
  for (const SignalSpec& s : kSignals)
    if ((bits & s.bit) != 0 && s.passedField != PassedField::NoStopFlag && s.signal != KSIM_SIGTRAP)
      setPassedMark(p, s, false);
  p.sigpend = static_cast<std::uint8_t>(p.sigpend & ~(bits & KSIM_SIGPEND_BITS));
  p.sigpend_hi = static_cast<std::uint8_t>(p.sigpend_hi & ~((bits >> 8) & KSIM_SIGPEND_HI_BITS));
}

/// No signal pending, event stops included, and no passed-on mark.
constexpr void clearPendingSignals(ksim_proc_rec& p) {
  p.sigpend = p.sigpend_hi = 0;
  p.sigflags &= static_cast<std::uint8_t>(~(KSIM_SIGF_SIGTRAP | KSIM_SIGF_PASSED_TRAP | KSIM_SIGF_PASSED_CONT));
}

/// sigaction(2)'s disposition of a signal: KSIM_SIGACT_DFL for one
/// without an action slot.
constexpr unsigned signalAction(const ksim_proc_rec& p, const SignalSpec& s) {
  if (s.actionSlot == kNoActionSlot) return KSIM_SIGACT_DFL;
  return (p.sigact >> (KSIM_SIGACT_BITS * s.actionSlot)) & ((1u << KSIM_SIGACT_BITS) - 1);
}

constexpr void setSignalAction(ksim_proc_rec& p, const SignalSpec& s, unsigned action) {
  unsigned shift = KSIM_SIGACT_BITS * static_cast<unsigned>(s.actionSlot);
  unsigned field = ((1u << KSIM_SIGACT_BITS) - 1) << shift;
  p.sigact = static_cast<std::uint8_t>((p.sigact & ~field) | (action << shift));
}

/// The sigflags bit that blocks a signal with an action slot.
constexpr std::uint8_t blockFlag(const SignalSpec& s) {
  return s.actionSlot == kNoActionSlot ? 0
                                       : static_cast<std::uint8_t>(1u << (KSIM_SIGF_BLOCK_SHIFT + s.actionSlot));
}

/// The pending bits of the signals the process blocks (td_sigmask).
constexpr std::uint16_t blockedSignals(const ksim_proc_rec& p) {
  std::uint16_t bits = 0;
  for (const SignalSpec& s : kSignals)
    if ((p.sigflags & blockFlag(s)) != 0) bits |= s.bit;
  return bits;
}

/// The pending bits of the signals that, taken with the process's
/// current dispositions, end it: a terminating default action not caught
/// or ignored.
constexpr std::uint16_t fatalSignalBits(const ksim_proc_rec& p) {
  std::uint16_t bits = 0;
  for (const SignalSpec& s : kSignals)
    if (s.terminates && signalAction(p, s) == KSIM_SIGACT_DFL) bits |= s.bit;
  return bits;
}

}  // namespace model
