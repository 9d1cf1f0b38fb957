// ptrace(2) and p_candebug with the patch's P2_NOTRACE test
// (kernel/variants/rfc-2014/kern_prot.c; the model's kern_ptrace in
// model/src/Kernel.cpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* B (same user): ptrace(ATTACH, A) -> 0; A is traced by B, its real parent kept, SIGSTOP pending */
TEST(PtraceTest, AttachBySameUserSucceedsAndReparentsTheTracee) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A"), "B");
  EXPECT_EQ(run.nameOf(run.proc("A").oppid), "init");
  EXPECT_EQ(run.proc("A").sigpend, KSIM_SIGBIT_STOP);
  EXPECT_TRUE(run.canAct("A take-signal"));
  EXPECT_FALSE(run.canAct("A fork"));
}

/* A: procctl(DISABLE); B (same user): ptrace(ATTACH, A) -> EPERM */
TEST(PtraceTest, DisableThenAttachBySameUserFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B ptrace PT_ATTACH A = EPERM
  )");
  EXPECT_FALSE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A"), "init");
}

/* A: procctl(DISABLE); procctl(ENABLE); B: ptrace(ATTACH, A) -> 0 again */
TEST(PtraceTest, AttachSucceedsAgainAfterReenable) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
    B ptrace PT_ATTACH A = 0
  )");
}

/* R (root): ptrace(ATTACH, A) -> 0 normally, EPERM after A disables: the RFC has no privilege override */
TEST(PtraceTest, RootCannotAttachToDisabledProcessInTheRfc) {
  // RFC behaviour: p_candebug's P2_NOTRACE test is an unconditional EPERM.
  // FreeBSD as committed lets PRIV_DEBUG_DENIED (root outside a jail)
  // through (kernel/PROVENANCE.md sections 1.5, 2).
  ScenarioRun run(R"(
    process A alice
    process B alice
    process R root
    maxproc 3
    R ptrace PT_ATTACH B = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH A = EPERM
  )");
}

/* A: ptrace(ATTACH, A) -> EINVAL, also after DISABLE (the self shortcut passes p_candebug) */
TEST(PtraceTest, AttachOfSelfFailsWithEinval) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_ATTACH A = EINVAL
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_ATTACH A = EINVAL
  )");
}

/* B attaches A; C (same user): ptrace(ATTACH, A) -> EBUSY */
TEST(PtraceTest, AttachOfAlreadyTracedProcessFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    process C alice
    maxproc 3
    B ptrace PT_ATTACH A = 0
    C ptrace PT_ATTACH A = EBUSY
  )");
  EXPECT_EQ(run.parentOf("A"), "B");
}

/* B (bob): ptrace(ATTACH, A (alice)) -> EPERM */
TEST(PtraceTest, AttachByDifferentUserFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    B ptrace PT_ATTACH A = EPERM
  )");
}

/* see_other_uids=0; B (bob): ptrace(ATTACH, A (alice)) -> ESRCH: A is not visible */
TEST(PtraceTest, AttachOfInvisibleProcessFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    sysctl security.bsd.see_other_uids=0
    B ptrace PT_ATTACH A = ESRCH
  )");
}

/* A: ptrace(ATTACH, 99) -> ESRCH; ptrace(ATTACH, init) -> EPERM: init is root's */
TEST(PtraceTest, AttachOfMissingPidOrRootsProcessesFails) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_ATTACH 99 = ESRCH
    A ptrace PT_ATTACH init = EPERM
  )");
}

/* A forks A1, A1 exits (zombie); A: ptrace(ATTACH, A1) -> ESRCH */
TEST(PtraceTest, AttachOfZombieFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A ptrace PT_ATTACH A1 = ESRCH
  )");
}

/* A: exec (P_INEXEC); B: ptrace(ATTACH, A) -> EBUSY */
TEST(PtraceTest, AttachOfProcessInExecFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A exec = sleeping
    B ptrace PT_ATTACH A = EBUSY
    A exec-finish = 0
    B ptrace PT_ATTACH A = 0
  )");
}

