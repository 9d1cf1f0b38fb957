#include "spec/Properties.hpp"

#include <fmt/format.h>

#include "ksim/flags.h"
#include "ksim/kernel.h"

namespace properties {

using model::State;

namespace {

// Names are how the command line, file names and results/ refer to
// properties: two alike would make one unreachable.
consteval bool namesAreUnique() {
  for (std::size_t i = 0; i < kPropertyCount; ++i)
    for (std::size_t j = i + 1; j < kPropertyCount; ++j)
      if (kProperties[i].name == kProperties[j].name) return false;
  return true;
}
static_assert(namesAreUnique(), "two properties in Properties.def share a name");

}  // namespace

const PropertyInfo* findProperty(std::string_view name) {
  for (const PropertyInfo& p : allProperties())
    if (p.name == name) return &p;
  return nullptr;
}

namespace {



// The first inconsistency of the process tree, or an empty string.
std::string treeInconsistency(const State& s, const Namer& pid) {
  const ksim_world& w = s.world;
  for (unsigned i = KSIM_SLOT_INIT; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& p = w.proc[i];
    if (!model::isLive(p)) continue;
    // A reaper's children stay its own while it is a zombie: exit1() gives
    // each child to its reaper, the dying process itself, until proc_reap()
    // passes them on (kernel/PROVENANCE.md section 15).
    bool heldByDeadReaper = p.pptr < KSIM_NSLOTS && w.proc[p.pptr].state == KSIM_PRS_ZOMBIE &&
                            (w.proc[p.pptr].treeflag & KSIM_P_TREE_REAPER) != 0 && p.reaper == p.pptr;
    if (p.pptr >= KSIM_NSLOTS || (w.proc[p.pptr].state != KSIM_PRS_NORMAL && !heldByDeadReaper))
      return fmt::format("{}: parent is not a running process", pid(i));
    // Every process has a reaper, which reaps (a zombie one until it is
    // reaped itself).
    if (p.reaper >= KSIM_NSLOTS || !model::isLive(w.proc[p.reaper]) ||
        (w.proc[p.reaper].treeflag & KSIM_P_TREE_REAPER) == 0)
      return fmt::format("{}: its reaper is not a reaper", pid(i));

    bool traced = (p.flag & KSIM_P_TRACED) != 0;
    if (traced != (p.oppid != KSIM_NOSLOT))
      return fmt::format("{}: P_TRACED {} but p_oppid {}", pid(i), traced ? "set" : "clear",
                         p.oppid == KSIM_NOSLOT ? "unset" : "set");
    if ((p.flag & KSIM_P_STOPPED_TRACE) != 0 && !traced)
      return fmt::format("{}: stopped for a tracer without P_TRACED", pid(i));
    if ((p.flag & KSIM_P_WAITED) != 0 && (p.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) == 0)
      return fmt::format("{}: P_WAITED but not stopped", pid(i));
    if (p.state == KSIM_PRS_NEW) {
      const ksim_proc_rec& parent = w.proc[p.pptr];
      if ((parent.pc != KSIM_PC_FORK && parent.pc != KSIM_PC_VFORK) || parent.pc_arg != i)
        return fmt::format("{}: PRS_NEW but its parent is not forking it", pid(i));
    }
    if (p.pc == KSIM_PC_VFORK_WAIT) {
      if (p.pc_arg >= KSIM_NSLOTS || !model::isLive(w.proc[p.pc_arg]) ||
          (w.proc[p.pc_arg].flag & KSIM_P_PPWAIT) == 0)
        return fmt::format("{}: asleep in vfork for a child that does not hold it", pid(i));
    }
    if ((p.flag & KSIM_P_PPWAIT) != 0) {
      bool held = false;
      for (unsigned j = 0; j < KSIM_NSLOTS; ++j)
        held |= model::isLive(w.proc[j]) &&
                (w.proc[j].pc == KSIM_PC_VFORK_WAIT || w.proc[j].pc == KSIM_PC_VFORK) &&
                w.proc[j].pc_arg == i;
      if (!held) return fmt::format("{}: P_PPWAIT but no parent waits for it", pid(i));
    }
  }
  // Group lists: each live process once, in the list of its own group.
  unsigned listed[KSIM_NSLOTS] = {};
  for (unsigned g = 0; g < KSIM_NSLOTS; ++g) {
    unsigned steps = 0;
    for (std::uint8_t m = w.pgrp_head[g]; m != KSIM_NOSLOT; m = w.proc[m].pgnext) {
      if (m >= KSIM_NSLOTS || ++steps > KSIM_NSLOTS)
        return fmt::format("group of {}: member list is broken", pid(g));
      if (!model::isLive(w.proc[m]) || w.proc[m].pgid != g)
        return fmt::format("group of {}: lists {}, which is not a member", pid(g), pid(m));
      ++listed[m];
    }
  }
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (model::isLive(w.proc[i]) && listed[i] != 1)
      return fmt::format("{}: listed {} times in its group", pid(i), listed[i]);
  return {};
}

constexpr std::uint32_t kNotraceBits = KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC;

// How the flag words move across one step: who may clear P2_NOTRACE, what
// fork passes on, what exec keeps, and what STATUS may say.
void checkNotraceTransitions(const State& before, const model::Action& a, const model::StepResult& r,
                             bool changed, std::vector<PropertyFinding>& out, const Wanted& wanted,
                             const Namer& pid, Design design) {
  if (r.outcome != model::Outcome::Returned && r.outcome != model::Outcome::Sleeping) return;
  bool isProcctl = a.call == model::Call::Procctl || a.call == model::Call::Procctl32;
  for (unsigned i = 0; changed && i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& b = before.world.proc[i];
    const ksim_proc_rec& n = r.next.world.proc[i];
    // A slot live before and after holds the same process: fork only takes
    // free slots, and a reaped slot is free at the end of the step.
    if (!model::isLive(b) || !model::isLive(n)) continue;
    bool cleared = (b.flag2 & KSIM_P2_NOTRACE) != 0 && (n.flag2 & KSIM_P2_NOTRACE) == 0;
    if (cleared) {
      bool byItself = isProcctl && a.actor == i;
      bool byItsExec =
          a.call == model::Call::ExecFinish && a.actor == i && (b.flag2 & KSIM_P2_NOTRACE_EXEC) == 0;
      if (!byItself && !byItsExec)
        reportFinding(out, wanted, PropertyId::NotraceClearedOnlyByOwner, [&] {
          return fmt::format("{} lost P2_NOTRACE to {} {}", pid(i), pid(a.actor), model::callKeyword(a.call));
        });
    }
    if (a.call == model::Call::ExecFinish && a.actor == i) {
      bool kept = (n.flag2 & KSIM_P2_NOTRACE) != 0;
      bool shouldKeep = (b.flag2 & KSIM_P2_NOTRACE) != 0 && (b.flag2 & KSIM_P2_NOTRACE_EXEC) != 0;
      if (kept != shouldKeep)
        reportFinding(out, wanted, PropertyId::ExecKeepsNotraceOnlyWithExecFlag, [&] {
          return fmt::format("{} has p_flag2 {} after exec, {} before", pid(i), model::p2FlagNames(n.flag2),
                             model::p2FlagNames(b.flag2));
        });
    }
  }
  if (model::callSpec(a.call).result == model::CallResult::SleepsForChild && r.value) {
    for (unsigned c = 0; c < KSIM_NSLOTS; ++c) {
      if (model::isLive(before.world.proc[c]) || !model::isLive(r.next.world.proc[c])) continue;
      std::uint32_t parentBits = before.world.proc[a.actor].flag2 & kNotraceBits;
      std::uint32_t childBits = r.next.world.proc[c].flag2 & kNotraceBits;
      if (parentBits != childBits)
        reportFinding(out, wanted, PropertyId::ForkInheritsNotrace, [&] {
          return fmt::format("{} forked {} with p_flag2 {}, its own being {}", pid(a.actor), pid(c),
                             model::p2FlagNames(childBits), model::p2FlagNames(parentBits));
        });
    }
  }
  unsigned target = procctlTarget(a, design);
  if (isProcctl && a.op == model::kProcTraceStatus && a.idtype == KSIM_P_PID && target < KSIM_NSLOTS &&
      r.outcome == model::Outcome::Returned && r.error == 0 && r.value) {
    const ksim_proc_rec& t = before.world.proc[target];
    int truth = (t.flag2 & KSIM_P2_NOTRACE) != 0 ? -1
                : (t.flag & KSIM_P_TRACED) != 0  ? ksim_slot_pid(t.pptr)
                                                 : 0;
    if (*r.value != truth)
      reportFinding(out, wanted, PropertyId::StatusReportsTruthfully, [&] {
        return fmt::format("PROC_TRACE_STATUS of {} said {}, the truth is {}", pid(target), *r.value, truth);
      });
  }
}

// Security from the owner's view: the trace state of my process (its
// P2_NOTRACE bits) is changed only by me, by root, or by a process with my
// credentials.  "Same credentials" is p_candebug's test: the caller's euid
// equals the target's real, effective and saved uids.
void checkOwnership(const State& before, const model::Action& a, const model::StepResult& r, bool changed,
                    std::vector<PropertyFinding>& out, const Wanted& wanted, const Namer& pid) {
  bool isProcctl = a.call == model::Call::Procctl || a.call == model::Call::Procctl32;
  if (!isProcctl || r.outcome != model::Outcome::Returned || r.error != 0 || !changed) return;
  const ksim_proc_rec& caller = before.world.proc[a.actor];
  if (caller.euid == 0) return;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& b = before.world.proc[i];
    const ksim_proc_rec& n = r.next.world.proc[i];
    if (!model::isLive(b) || i == a.actor || (b.flag2 & kNotraceBits) == (n.flag2 & kNotraceBits)) continue;
    bool sameCredentials = b.ruid == caller.euid && b.euid == caller.euid && b.svuid == caller.euid;
    if (!sameCredentials)
      reportFinding(out, wanted, PropertyId::UnprivilegedCannotChangeOthers, [&] {
        return fmt::format("{}, run by {}, changed the trace state of {}, run by {}: p_flag2 {} -> {}",
                           pid(a.actor), model::userName(caller.euid), pid(i), model::userName(b.euid),
                           model::p2FlagNames(b.flag2), model::p2FlagNames(n.flag2));
      });
  }
}

}  // namespace

