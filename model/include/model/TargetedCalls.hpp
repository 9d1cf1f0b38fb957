// The calls that name another process: every ptrace request but
// PT_TRACE_ME, every ktrace operation and every signal kill(2) can send.
// Written once, here: Kernel::enabledActions aims each at every target,
// and ksim programs' generator draws from the same rows, so a request the
// model gains is searched and drawn alike.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "model/Action.hpp"
#include "model/Calls.hpp"
#include "model/Signals.hpp"

namespace model {

struct TargetedCall {
  Call call;
  /// The family that draws it (`--omit` leaves it out).
  CallFamily family;
  /// The family it needs besides: every ptrace request needs "ptrace" and
  /// ktrace with inheritance needs "ktrace".  Equal to `family` when none.
  CallFamily needs;
  std::uint8_t op;
  std::int8_t data;
};

namespace detail {

constexpr std::size_t countOtherSendableSignals() {
  std::size_t n = 0;
  for (const SignalSpec& s : kSignals)
    if (s.sendable && s.signal != KSIM_SIGQUIT) ++n;
  return n;
}

// The rows besides kill's further signals.
inline constexpr TargetedCall kFixedTargetedCalls[] = {
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, kPtAttach, 0},
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, kPtDetach, 0},
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, kPtContinue, 0},
    {Call::Ptrace, CallFamily::PtraceSignal, CallFamily::Ptrace, kPtContinue, KSIM_SIGQUIT},
    {Call::Ptrace, CallFamily::PtraceKill, CallFamily::Ptrace, kPtKill, 0},
    {Call::Ptrace, CallFamily::PtraceFollowFork, CallFamily::Ptrace, kPtFollowFork, 1},
    {Call::Ptrace, CallFamily::PtraceFollowFork, CallFamily::Ptrace, kPtFollowFork, 0},
    {Call::Ptrace, CallFamily::PtraceEventMask, CallFamily::Ptrace, kPtSetEventMask, 0},
    {Call::Ptrace, CallFamily::PtraceEventMask, CallFamily::Ptrace, kPtSetEventMask,
     KSIM_PTRACE_EXEC | KSIM_PTRACE_FORK},
    {Call::Ptrace, CallFamily::PtraceQueries, CallFamily::Ptrace, kPtLwpinfo, 0},
    {Call::Ptrace, CallFamily::PtraceQueries, CallFamily::Ptrace, kPtGetEventMask, 0},
    {Call::Ktrace, CallFamily::Ktrace, CallFamily::Ktrace, kKtrSet, 0},
    {Call::Ktrace, CallFamily::KtraceInherit, CallFamily::Ktrace, kKtrSetInherit, 0},
    {Call::Ktrace, CallFamily::Ktrace, CallFamily::Ktrace, kKtrClear, 0},
    {Call::Kill, CallFamily::Kill, CallFamily::Kill, 0, KSIM_SIGQUIT},
};

constexpr auto makeTargetedCalls() {
  std::array<TargetedCall, std::size(kFixedTargetedCalls) + countOtherSendableSignals()> rows{};
  std::size_t n = 0;
  for (const TargetedCall& row : kFixedTargetedCalls) rows[n++] = row;
  // SIGQUIT is the kill family's row above; the other signals are
  // kill-signals', in kSignals' order.
  for (const SignalSpec& s : kSignals)
    if (s.sendable && s.signal != KSIM_SIGQUIT)
      rows[n++] = {Call::Kill, CallFamily::KillSignals, CallFamily::KillSignals, 0,
                   static_cast<std::int8_t>(s.signal)};
  return rows;
}

}  // namespace detail

/// In the order the explorer tries them on each target: the search's
/// order, and with it which of several shortest counterexamples is found,
/// follows this table.
inline constexpr auto kTargetedCalls = detail::makeTargetedCalls();

}  // namespace model