/* A: procctl(DISABLE_EXEC); exec; B: ptrace(ATTACH, A) -> EBUSY: P_INEXEC is tested before P2_NOTRACE */
TEST(PtraceTest, InexecIsReportedBeforeNotrace) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A exec = sleeping
    B ptrace PT_ATTACH A = EBUSY
    A exec-finish = 0
    B ptrace PT_ATTACH A = EPERM
  )");
}

/* A: exec setuid-root (P_SUGID); B (alice): ptrace(ATTACH, A) -> EPERM; R (root) -> 0 */
TEST(PtraceTest, AttachOfSetuidProcessNeedsPrivilege) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    process R root
    maxproc 3
    A exec setuid-root = sleeping
    A exec-finish = 0
    B ptrace PT_ATTACH A = EPERM
    R ptrace PT_ATTACH A = 0
  )");
}

/* unprivileged_proc_debug=0: B: ptrace(ATTACH, A) -> EPERM; A: ptrace(PT_TRACE_ME) -> EPERM (checked before
 * self) */
TEST(PtraceTest, UnprivilegedDebuggingOffRefusesEvenTraceMe) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    sysctl security.bsd.unprivileged_proc_debug=0
    B ptrace PT_ATTACH A = EPERM
    A ptrace PT_TRACE_ME = EPERM
  )");
}

/* A forks A1; A1: ptrace(PT_TRACE_ME); A1: ptrace(ATTACH, A) -> EINVAL: a traced process cannot trace its
 * ancestor */
TEST(PtraceTest, TracedProcessCannotAttachToItsAncestor) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = 0
    A1 ptrace PT_ATTACH A = EINVAL
  )");
}

/* A vforks A1; A1: ptrace(PT_TRACE_ME) -> 0 and A1 gets P_PPTRACE */
TEST(PtraceTest, TraceMeByVforkedChildSetsPptrace) {
  ScenarioRun run(R"(
    process A alice
    A vfork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(run.has("A1", KSIM_P_PPTRACE));
  EXPECT_TRUE(run.has("A1", KSIM_P_PPWAIT));
}

/* B attaches A; B: ptrace(CONTINUE, A) -> EBUSY until A has stopped and B has waited for it */
TEST(PtraceTest, ContinueNeedsTheTraceeStoppedAndWaitedFor) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    B ptrace PT_CONTINUE A = EBUSY
    B ptrace PT_DETACH A = EBUSY
    A take-signal = 0
    B ptrace PT_CONTINUE A = EBUSY
    B ptrace PT_DETACH A = EBUSY
    B wait A = A
    B ptrace PT_CONTINUE A = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.flags("A"), "P_TRACED|P_INMEM");
  EXPECT_TRUE(run.canAct("A fork"));
}

/* B attaches A; A stops; B waits: A is P_STOPPED_TRACE|P_WAITED, reporting SIGSTOP */
TEST(PtraceTest, AttachedProcessStopsForItsDebugger) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A
  )");
  EXPECT_EQ(run.flags("A"), "P_TRACED|P_WAITED|P_STOPPED_TRACE|P_INMEM");
  EXPECT_EQ(run.proc("A").xsig, KSIM_SIGSTOP);
  EXPECT_FALSE(run.canAct("A fork"));
}

/* Today, a vforked child attached by a third process takes a SIGKILL
 * before the attach's SIGSTOP (masked while its parent waits): ptracestop()
 * records no stop and suspends it, so it can take no step, nothing reports
 * it, and only its debugger's exit frees it (kernel/PROVENANCE.md 16). */
