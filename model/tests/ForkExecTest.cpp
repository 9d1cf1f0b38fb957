// fork, vfork and exec: the patch's hunks in do_fork (the child inherits
// both NOTRACE bits) and do_execve (P2_NOTRACE dropped unless
// P2_NOTRACE_EXEC), and the model's process-table bookkeeping around them.
#include <gtest/gtest.h>

#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* A: procctl(DISABLE); fork -> A1; A1 has P2_NOTRACE */
TEST(ForkExecTest, ForkInheritsNotrace) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(run.flags2("A1"), "P2_NOTRACE");
}

/* A: procctl(DISABLE_EXEC); fork -> A1; A1 has P2_NOTRACE and P2_NOTRACE_EXEC */
TEST(ForkExecTest, ForkInheritsNotraceAndNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(run.flags2("A1"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* A: procctl(DISABLE_EXEC); vfork -> A1; A1 has both bits */
TEST(ForkExecTest, VforkInheritsNotraceAndNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A vfork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(run.flags2("A1"), "P2_NOTRACE|P2_NOTRACE_EXEC");
  EXPECT_EQ(run.flags("A1"), "P_PPWAIT|P_INMEM");
}

/* A forks A1 after disabling; B (same user): ptrace(ATTACH, A1) -> EPERM */
TEST(ForkExecTest, ChildOfDisabledProcessCannotBeAttached) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = EPERM
  )");
}

/* A: exec setuid-root; fork -> A1; A1 inherits P_SUGID and the root euid */
TEST(ForkExecTest, ForkInheritsSugid) {
  ScenarioRun run(R"(
    process A alice
    A exec setuid-root = sleeping
    A exec-finish = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_TRUE(run.has("A1", KSIM_P_SUGID));
  EXPECT_EQ(run.proc("A1").euid, 0);
}

/* A: procctl(DISABLE); exec; exec-finish: P2_NOTRACE is gone */
TEST(ForkExecTest, ExecClearsNotraceWithoutNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A exec = sleeping
    A exec-finish = 0
    A procctl P_PID A PROC_TRACE_STATUS = 0
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: procctl(DISABLE_EXEC); exec; exec-finish: both bits stay */
TEST(ForkExecTest, ExecKeepsNotraceWithNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A exec = sleeping
    A exec-finish = 0
    A exec = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* A: procctl(DISABLE_EXEC); procctl(DISABLE) (downgrade); exec: P2_NOTRACE is gone */
TEST(ForkExecTest, DowngradedDisableEndsAtExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A exec = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: exec -> sleeping with P_INEXEC; its next step can only be exec-finish, which clears P_INEXEC */
TEST(ForkExecTest, ExecIsTwoStepsWithPInexecBetween) {
  ScenarioRun run(R"(
    process A alice
    A exec = sleeping
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_INEXEC));
  EXPECT_FALSE(run.canAct("A fork"));
  EXPECT_FALSE(run.canAct("A procctl P_PID A PROC_TRACE_STATUS"));
  EXPECT_TRUE(run.canAct("A exec-finish"));
  run.then("A exec-finish = 0");
  EXPECT_FALSE(run.has("A", KSIM_P_INEXEC));
  EXPECT_FALSE(run.canAct("A exec-finish"));
}

/* A: vfork -> A1; A1 exits: A wakes */
TEST(ForkExecTest, VforkParentWakesWhenTheChildExits) {
  ScenarioRun run(R"(
    process A alice
    A vfork A1 = sleeping
    A fork-finish = A1
    A1 exit
  )");
  EXPECT_TRUE(run.canAct("A wait A1"));
  run.then("A wait A1 = A1");
}

/* maxproc 2: A forks A1 -> A1; A forks again -> EAGAIN */
TEST(ForkExecTest, ForkFailsWithEagainAtMaxproc) {
  ScenarioRun run(R"(
    process A alice
    maxproc 2
    A fork A1 = sleeping
    A fork-finish = A1
    A fork = EAGAIN
    A vfork = EAGAIN
    A1 fork = EAGAIN
  )");
  EXPECT_TRUE(run.canAct("A fork"));  // EAGAIN does not put A to sleep
}

/* maxproc 2: a zombie child still counts; once reaped, fork works again */
TEST(ForkExecTest, ZombieCountsTowardMaxprocUntilReaped) {
  ScenarioRun run(R"(
    process A alice
    maxproc 2
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A fork = EAGAIN
    A wait A1 = A1
    A fork A2 = sleeping
  A fork-finish = A2
  )");
}

/* A: exec setuid-root; exec-finish: P_SUGID, euid and saved uid root, real uid alice */
TEST(ForkExecTest, ExecOfSetuidRootImageSetsSugidAndRootEuid) {
  ScenarioRun run(R"(
    process A alice
    A exec setuid-root = sleeping
    A exec-finish = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_SUGID));
  EXPECT_EQ(run.proc("A").euid, 0);
  EXPECT_EQ(run.proc("A").svuid, 0);
  EXPECT_EQ(userName(run.proc("A").ruid), "alice");
}

/* A: ptrace(PT_TRACE_ME); exec setuid-root; exec-finish: no P_SUGID, euid stays alice */
TEST(ForkExecTest, ExecOfSetuidRootImageWhileTracedKeepsTheCredential) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A exec setuid-root = sleeping
    A exec-finish = 0
  )");
  EXPECT_FALSE(run.has("A", KSIM_P_SUGID));
  EXPECT_EQ(userName(run.proc("A").euid), "alice");
}

/* R (root): exec setuid-root: no credential change, so no P_SUGID */
TEST(ForkExecTest, ExecOfSetuidRootImageByRootDoesNotSetSugid) {
  ScenarioRun run(R"(
    process R root
    R exec setuid-root = sleeping
    R exec-finish = 0
  )");
  EXPECT_FALSE(run.has("R", KSIM_P_SUGID));
}

/* A: ktrace(set, A) (alice's trace); exec setuid-root: the unprivileged trace is dropped */
TEST(ForkExecTest, ExecOfSetuidRootImageDropsAnUnprivilegedKtrace) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A exec setuid-root = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(run.proc("A").traceflag, 0u);
}

