// The worlds on which every state-space reduction is cross-checked against
// the search without it (ReductionCrossCheckTest.cpp): each is small
// enough to search completely, with reduction on and off.  One table, so
// that a later reduction is checked on the same worlds by the same test.
// They span the designs, seeded bugs, one to three users (root among them
// or not), maxproc 2 to 4, and several sets of omitted families.
#pragma once

#include <string>
#include <vector>

namespace reduction_worlds {

struct World {
  std::string variant;
  std::vector<std::string> processes;  ///< NAME:USER[:GROUP], as --process takes them
  unsigned maxproc;
  std::vector<std::string> omit;  ///< families left out, as --omit takes them
};

// The families every world leaves out, as the default search does: the
// calls that change nothing, the signals other than SIGQUIT, the
// system-call and vfork-done stops and the opt-in reaper and signal
// families (an --omit list
// replaces the default set, so each world names them; worlds below keep
// the reaper and the system-call stops in).
// A world without a call does not aim it at init and the swapper either:
// each of ptrace, ktrace and kill left out takes its -system family along.
inline std::vector<std::string> quiet(std::vector<std::string> omit) {
  for (const char* f : {"getppid", "getpid", "ptrace-queries", "kill-signals", "ptrace-syscall", "ptrace-vfork", "reaper",
                        "more-signals", "signal-actions", "signal-masks", "ptrace-lwp-events", "signal-queue", "pdfork", "pdclose", "ptrace-step"})
    omit.push_back(f);
  const std::vector<std::string> named = omit;
  for (const char* call : {"ptrace", "ktrace", "kill"})
    for (const std::string& f : named)
      if (f == call) omit.push_back(f + "-system");
  return omit;
}

// Families most worlds leave out, so that the unreduced search stays
// small: exec-setuid, vfork, bad-arguments, exec.
inline std::vector<std::string> lean(std::vector<std::string> more) {
  std::vector<std::string> omit = {"exec-setuid", "vfork", "bad-arguments", "exec"};
  omit.insert(omit.end(), more.begin(), more.end());
  return quiet(omit);
}

inline const std::vector<World>& worlds() {
  static const std::vector<World> table = {
      // Two unprivileged users: the user symmetry's own case.
      {"rfc-2014", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"rfc-2014", {"A:alice", "B:bob"}, 3, lean({"ktrace", "ptrace", "kill"})},
      {"rfc-2014", {"A:alice", "B:bob"}, 2, quiet({"exec-setuid", "vfork", "ptrace", "kill"})},
      {"pre-patch", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"committed-2015", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"freebsd-current", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"proposed", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"proposed", {"A:alice", "B:bob"}, 3, lean({"ktrace", "ptrace", "kill"})},
      // One group of two users.
      {"rfc-2014", {"A:alice", "B:bob:A"}, 2, lean({"kill", "ktrace"})},
      // Root with two users: root is never renamed.
      {"rfc-2014", {"R:root", "A:alice", "B:bob"}, 3, lean({"ktrace", "ptrace", "kill", "wait"})},
      {"committed-2015", {"R:root", "A:alice", "B:bob"}, 3, lean({"ktrace", "ptrace", "kill", "wait"})},
      {"freebsd-current", {"A:alice", "R:root", "B:bob"}, 3, lean({"ktrace", "procctl", "wait"})},
      // Setuid-root images make root out of a user.  Attaching init is
      // left to the other worlds: with it this one passes 2 M states.
      {"rfc-2014", {"A:alice", "B:bob"}, 2, quiet({"vfork", "bad-arguments", "ktrace", "kill", "ptrace-system"})},
      // Seeded bugs: the reduced search must find each as the unreduced does.
      {"bug-candebug-ignores-notrace", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"bug-trace-enable-ignores-tracer", {"A:alice", "B:bob"}, 2, lean({"kill"})},
      {"bug-fork-drops-notrace", {"A:alice", "B:bob"}, 3, lean({"ktrace", "ptrace", "kill"})},
      {"bug-pgrp-walk-never-advances", {"A:alice", "B:bob:A"}, 2, lean({"kill", "ktrace"})},
      {"bug-procctl-keeps-tree-lock", {"A:alice", "B:bob"}, 2, lean({"kill", "ktrace"})},
      {"bug-candebug-refuses-stopped-debuggee", {"A:alice", "B:bob"}, 2, lean({"ktrace", "kill"})},
      {"bug-status-hides-notrace",
       {"R:root", "A:alice", "B:bob"},
       3,
       lean({"ktrace", "ptrace", "kill", "wait"})},
      // One user, and one user with root: nothing to rename, nothing may change.
      {"rfc-2014", {"A:alice"}, 2, lean({})},
      {"bug-coredump-ignores-notrace", {"A:alice", "R:root"}, 2, lean({"ktrace", "ptrace"})},
      // Two users, maxproc 4.
      {"rfc-2014", {"A:alice", "B:bob"}, 4, lean({"ktrace", "ptrace", "kill", "procctl"})},
      // The reaper in: its tree (p_reaper, a slot) renumbered with the rest.
      {"freebsd-current",
       {"A:alice", "B:bob"},
       3,
       {"exec-setuid", "vfork", "bad-arguments", "exec", "getppid", "getpid", "ptrace-queries", "kill-signals",
        "ptrace-syscall", "ptrace-vfork", "ktrace", "ktrace-system", "ptrace", "ptrace-system", "kill-system",
        "procctl", "more-signals", "signal-actions", "signal-masks", "ptrace-lwp-events", "signal-queue", "pdfork", "pdclose", "ptrace-step"}},
      // The system-call stops in: a process stopped at a call's entry
      // keeps the call, not a slot, where a forking one keeps its child.
      {"freebsd-current",
       {"A:alice", "B:bob"},
       2,
       {"exec-setuid", "vfork", "bad-arguments", "exec", "getppid", "ptrace-queries", "kill-signals",
        "ptrace-vfork", "reaper", "ktrace", "ktrace-system", "kill", "kill-system", "procctl", "ptrace-system",
        "more-signals", "signal-actions", "signal-masks", "ptrace-lwp-events", "signal-queue", "pdfork", "pdclose", "ptrace-step"}},
  };
  return table;
}

}  // namespace reduction_worlds
