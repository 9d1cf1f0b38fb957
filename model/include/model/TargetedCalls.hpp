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
  /// The family that aims it, besides, at what is not a user process:
  /// init, the swapper and a pid no process has.
  CallFamily system;
  std::uint8_t op;
  std::int8_t data;
};

namespace detail {

constexpr std::size_t countExploredSignals() {
  std::size_t n = 0;
  for (const SignalSpec& s : kSignals)
    if (s.explored != CallFamily::Kill) ++n;
  return n;
}

// The rows besides kill's further signals.
inline constexpr TargetedCall kFixedTargetedCalls[] = {
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtAttach, 0},
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtDetach, 0},
    {Call::Ptrace, CallFamily::Ptrace, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtContinue, 0},
    {Call::Ptrace, CallFamily::PtraceSignal, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtContinue,
     KSIM_SIGQUIT},
    {Call::Ptrace, CallFamily::PtraceKill, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtKill, 0},
    {Call::Ptrace, CallFamily::PtraceFollowFork, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtFollowFork,
     1},
    {Call::Ptrace, CallFamily::PtraceFollowFork, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtFollowFork,
     0},
    {Call::Ptrace, CallFamily::PtraceEventMask, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtSetEventMask,
     0},
    {Call::Ptrace, CallFamily::PtraceEventMask, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtSetEventMask,
     KSIM_PTRACE_EXEC | KSIM_PTRACE_FORK},
    {Call::Ptrace, CallFamily::PtraceSyscall, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtSyscall, 0},
    {Call::Ptrace, CallFamily::PtraceSyscall, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtToSce, 0},
    {Call::Ptrace, CallFamily::PtraceSyscall, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtToScx, 0},
    {Call::Ptrace, CallFamily::PtraceSyscall, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtSetEventMask,
     KSIM_PTRACE_EXEC | KSIM_PTRACE_SCE | KSIM_PTRACE_SCX},
    {Call::Ptrace, CallFamily::PtraceVfork, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtSetEventMask,
     KSIM_PTRACE_EXEC | KSIM_PTRACE_VFORK},
    {Call::Ptrace, CallFamily::PtraceQueries, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtLwpinfo, 0},
    {Call::Ptrace, CallFamily::PtraceQueries, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtGetEventMask,
     0},
    {Call::Ktrace, CallFamily::Ktrace, CallFamily::Ktrace, CallFamily::KtraceSystem, kKtrSet, 0},
    {Call::Ktrace, CallFamily::KtraceInherit, CallFamily::Ktrace, CallFamily::KtraceSystem, kKtrSetInherit,
     0},
    {Call::Ktrace, CallFamily::Ktrace, CallFamily::Ktrace, CallFamily::KtraceSystem, kKtrClear, 0},
    {Call::Kill, CallFamily::Kill, CallFamily::Kill, CallFamily::KillSystem, 0, KSIM_SIGQUIT},
    // Rows of families added later come last, so that every earlier row
    // keeps its place in the search's order.
    {Call::Ptrace, CallFamily::PtraceLwpEvents, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtLwpEvents,
     1},
    {Call::Ptrace, CallFamily::PtraceLwpEvents, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtLwpEvents,
     0},
    {Call::Ptrace, CallFamily::PtraceStep, CallFamily::Ptrace, CallFamily::PtraceSystem, kPtStep, 0},
};

constexpr auto makeTargetedCalls() {
  std::array<TargetedCall, std::size(kFixedTargetedCalls) + countExploredSignals()> rows{};
  std::size_t n = 0;
  for (const TargetedCall& row : kFixedTargetedCalls) rows[n++] = row;
  // SIGQUIT is the kill family's row above; the other signals are
  // kill-signals' and then more-signals', each in kSignals' order.
  for (CallFamily family : {CallFamily::KillSignals, CallFamily::MoreSignals})
    for (const SignalSpec& s : kSignals)
      if (s.explored == family)
        rows[n++] = {Call::Kill, family, family, CallFamily::KillSystem, 0, static_cast<std::int8_t>(s.signal)};
  return rows;
}
}  // namespace detail

/// kill(2) cannot name the swapper: its pid 0 is the caller's process
/// group.  ptrace and ktrace find it by pid 0.
constexpr bool canNameTheSwapper(Call call) { return call != Call::Kill; }

/// In the order the explorer tries them on each target: the search's
/// order, and with it which of several shortest counterexamples is found,
/// follows this table.
inline constexpr auto kTargetedCalls = detail::makeTargetedCalls();

}  // namespace model