/* R (root): ktrace(set, A); A: exec setuid-root: root's trace stays */
TEST(ForkExecTest, ExecOfSetuidRootImageKeepsARootKtrace) {
  ScenarioRun run(R"(
    process A alice
    process R root
    R ktrace set A = 0
    A exec setuid-root = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A").traceflag), "KTRFAC_SYSCALL|KTRFAC_ROOT");
}

/* A: exec of a plain image keeps a ktrace */
TEST(ForkExecTest, ExecOfPlainImageKeepsKtrace) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A exec = sleeping
    A exec-finish = 0
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A").traceflag), "KTRFAC_SYSCALL");
}

// A debugger that passes a signal on at an exec's or a fork's stop
// (kernel/PROVENANCE.md section 3.8).  C is traced by its parent P, which
// holds it at the SIGSTOP it raised.
std::string tracedChild(const std::string& variant) {
  return "variant " + variant +
         "\nprocess P alice\nmaxproc 3\nsysctl kern.coredump=1\n" + kTraceMeStopped;
}

/* The exec's SIGTRAP stop, resumed with SIGQUIT.  It is syscallret()'s stop for TDB_EXEC in both eras, not a
   signal's: 2014's syscallret() drops what ptracestop() returns, so the child runs on; today's ptracestop()
   sends it as a new signal and the child dumps core (kernel/PROVENANCE.md section 3.8) */