std::string Namer::operator()(unsigned slot) const {
  if (fn != nullptr) return fn(context, slot);
  return fmt::format("pid {}", ksim_slot_pid(slot));
}

Namer namesOf(const model::ProcessNames& names) {
  return Namer{[](const void* ctx, unsigned slot) {
                 const auto& n = *static_cast<const model::ProcessNames*>(ctx);
                 return n[slot].empty() ? fmt::format("pid {}", ksim_slot_pid(slot))
                                        : fmt::format("{} (pid {})", n[slot], ksim_slot_pid(slot));
               },
               &names};
}

bool Design::privilegeOverridesNotrace() const { return (flags & KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE) != 0; }
bool Design::pidZeroIsCaller() const { return (flags & KSIM_DESIGN_PID0_IS_CALLER) != 0; }

unsigned procctlTarget(const model::Action& a, Design design) {
  return design.pidZeroIsCaller() && a.target == KSIM_SLOT_SWAPPER ? a.actor : a.target;
}

void checkState(const State& s, std::vector<PropertyFinding>& out, Namer pid, Design design, Wanted wanted) {
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& p = s.world.proc[i];
    if (!model::isLive(p)) continue;
    bool notrace = (p.flag2 & KSIM_P2_NOTRACE) != 0;
    // A design with the privilege override lets root trace anyway: a
    // debugger with euid 0 that attached, or a ktrace credential with
    // euid 0, is what the design allows.  The state does not say how the
    // debugger came to trace (FreeBSD records nothing either): PT_ATTACH
    // by the real parent leaves the state its child's PT_TRACE_ME would.
    // A debugger that is not the real parent attached; the real parent
    // is taken as privileged tracer only when the debuggee is root's too,
    // so whichever of the two calls made it, no unprivileged process
    // gained anything (an unprivileged process under PT_TRACE_ME to init
    // stays a violation).  A root parent attaching an unprivileged child
    // is the one case reported although allowed; the model's worlds make
    // it only with an initial process of another user under root.
    const unsigned tracer = p.pptr;
    bool rootTracer = tracer < KSIM_NSLOTS && s.world.proc[tracer].euid == 0 &&
                      (tracer != p.oppid || p.euid == 0);
    if (notrace && (p.flag & KSIM_P_TRACED) != 0 && !(design.privilegeOverridesNotrace() && rootTracer))
      reportFinding(out, wanted, PropertyId::NotraceNeverTraced,
                    [&] { return fmt::format("{} is P_TRACED while P2_NOTRACE is set", pid(i)); });
    if (notrace && p.traceflag != 0 && !(design.privilegeOverridesNotrace() && p.ktr_uid == 0))
      reportFinding(out, wanted, PropertyId::NotraceNeverKtraced,
                    [&] { return fmt::format("{} is ktraced while P2_NOTRACE is set", pid(i)); });
    if ((p.flag2 & KSIM_P2_NOTRACE_EXEC) != 0 && !notrace)
      reportFinding(out, wanted, PropertyId::NotraceExecImpliesNotrace,
                    [&] { return fmt::format("{} has P2_NOTRACE_EXEC without P2_NOTRACE", pid(i)); });
  }
  if (wanted(PropertyId::TreeConsistent) != Wanted::Level::Skip)
    if (std::string why = treeInconsistency(s, pid); !why.empty())
      reportFinding(out, wanted, PropertyId::TreeConsistent, [&] { return why; });
}