TEST(PtraceTest, TodaysFirstStopBeforeTheAttachStopSuspendsWithoutAStop) {
  const std::string start = R"(
    process P alice
    process D alice
    maxproc 3
    P vfork C = sleeping
    P fork-finish = C
    D ptrace PT_ATTACH C = 0
    D kill C SIGKILL = 0
    C take-signal = 0
  )";
  ScenarioRun today("variant freebsd-current\n" + start);
  EXPECT_EQ(today.proc("C").flag & KSIM_P_STOPPED_TRACE, 0u);
  EXPECT_NE(today.proc("C").flag2 & KSIM_P2_SUSPENDED_UNREPORTED, 0u);
  EXPECT_FALSE(today.canAct("C take-signal"));
  EXPECT_FALSE(today.canAct("C getpid"));
  today.then("D wait C WNOHANG = 0\nD ptrace PT_CONTINUE C = EBUSY\nD exit 0 = 0");
  EXPECT_EQ(today.proc("C").flag2 & KSIM_P2_SUSPENDED_UNREPORTED, 0u);
  today.then("C take-signal = 0\nP wait C = C killed SIGKILL");
  // 2014 had no P2_PTRACE_FSTP: the same SIGKILL stops C for D.
  ScenarioRun rfc(start);
  EXPECT_NE(rfc.proc("C").flag & KSIM_P_STOPPED_TRACE, 0u);
  EXPECT_EQ(rfc.proc("C").flag2 & KSIM_P2_SUSPENDED_UNREPORTED, 0u);
  rfc.then("D wait C = C stopped SIGKILL");
}

/* A forks A1; B attaches A1; A exits; B detaches A1 -> A1's parent is init */
TEST(PtraceTest, DetachAfterTheRealParentExitedReparentsToInit) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    A exit
    A1 take-signal = 0
    B wait A1 = A1
    B ptrace PT_DETACH A1 = 0
  )");
  EXPECT_EQ(run.parentOf("A1"), "init");
}

/* B attaches A; C (same user): ptrace(CONTINUE, A) -> EBUSY: not A's debugger */
TEST(PtraceTest, ContinueByAnotherProcessFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    process C alice
    maxproc 3
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A
    C ptrace PT_CONTINUE A = EBUSY
    C ptrace PT_DETACH A = EBUSY
  )");
}

/* B: ptrace(CONTINUE, A) and ptrace(DETACH, A) on an untraced A -> EPERM */
TEST(PtraceTest, ContinueOrDetachOfUntracedProcessFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_CONTINUE A = EPERM
    B ptrace PT_DETACH A = EPERM
  )");
}

/* B attaches A, A stops, B waits; B: ptrace(CONTINUE, A, SIGQUIT) -> 0; A takes SIGQUIT and dumps core */
TEST(PtraceTest, ContinueWithSigquitPassesTheSignalOn) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A
    B ptrace PT_CONTINUE A SIGQUIT = 0
    A take-signal = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::optional<std::uint8_t>(static_cast<std::uint8_t>(run.slot("A"))));
  EXPECT_EQ(run.proc("A").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(run.parentOf("A"), "B");
}

/* B attaches A: PT_KILL -> EBUSY until A has stopped for B and B has waited; then 0: A takes SIGKILL and
 * dies (no core), a zombie for B to reap; C (same user), not A's debugger, gets EBUSY; on an untraced
 * process EPERM */
TEST(PtraceTest, KillNeedsTheDebuggerAndEndsTheDebuggee) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    process C alice
    maxproc 3
    C ptrace PT_KILL A = EPERM
    B ptrace PT_ATTACH A = 0
    B ptrace PT_KILL A = EBUSY
    A take-signal = 0
    B ptrace PT_KILL A = EBUSY
    B wait A = A
    C ptrace PT_KILL A = EBUSY
    B ptrace PT_KILL A = 0
  )");
  EXPECT_EQ(run.proc("A").sigpend, KSIM_SIGBIT_KILL);
  EXPECT_FALSE(run.has("A", KSIM_P_STOPPED_TRACE));
  run.then("A take-signal = 0");
  EXPECT_FALSE(run.last().coreWritten.has_value());
  EXPECT_EQ(run.proc("A").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(model::exitKind(run.proc("A")), KSIM_XSTAT_KILLED);
  run.then("B wait A = A");
  EXPECT_FALSE(run.exists("A"));
}