TEST(ForkExecTest, SignalPassedAtTheExecStopFollowsTheDesignsEra) {
  const std::string execStop =
      "P ptrace PT_CONTINUE C = 0\nC exec = sleeping\nC exec-finish = 0\nC take-signal = 0\n"
      "P wait C = C stopped SIGTRAP\nP ptrace PT_LWPINFO C = PL_FLAG_SCX|PL_FLAG_EXEC\n"
      "P ptrace PT_CONTINUE C SIGQUIT = 0\n";
  for (const char* variant : {"rfc-2014", "committed-2015", "proposed"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(tracedChild(variant));
    run.then(execStop);
    EXPECT_FALSE(run.canAct("C take-signal"));
    run.then("C exit 3 = 0\nP wait C = C exited 3\n");
  }
  {
    ScenarioRun run(tracedChild("freebsd-current"));
    run.then(execStop);
    run.then("C take-signal = 0\nP wait C = C core SIGQUIT\n");
  }
}

/* A SIGTRAP sent with kill(2) stops a traced process as a signal does (PL_FLAG_SI), in both eras: only the
   exec's stop reports PL_FLAG_EXEC */
TEST(ForkExecTest, SigtrapSentWithKillIsNoExecStop) {
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(tracedChild(variant));
    run.then(
        "P ptrace PT_CONTINUE C = 0\nP kill C SIGTRAP = 0\nC take-signal = 0\nP wait C = C stopped SIGTRAP\n"
        "P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGTRAP\nP ptrace PT_CONTINUE C SIGQUIT = 0\n"
        "C take-signal = 0\nP wait C = C core SIGQUIT\n");
  }
}

/* A child that disabled its tracing across exec before it asked to be traced (which the 2014 designs let it
   do), traced by root (committed-2015 lets PRIV_DEBUG_DENIED past P2_NOTRACE), stopped for a SIGQUIT sent
   after its exec and resumed with it: it dies of the signal, without a core (the patch's coredump gate) */
TEST(ForkExecTest, SignalPassedAtTheExecStopOfANoTraceProcessDumpsNoCore) {
  ScenarioRun run("variant committed-2015\nprocess P root\nmaxproc 3\nsysctl kern.coredump=1\n"
                  "P fork C = sleeping\nP fork-finish = C\n"
                  "C procctl P_PID C PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0\n"
                  "C ptrace PT_TRACE_ME = 0\nC exec = sleeping\nC exec-finish = 0\nC take-signal = 0\n"
                  "P wait C = C stopped SIGTRAP\nP ptrace PT_CONTINUE C = 0\nP kill C SIGQUIT = 0\n"
                  "C take-signal = 0\nP wait C = C stopped SIGQUIT\nP ptrace PT_CONTINUE C SIGQUIT = 0\n"
                  "C take-signal = 0\nP wait C = C killed SIGQUIT\n");
  EXPECT_TRUE(run.ok());
}

/* A followed fork's SIGTRAP stop, resumed with SIGQUIT: 2014's syscallret() drops what ptracestop() returns,
   so the parent runs on; today's ptracestop() sends it as a new signal and the parent dies of it */
TEST(ForkExecTest, SignalPassedAtTheForkEventStopFollowsTheDesignsEra) {
  const std::string forkStop =
      "P ptrace PT_FOLLOW_FORK C 1 = 0\nP ptrace PT_CONTINUE C = 0\nC fork X = sleeping\nC fork-finish = X\nX take-signal = 0\n"
      "P wait = X stopped SIGSTOP\nC take-signal = 0\nP wait = C stopped SIGTRAP\n"
      "P ptrace PT_CONTINUE C SIGQUIT = 0\n";
  {
    ScenarioRun run(tracedChild("rfc-2014"));
    run.then(forkStop);
    EXPECT_FALSE(run.canAct("C take-signal"));
    EXPECT_EQ(run.proc("C").state, KSIM_PRS_NORMAL);
  }
  {
    ScenarioRun run(tracedChild("freebsd-current"));
    run.then(forkStop);
    run.then("C take-signal = 0\nP wait C = C core SIGQUIT");
  }
}

}  // namespace
}  // namespace model::test