void checkStep(const State& before, const model::Action& a, const model::StepResult& r,
               std::vector<PropertyFinding>& out, Namer pid, Design design, Wanted wanted) {
  bool succeeded = r.outcome == model::Outcome::Returned && r.error == 0;
  bool privileged = design.privilegeOverridesNotrace() && before.world.proc[a.actor].euid == 0;
  auto notraceBefore = [&](unsigned slot) {
    return slot < KSIM_NSLOTS && (before.world.proc[slot].flag2 & KSIM_P2_NOTRACE) != 0 && !privileged;
  };
  if (succeeded && a.call == model::Call::Ptrace && a.op == model::kPtAttach && notraceBefore(a.target))
    reportFinding(out, wanted, PropertyId::AttachRefusedWhileNotrace, [&] {
      return fmt::format("{} attached to {}, which has P2_NOTRACE", pid(a.actor), pid(a.target));
    });
  if (succeeded && a.call == model::Call::Ktrace && a.op != model::kKtrClear && a.target != a.actor &&
      notraceBefore(a.target))
    reportFinding(out, wanted, PropertyId::KtraceRefusedWhileNotrace, [&] {
      return fmt::format("{} set a ktrace on {}, which has P2_NOTRACE", pid(a.actor), pid(a.target));
    });
  // A debugger can always end its debuggee: PT_KILL's own conditions (the
  // caller traces it, it is stopped for the caller and was waited for) are
  // all it may ask; P2_NOTRACE, which p_candebug() consults first, must
  // not leave a debugger with a process it can neither resume nor kill.
  if (a.call == model::Call::Ptrace && a.op == model::kPtKill && a.target < KSIM_NSLOTS) {
    const ksim_proc_rec& t = before.world.proc[a.target];
    bool held = model::isLive(t) && t.state == KSIM_PRS_NORMAL && (t.flag & KSIM_P_TRACED) != 0 &&
                t.pptr == a.actor && (t.flag & KSIM_P_STOPPED_TRACE) != 0 && (t.flag & KSIM_P_WAITED) != 0;
    if (held && !succeeded)
      reportFinding(out, wanted, PropertyId::DebuggerCanKill, [&] {
        return fmt::format("{} cannot PT_KILL {}, stopped for it and waited: {}", pid(a.actor), pid(a.target),
                           r.outcome == model::Outcome::Returned ? model::errnoName(r.error)
                                                                 : std::string("the step did not return"));
      });
    // Accepted is not enough: the debuggee must die.  PT_KILL resumes it
    // with SIGKILL to act on; a kernel that drops what ptracestop()
    // returns at a system call's or an event's stop (2014, before
    // P_WKILLED) answers 0 and lets it run on, still traced.
    const ksim_proc_rec& n = r.next.world.proc[a.target];
    if (held && succeeded && n.state == KSIM_PRS_NORMAL && (n.sigpend & KSIM_SIGBIT_KILL) == 0)
      reportFinding(out, wanted, PropertyId::DebuggerCanKill, [&] {
        return fmt::format(
            "{} PT_KILLed {}, stopped for it and waited, and was answered 0, but {} runs on with "
            "no SIGKILL to act on",
            pid(a.actor), pid(a.target), pid(a.target));
      });
  }
  // Root can always debug: FreeBSD's privilege rules refuse a caller with
  // euid 0 nothing in p_candebug() (PRIV_DEBUG_UNPRIV, _SUGID, _DIFFCRED,
  // and PRIV_DEBUG_DENIED where the design has it) but init while
  // kern.securelevel > 0, and a process in the middle of exec (P_INEXEC,
  // EBUSY; ktrace reports every p_candebug() refusal as EPERM).  Attaching
  // itself, a system process and an already traced target are EINVAL and
  // EBUSY, no refusal of privilege; so any other EPERM for root's PT_ATTACH or
  // ktrace (set or clear) is the design denying root.  A design without
  // the override (rfc-2014, proposed) does so on purpose.
  // What p_candebug() decides: PT_ATTACH, and ktrace set or clear.
  const bool debugging =
      (a.call == model::Call::Ptrace && a.op == model::kPtAttach) || a.call == model::Call::Ktrace;
  // How the findings below name that call.
  auto debuggingVerb = [&] {
    if (a.call != model::Call::Ktrace) return "attached to";
    return a.op == model::kKtrClear ? "cleared the ktrace of" : "set a ktrace on";
  };
  if (debugging) {
    const bool rootCaller = before.world.proc[a.actor].euid == 0;
    const bool initLocked = a.target == KSIM_SLOT_INIT && design.sysctls.securelevel > 0;
    const bool inExec = a.target < KSIM_NSLOTS && (before.world.proc[a.target].flag & KSIM_P_INEXEC) != 0;
    // Attaching itself is never allowed (EINVAL): whatever error it gets
    // denies root nothing.
    const bool attachSelf = a.call == model::Call::Ptrace && a.target == a.actor;
    if (rootCaller && !initLocked && !inExec && !attachSelf && r.outcome == model::Outcome::Returned &&
        r.error == KSIM_EPERM)
      reportFinding(out, wanted, PropertyId::RootCanDebug, [&] {
        const bool notrace =
            a.target < KSIM_NSLOTS && (before.world.proc[a.target].flag2 & KSIM_P2_NOTRACE) != 0;
        return fmt::format("{}, with euid 0, was refused {} of {} with EPERM{}", pid(a.actor),
                           a.call == model::Call::Ktrace ? "ktrace" : "PT_ATTACH", pid(a.target),
                           notrace ? ": it has P2_NOTRACE, and the design lets no privilege override it" : "");
      });
  }
  // p_candebug()'s "Can't trace init when securelevel > 0" (securelevel_gt):
  // the one debugging of init that even root is refused.
  if (succeeded && debugging && a.target == KSIM_SLOT_INIT && design.sysctls.securelevel > 0)
    reportFinding(out, wanted, PropertyId::InitUndebuggableAtSecurelevel, [&] {
      return fmt::format("{} {} init (pid 1) while kern.securelevel is {}", pid(a.actor), debuggingVerb(),
                         design.sysctls.securelevel);
    });
  // Isolation: p_candebug() lets an unprivileged caller debug (attach, or
  // set or clear a ktrace of) another process only if the target's uids
  // are all the caller's euid and its groups the caller's (uidsubset,
  // grpsubset; else PRIV_DEBUG_DIFFCRED) and its credentials have not
  // changed by a set-user-id exec (P_SUGID; else PRIV_DEBUG_SUGID), and
  // not at all while security.bsd.unprivileged_proc_debug is 0
  // (PRIV_DEBUG_UNPRIV).  A process's own ktrace and PT_TRACE_ME (the
  // target asks) are not judged: today's p_candebug() lets a process debug
  // itself before it looks at the tunable, 2014's after.
  if (succeeded && debugging && a.target < KSIM_NSLOTS && a.target != a.actor) {
    const ksim_proc_rec& caller = before.world.proc[a.actor];
    const ksim_proc_rec& t = before.world.proc[a.target];
    const bool sameCredentials = t.ruid == caller.euid && t.euid == caller.euid && t.svuid == caller.euid &&
                                 t.gid == caller.gid && (t.flag & KSIM_P_SUGID) == 0;
    const bool unprivilegedDebugOff = design.sysctls.security_bsd_unprivileged_proc_debug == 0;
    if (caller.euid != 0 && (!sameCredentials || unprivilegedDebugOff))
      reportFinding(out, wanted, PropertyId::UnprivilegedCannotDebugOthers, [&] {
        return fmt::format("{}, run by {}, {} {}, run by {}{}", pid(a.actor), model::userName(caller.euid),
                           debuggingVerb(), pid(a.target), model::userName(t.euid),
                           !sameCredentials
                               ? ((t.flag & KSIM_P_SUGID) != 0 ? ", which is set-user-id (P_SUGID)" : "")
                               : ", while security.bsd.unprivileged_proc_debug is 0");
      });
  }
  // Most steps change nothing (a refused call, a status query): compare once.
  bool changed = !(r.next == before);
  checkNotraceTransitions(before, a, r, changed, out, wanted, pid, design);
  checkOwnership(before, a, r, changed, out, wanted, pid);
  checkProcctlContract(before, a, r, out, pid, design, wanted);
  if (succeeded && (a.call == model::Call::Procctl || a.call == model::Call::Procctl32) &&
      a.op == model::kProcTraceEnable && changed) {
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
      const ksim_proc_rec& b = before.world.proc[i];
      const ksim_proc_rec& n = r.next.world.proc[i];
      bool traced = (b.flag & KSIM_P_TRACED) != 0 || b.traceflag != 0;
      if (model::isLive(b) && traced && (b.flag2 & KSIM_P2_NOTRACE) == 0 && (n.flag2 & KSIM_P2_NOTRACE) != 0)
        reportFinding(out, wanted, PropertyId::DisableRefusedWhileTraced, [&] {
          return fmt::format("PROC_TRACE_ENABLE set P2_NOTRACE on {}, which is {}", pid(i),
                             (b.flag & KSIM_P_TRACED) != 0 ? "ptraced" : "ktraced");
        });
    }
  }
  if (r.outcome == model::Outcome::Panic)
    reportFinding(out, wanted, PropertyId::KernelAssertion, [&] { return "panic: " + r.message; });
  // A production kernel passed over the failed assertion: the finding is
  // the same property, and the step's result and state stay what that
  // kernel made of it, for the other properties to judge.
  else if (!r.assertion.empty())
    reportFinding(out, wanted, PropertyId::KernelAssertion, [&] {
      auto colon = r.assertion.find(": ");
      return fmt::format("production kernel: {} would fail (compiled out, the step went on): {}",
                         r.assertion.substr(0, colon), r.assertion.substr(colon + 2));
    });
  if (r.outcome == model::Outcome::Hang)
    reportFinding(out, wanted, PropertyId::KernelHang, [&] { return r.message; });
  if (r.coreWritten) {
    unsigned slot = *r.coreWritten;
    if ((r.coreWrittenFlag2 & KSIM_P2_NOTRACE) != 0)
      reportFinding(out, wanted, PropertyId::NoCoreWhileNotrace,
             [&] { return fmt::format("a core file was written for {}, which has P2_NOTRACE", pid(slot)); });
    // coredump()'s gate: kern.coredump, and kern.sugid_coredump for a
    // process whose credentials a set-user-id exec changed.
    const bool sugid = (before.world.proc[slot].flag & KSIM_P_SUGID) != 0;
    if (design.sysctls.kern_coredump == 0 || (sugid && design.sysctls.kern_sugid_coredump == 0))
      reportFinding(out, wanted, PropertyId::CoreOnlyWhereAllowed, [&] {
        return design.sysctls.kern_coredump == 0
                   ? fmt::format("a core file was written for {} while kern.coredump is 0", pid(slot))
                   : fmt::format(
                         "a core file was written for {}, which is set-user-id (P_SUGID), while "
                         "kern.sugid_coredump is 0",
                         pid(slot));
      });
  }
}

}  // namespace properties