/* rfc-2014: A1 disables tracing, asks A to trace it and stops: A's PT_KILL fails in p_candebug (EPERM);
 * proposed refuses the PT_TRACE_ME, so the state never arises */
TEST(PtraceTest, DebuggerCannotKillADebuggeeThatDisabledTracingInTheRfc) {
  constexpr const char* kSteps = R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )";
  ScenarioRun rfc(std::string("variant rfc-2014\n") + kSteps);
  rfc.then("A1 ptrace PT_TRACE_ME = 0");
  rfc.then("A1 kill A1 SIGQUIT = 0");
  rfc.then("A wait A1 = A1");
  rfc.then("A ptrace PT_KILL A1 = EPERM");
  ScenarioRun proposed(std::string("variant proposed\n") + kSteps);
  proposed.then("A1 ptrace PT_TRACE_ME = EPERM");
}

// PT_FOLLOW_FORK, PT_LWPINFO and event masks (kernel/PROVENANCE.md section 3.6).
constexpr const char* kFollowedParent = R"(
    process P alice
    process D alice
    maxproc 3
    D ptrace PT_ATTACH P = 0
    P take-signal = 0
    D wait P = P
    D ptrace PT_LWPINFO P = PL_FLAG_SI
    D ptrace PT_FOLLOW_FORK P 1 = 0
    D ptrace PT_CONTINUE P = 0
  )";

/* today: D follows P's forks; P forks C: C is traced by D (real parent P) and stops with SIGSTOP
 * (PL_FLAG_SCX|PL_FLAG_CHILD); P stops with SIGTRAP (PL_FLAG_SCX|PL_FLAG_FORKED C); continued, both run */
TEST(PtraceTest, FollowedForkAttachesTheChildAndReportsBothStops) {
  ScenarioRun run(std::string("variant freebsd-current\n") + kFollowedParent);
  run.then("P fork C = sleeping");
  run.then("P fork-finish = C");
  EXPECT_EQ(run.parentOf("C"), "D");
  EXPECT_EQ(run.nameOf(run.proc("C").oppid), "P");
  EXPECT_TRUE(run.has("C", KSIM_P_TRACED));
  EXPECT_EQ(run.proc("C").ptevents, KSIM_PTRACE_EXEC);
  run.then("C take-signal = 0");
  run.then("P take-signal = 0");
  run.then("D wait C = C");
  run.then("D ptrace PT_LWPINFO C = PL_FLAG_SCX|PL_FLAG_CHILD");
  run.then("D wait P = P");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX|PL_FLAG_FORKED C");
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("D ptrace PT_CONTINUE C = 0");
  EXPECT_EQ(run.proc("P").ptstop, 0);
  EXPECT_EQ(run.proc("C").ptstop, 0);
  EXPECT_TRUE(run.canAct("C exit"));
  EXPECT_TRUE(run.canAct("P exit"));
}

/* 2014: the same fork attaches C as well; C's stop reports PL_FLAG_CHILD alone; the event-mask requests are
 * unknown (EINVAL) */
TEST(PtraceTest, In2014FollowForkIsAFlagAndThereAreNoEventMasks) {
  ScenarioRun run(std::string("variant rfc-2014\n") + kFollowedParent);
  run.then("P fork C = sleeping");
  run.then("P fork-finish = C");
  EXPECT_EQ(run.parentOf("C"), "D");
  run.then("C take-signal = 0");
  run.then("D wait C = C");
  run.then("D ptrace PT_LWPINFO C = PL_FLAG_CHILD");
  run.then("D ptrace PT_GET_EVENT_MASK C = EINVAL");
  run.then("D ptrace PT_SET_EVENT_MASK C 0 = EINVAL");
}

/* today: a vforked child of a followed parent stops at once (fork_return's stop is not masked by P_PPWAIT)
 * and the parent stops for the fork event before it sleeps in vfork */
