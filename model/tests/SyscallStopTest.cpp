// System-call boundary stops (PT_SYSCALL, PT_TO_SCE, PT_TO_SCX, PTRACE_SCE
// and PTRACE_SCX) and the vfork-done stop (PTRACE_VFORK):
// kernel/PROVENANCE.md section 3.8.
#include <gtest/gtest.h>

#include "ModelTestSupport.hpp"

namespace model {
namespace {

using test::ScenarioRun;
using test::attachedToday;
using test::kAttached;

/* PT_SYSCALL: P's getpid stops at its entry (PL_FLAG_SCE, SIGTRAP); resumed, only getpid can run, then it stops at
 * its exit (PL_FLAG_SCX) before returning; PTRACE_SYSCALL stays in the mask after a plain PT_CONTINUE */
TEST(SyscallStopTest, PtSyscallStopsAtEntryAndExitOfTheNextCall) {
  ScenarioRun run(attachedToday("D ptrace PT_SYSCALL P = 0\n"));
  EXPECT_EQ(run.proc("P").ptevents, KSIM_PTRACE_EXEC | KSIM_PTRACE_SCE | KSIM_PTRACE_SCX);
  run.then("P getpid = sleeping");
  EXPECT_TRUE(run.has("P", KSIM_P_STOPPED_TRACE));
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCE");
  run.then("D ptrace PT_GET_EVENT_MASK P = 7");
  run.then("D ptrace PT_CONTINUE P = 0");
  EXPECT_FALSE(run.canAct("P exit"));
  EXPECT_FALSE(run.canAct("P take-signal"));
  run.then("P getpid = P");
  EXPECT_FALSE(run.canAct("P getpid"));
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX");
  run.then("D ptrace PT_CONTINUE P = 0");
  EXPECT_EQ(run.proc("P").ptstop, 0);
  // The next call stops at its entry again.
  run.then("P exit 3 = sleeping");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("P exit 3 = 0");
  run.then("D wait P = P exited 3");
}

/* PT_TO_SCE alone stops at entries only; PT_TO_SCX alone at exits only */
TEST(SyscallStopTest, ToSceAndToScxAddOneEventEach) {
  ScenarioRun entry(attachedToday("D ptrace PT_TO_SCE P = 0\n"));
  entry.then("P getpid = sleeping");
  entry.then("D wait P = P stopped SIGTRAP");
  entry.then("D ptrace PT_CONTINUE P = 0");
  entry.then("P getpid = P");
  EXPECT_TRUE(entry.canAct("P exit"));
  ScenarioRun atExit(attachedToday("D ptrace PT_TO_SCX P = 0\n"));
  atExit.then("P getpid = P");
  atExit.then("P take-signal = 0");
  atExit.then("D wait P = P stopped SIGTRAP");
  atExit.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX");
}

/* PT_KILL at an entry stop: the call still runs (syscallenter() goes on after ptracestop()), the exit does not
 * stop a PT_KILLed process, and SIGKILL ends it (ptrace_test.c's PT_KILL_system_call) */
TEST(SyscallStopTest, KillAtEntryRunsTheCallThenKills) {
  ScenarioRun run(attachedToday("D ptrace PT_SYSCALL P = 0\n"));
  run.then("P getpid = sleeping");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_KILL P = 0");
  EXPECT_FALSE(run.canAct("P take-signal"));
  run.then("P getpid = P");
  run.then("P take-signal = 0");
  run.then("D wait P = P killed SIGKILL");
}

/* In 2014 PT_KILL only left SIGKILL in td_xsig, and syscallenter() and syscallret() drop what ptracestop()
 * returns: the kill is lost at the entry stop (the call runs, the exit stop follows) and at the exit stop; at
 * a signal's stop issignal() acts on it, so it kills there in both eras */
TEST(SyscallStopTest, In2014KillAtEntryIsLostButKillAtASignalStopHolds) {
  ScenarioRun run("variant rfc-2014\n" + std::string(kAttached) + "D ptrace PT_SYSCALL P = 0\n");
  run.then("P getpid = sleeping");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_KILL P = 0");
  EXPECT_EQ(run.proc("P").sigpend, 0);
  run.then("P getpid = P");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX");
  run.then("D ptrace PT_KILL P = 0");
  EXPECT_EQ(run.proc("P").sigpend, 0);
  run.then("D kill P SIGUSR1 = 0");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGUSR1");
  run.then("D ptrace PT_KILL P = 0");
  run.then("P take-signal = 0");
  run.then("D wait P = P killed SIGKILL");
}

/* raise() with PTRACE_SCX: the stop at kill's exit comes before the raised signal's stop */
TEST(SyscallStopTest, ExitStopComesBeforeARaisedSignal) {
  ScenarioRun run(attachedToday("D ptrace PT_TO_SCX P = 0\n"));
  run.then("P kill P SIGSTOP = 0");
  EXPECT_FALSE(run.has("P", KSIM_P_STOPPED_TRACE));
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX");
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGSTOP");
}

/* a fork's exit stop with PTRACE_SCX and no PTRACE_FORK is a plain one (PL_FLAG_SCX); an exec's is the exec stop */
TEST(SyscallStopTest, ForkAndExecExitStops) {
  ScenarioRun run(attachedToday("D ptrace PT_TO_SCX P = 0\n"));
  run.then("P fork C = sleeping");
  run.then("P fork-finish = C");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX");
  run.then("D ptrace PT_SET_EVENT_MASK P PTRACE_SCX = 0");
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("P exec = sleeping");
  run.then("P exec-finish = 0");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX|PL_FLAG_EXEC");
}

/* 2014 had the same stops (p_stops' S_PT_SCE and S_PT_SCX) */
TEST(SyscallStopTest, In2014PtSyscallStopsToo) {
  ScenarioRun run("variant rfc-2014\n" + std::string(kAttached) + "D ptrace PT_SYSCALL P = 0\n");
  run.then("P getpid = sleeping");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCE");
}

// P traces its child C (PT_TRACE_ME, raise(SIGSTOP)) and waits for it.
constexpr const char* kTraceMe = R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    C ptrace PT_TRACE_ME = 0
    C kill C SIGSTOP = 0
    P wait C = C stopped SIGSTOP
  )";

/* PTRACE_VFORK: C stops with SIGTRAP when its vfork wait ends (PL_FLAG_VFORK_DONE), before anything else */
TEST(SyscallStopTest, VforkDoneStopsTheParentWhenItsWaitEnds) {
  ScenarioRun run(std::string(kTraceMe) + R"(
    P ptrace PT_SET_EVENT_MASK C PTRACE_EXEC|PTRACE_VFORK = 0
    P ptrace PT_CONTINUE C = 0
    C vfork X = sleeping
    C fork-finish = X
  )");
  EXPECT_EQ(run.proc("C").pc, KSIM_PC_VFORK_WAIT);
  run.then("X exit 2 = 0");
  EXPECT_TRUE(run.canAct("C take-signal"));
  EXPECT_FALSE(run.canAct("C wait X"));
  run.then("C take-signal = 0");
  run.then("P wait = C stopped SIGTRAP");
  run.then("P ptrace PT_LWPINFO C = PL_FLAG_VFORK_DONE");
  run.then("P ptrace PT_CONTINUE C = 0");
  EXPECT_EQ(run.proc("C").ptstop, 0);
  run.then("C wait X = X exited 2");
}

/* without PTRACE_VFORK the wait's end stops nothing */
TEST(SyscallStopTest, NoVforkDoneStopWithoutPtraceVfork) {
  ScenarioRun run(std::string(kTraceMe) + R"(
    P ptrace PT_CONTINUE C = 0
    C vfork X = sleeping
    C fork-finish = X
    X exit 2 = 0
    C wait X = X exited 2
  )");
  EXPECT_TRUE(run.ok());
}

/* a followed vfork's parent stop says PL_FLAG_VFORKED; with PTRACE_VFORK the vfork-done stop follows */
TEST(SyscallStopTest, FollowedVforkReportsVforkedThenVforkDone) {
  ScenarioRun run(std::string(kTraceMe) + R"(
    P ptrace PT_SET_EVENT_MASK C PTRACE_EXEC|PTRACE_FORK|PTRACE_VFORK = 0
    P ptrace PT_CONTINUE C = 0
    C vfork X = sleeping
    C fork-finish = X
    X take-signal = 0
    C take-signal = 0
    P wait X = X stopped SIGSTOP
    P ptrace PT_LWPINFO X = PL_FLAG_SCX|PL_FLAG_CHILD
    P wait C = C stopped SIGTRAP
    P ptrace PT_LWPINFO C = PL_FLAG_SCX|PL_FLAG_FORKED|PL_FLAG_VFORKED X
    P ptrace PT_CONTINUE C = 0
    P ptrace PT_CONTINUE X = 0
    X exit 2 = 0
    C take-signal = 0
    P wait C = C stopped SIGTRAP
    P ptrace PT_LWPINFO C = PL_FLAG_VFORK_DONE
  )");
  EXPECT_TRUE(run.ok());
}

/* the child ends the vfork wait before its parent took its fork stop: the fork stop still says PL_FLAG_VFORKED
 * (TDB_VFORK), and the vfork-done stop follows it */
TEST(SyscallStopTest, VforkDoneFollowsAForkStopTakenAfterTheWaitEnded) {
  ScenarioRun run(std::string(kTraceMe) + R"(
    P ptrace PT_SET_EVENT_MASK C PTRACE_EXEC|PTRACE_FORK|PTRACE_VFORK = 0
    P ptrace PT_CONTINUE C = 0
    C vfork X = sleeping
    C fork-finish = X
    X take-signal = 0
    P wait = X stopped SIGSTOP
    P ptrace PT_CONTINUE X = 0
    X exit 2 = 0
    C take-signal = 0
    P wait C = C stopped SIGTRAP
    P ptrace PT_LWPINFO C = PL_FLAG_SCX|PL_FLAG_FORKED|PL_FLAG_VFORKED X
    P ptrace PT_CONTINUE C = 0
    C take-signal = 0
    P wait C = C stopped SIGTRAP
    P ptrace PT_LWPINFO C = PL_FLAG_VFORK_DONE
  )");
  EXPECT_TRUE(run.ok());
}

/* the default world leaves the new families out */
TEST(SyscallStopTest, DefaultWorldOmitsTheNewFamilies) {
  Config c = Config::defaults();
  EXPECT_TRUE(c.omits(CallFamily::PtraceSyscall));
  EXPECT_TRUE(c.omits(CallFamily::PtraceVfork));
  EXPECT_TRUE(c.omits(CallFamily::Getpid));
}

}  // namespace
}  // namespace model