TEST(PtraceTest, FollowedVforkStopsBothBeforeTheParentSleeps) {
  ScenarioRun run(std::string("variant freebsd-current\n") + kFollowedParent);
  run.then("P vfork C = sleeping");
  run.then("P fork-finish = C");
  EXPECT_TRUE(run.canAct("C take-signal"));
  EXPECT_TRUE(run.canAct("P take-signal"));
  EXPECT_FALSE(run.canAct("P exit"));
  run.then("P take-signal = 0");
  run.then("D wait P = P");
  run.then("D ptrace PT_CONTINUE P = 0");
  EXPECT_EQ(run.proc("P").pc, KSIM_PC_VFORK_WAIT);
  EXPECT_FALSE(run.canAct("P take-signal"));
}

/* today: D clears PTRACE_EXEC (mask 0): P's exec does not stop it; PT_GET_EVENT_MASK says 0; with the default
 * mask an exec stops with SIGTRAP (PL_FLAG_SCX|PL_FLAG_EXEC) */
TEST(PtraceTest, ExecStopsOnlyWithPtraceExecToday) {
  ScenarioRun cleared(R"(
    variant freebsd-current
    process P alice
    process D alice
    D ptrace PT_ATTACH P = 0
    P take-signal = 0
    D wait P = P
    D ptrace PT_GET_EVENT_MASK P = 1
    D ptrace PT_SET_EVENT_MASK P 0 = 0
    D ptrace PT_GET_EVENT_MASK P = 0
    D ptrace PT_CONTINUE P = 0
    P exec = sleeping
    P exec-finish = 0
  )");
  EXPECT_EQ(cleared.proc("P").sigpend, 0);
  ScenarioRun kept(R"(
    variant freebsd-current
    process P alice
    process D alice
    D ptrace PT_ATTACH P = 0
    P take-signal = 0
    D wait P = P
    D ptrace PT_CONTINUE P = 0
    P exec = sleeping
    P exec-finish = 0
    P take-signal = 0
    D wait P = P
    D ptrace PT_LWPINFO P = PL_FLAG_SCX|PL_FLAG_EXEC
  )");
}

/* rfc-2014: C disables tracing and PT_TRACE_MEs (the RFC allows it): its parent P cannot even turn fork
 * following on (p_candebug: EPERM); without the disable P follows, and C's fork is traced by P at once */
TEST(PtraceTest, FollowForkNeedsTheDebuggersRightAndThenAttachesWithoutACheck) {
  ScenarioRun run(R"(
    variant rfc-2014
    process P alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    C procctl P_PID C PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    C ptrace PT_TRACE_ME = 0
    C kill C SIGQUIT = 0
    P wait C = C
    P ptrace PT_FOLLOW_FORK C 1 = EPERM
  )");
  // p_candebug refuses P (C has P2_NOTRACE): the debugger cannot even ask.
  // Without the disable the follow works and the child is traced.
  ScenarioRun plain(R"(
    variant rfc-2014
    process P alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    C ptrace PT_TRACE_ME = 0
    C kill C SIGQUIT = 0
    P wait C = C
    P ptrace PT_FOLLOW_FORK C 1 = 0
    P ptrace PT_CONTINUE C = 0
    C fork X = sleeping
    C fork-finish = X
  )");
  EXPECT_EQ(plain.parentOf("X"), "P");
  EXPECT_TRUE(plain.has("X", KSIM_P_TRACED));
}

/* A forks A1; B attaches A1: A1 is traced by B; A1 exits; B waits: A1 goes back to A, who reaps it */
TEST(PtraceTest, TracedZombieIsHandedBackToItsRealParent) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    A1 take-signal = 0
    B wait A1 = A1
    B ptrace PT_CONTINUE A1 = 0
    A1 exit
    B wait A1 = A1
  )");
  ASSERT_TRUE(run.exists("A1"));
  EXPECT_EQ(run.parentOf("A1"), "A");
  EXPECT_FALSE(run.has("A1", KSIM_P_TRACED));
  run.then("A wait A1 = A1");
  EXPECT_FALSE(run.exists("A1"));
}

/* A: ptrace(TRACE_ME); exec; exec-finish: SIGTRAP is pending, and taking it stops A for its debugger */
TEST(PtraceTest, TracedProcessStopsWithSigtrapAfterExec) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A exec = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(run.proc("A").sigpend, KSIM_SIGBIT_TRAP);
  run.then("A take-signal = 0");
  EXPECT_TRUE(run.has("A", KSIM_P_STOPPED_TRACE));
  EXPECT_EQ(run.proc("A").xsig, KSIM_SIGTRAP);
}

/* A stopped by its own SIGSTOP (untraced); B: PT_ATTACH A -> 0.  Today the stop is cleared and SIGSTOP sent:
 * A runs, takes it and stops for B, who sees SIGSTOP.  9.3's sendsig path, which the 2014 designs have, clears the
 * stop and sends nothing: A runs on, traced, with nothing pending (kernel/PROVENANCE.md section 3.3) */
TEST(PtraceTest, AttachOfASignalStoppedProcessSetsItRunningThenStopsItTodayOnly) {
  const char* steps = R"(
    process B alice
    process A alice
    A kill A SIGSTOP = 0
    B ptrace PT_ATTACH A = 0
  )";
  ScenarioRun today(std::string("variant freebsd-current\n") + steps);
  EXPECT_FALSE(today.has("A", KSIM_P_STOPPED_SIG));
  EXPECT_EQ(today.proc("A").sigpend, KSIM_SIGBIT_STOP);
  EXPECT_TRUE(today.canAct("A take-signal"));
  EXPECT_FALSE(today.canAct("A fork"));
  today.then("A take-signal = 0");
  today.then("B wait A = A stopped SIGSTOP");
  EXPECT_TRUE(today.has("A", KSIM_P_STOPPED_TRACE));

  for (const char* variant : {"pre-patch", "rfc-2014", "committed-2015", "proposed"}) {
    SCOPED_TRACE(variant);
    ScenarioRun then(std::string("variant ") + variant + "\n" + steps);
    EXPECT_TRUE(then.has("A", KSIM_P_TRACED));
    EXPECT_FALSE(then.has("A", KSIM_P_STOPPED_SIG));
    EXPECT_EQ(then.proc("A").sigpend, 0);
    EXPECT_TRUE(then.canAct("A fork"));
    then.then("A exit 3 = 0");
    then.then("B wait A = A exited 3");
  }
}

/* B attaches A; A's parent-to-be sends SIGQUIT before A runs.  Today PT_ATTACH sets P2_PTRACE_FSTP and
 * issignal() takes the attach's SIGSTOP first (the attach ritual), so B sees SIGSTOP and then SIGQUIT; the
 * first stop clears the flag.  2014's issignal() takes the lowest-numbered signal: SIGQUIT (3) before SIGSTOP
 * (17) */
TEST(PtraceTest, AttachsSigstopIsTakenFirstTodayOnly) {
  const char* steps = R"(
    process B alice
    process A alice
    B ptrace PT_ATTACH A = 0
    B kill A SIGQUIT = 0
  )";
  ScenarioRun today(std::string("variant freebsd-current\n") + steps);
  EXPECT_NE(today.proc("A").flag2 & KSIM_P2_PTRACE_FSTP, 0u);
  today.then("A take-signal = 0\nB wait A = A stopped SIGSTOP");
  EXPECT_EQ(today.proc("A").flag2 & KSIM_P2_PTRACE_FSTP, 0u);
  today.then("B ptrace PT_CONTINUE A = 0\nA take-signal = 0\nB wait A = A stopped SIGQUIT");

  ScenarioRun then(steps);
  EXPECT_EQ(then.proc("A").flag2 & KSIM_P2_PTRACE_FSTP, 0u);
  then.then("A take-signal = 0\nB wait A = A stopped SIGQUIT");
  then.then("B ptrace PT_CONTINUE A = 0\nA take-signal = 0\nB wait A = A stopped SIGSTOP");
}

// --- PT_STEP (kernel/PROVENANCE.md section 3.10) ----------------------------------

/* P traces C, stopped on its raise(SIGSTOP), whose siginfo has si_code 0 (no ksiginfo is queued for SIGSTOP).
 * PT_STEP: C's one step is the trap; it stops with SIGTRAP, PL_FLAG_SI, si_code TRAP_TRACE.  PT_CONTINUE: no
 * further trap */
TEST(PtraceTest, StepTrapsBeforeTheNextCallWithTrapTrace) {
  ScenarioRun run(R"(
    include ptrace-step
    process P alice
    maxproc 2
  )" + std::string(kTraceMeStopped) + R"(
    P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGSTOP si_code 0
    P ptrace PT_STEP C = 0
  )");
  EXPECT_TRUE(run.canAct("C take-signal"));
  EXPECT_FALSE(run.canAct("C exit 1"));
  run.then("C take-signal = 0\nP wait C = C stopped SIGTRAP");
  run.then("P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGTRAP si_code TRAP_TRACE");
  run.then("P ptrace PT_CONTINUE C = 0");
  EXPECT_FALSE(run.canAct("C take-signal"));
  run.then("C exit 1 = 0\nP wait C = C exited 1");
}

/* PT_STEP passing SIGTERM: the signal is taken first (C dies of it), before any trap; passing a caught
 * SIGUSR1: C takes it and runs on (the handler), then traps */
TEST(PtraceTest, StepTakesThePassedSignalBeforeTheTrap) {
  const std::string stopped = R"(
    include ptrace-step
    process P alice
    maxproc 2
    P sigaction SIGUSR1 handler = 0
  )" + std::string(kTraceMeStopped) + R"(
  )";
  ScenarioRun killed(stopped + "P ptrace PT_STEP C SIGTERM = 0\nC take-signal = 0\n");
  killed.then("P wait C = C killed SIGTERM");
  ScenarioRun caught(stopped + "P ptrace PT_STEP C SIGUSR1 = 0\nC take-signal = 0\n");
  EXPECT_TRUE(caught.has("C", KSIM_P_TRACED));
  EXPECT_FALSE(caught.has("C", KSIM_P_STOPPED_TRACE));
  caught.then("C take-signal = 0\nP wait C = C stopped SIGTRAP");
  caught.then("P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGTRAP si_code TRAP_TRACE");
}

/* The trace flag outlives PT_DETACH (no request clears it): C, stepped, first stops for a SIGINT sent
 * meanwhile (issignal() runs before the instruction); detached, it traps untraced and SIGTRAP's default
 * action kills it with a core.  (A SIGSTOP passed with the step would not do: a traced process ignores
 * it, kernel/PROVENANCE.md section 13.) */
TEST(PtraceTest, StepFlagOutlivesDetachAndTheUntracedTrapDumpsCore) {
  ScenarioRun run(R"(
    include ptrace-step
    process P alice
    maxproc 2
  )" + std::string(kTraceMeStopped) +
                  R"(
    P ptrace PT_STEP C 0 = 0
    P kill C SIGINT = 0
    C take-signal = 0
    P wait C = C stopped SIGINT
    P ptrace PT_DETACH C = 0
  )");
  EXPECT_FALSE(run.has("C", KSIM_P_TRACED));
  EXPECT_TRUE(run.canAct("C take-signal"));
  run.then("C take-signal = 0\nP wait C = C core SIGTRAP");
}

/* SIGSTOP passed back at a signal's stop is acted on by being ignored (issignal(): "Traced or exiting
 * processes should ignore stops", 9.3 and today): C runs on, in every design; stepped, its next stop is the
 * trap */
TEST(PtraceTest, SigstopPassedBackAtASignalStopIsIgnored) {
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(std::string("variant ") + variant + R"(
      include ptrace-step
      process P alice
      maxproc 2
    )" + std::string(kTraceMeStopped) +
                    R"(
      P ptrace PT_STEP C SIGSTOP = 0
    )");
    EXPECT_FALSE(run.has("C", KSIM_P_STOPPED_TRACE));
    run.then("C take-signal = 0\nP wait C = C stopped SIGTRAP");
  }
}

}  // namespace
}  // namespace model::test
