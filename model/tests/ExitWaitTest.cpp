// exit(2) and wait(2): zombies, reaping, reparenting to init, and what
// happens to a tracee whose debugger exits.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* B attaches A, A stops, B waits; B exits: A, stopped, is released and killed */
TEST(ExitWaitTest, DebuggerExitReleasesAndKillsAStoppedTracee) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A
    B exit
  )");
  EXPECT_EQ(run.flags("A"), "P_INMEM");
  EXPECT_EQ(run.proc("A").sigpend, KSIM_SIGBIT_KILL);
  EXPECT_TRUE(run.canAct("A take-signal"));
}

/* A forks A1 and A1 forks A11, which A then attaches: A11, the newer of A's children (PT_ATTACH's proc_reparent puts
 * it at the head of p_children), is reported first by a wait for any child, although A1 became a zombie since */
TEST(ExitWaitTest, WaitForAnyChildReportsTheNewestFirstAndAnAttachedProcessIsTheNewest) {
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(std::string("variant ") + variant + R"(
      process A alice
      maxproc 3
      A fork A1 = sleeping
      A fork-finish = A1
      A1 fork A11 = sleeping
      A1 fork-finish = A11
      A ptrace PT_ATTACH A11 = 0
      A11 take-signal = 0
      A1 exit 1 = 0
      A wait = A11 stopped SIGSTOP
      A wait = A1 exited 1
    )");
  }
}

/* A forks A1 and A2, which exit in that order: a wait for any child reports A2, the one forked last, first */
TEST(ExitWaitTest, WaitForAnyChildReportsTheChildForkedLastFirst) {
  ScenarioRun run(R"(
    process A alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    A fork A2 = sleeping
    A fork-finish = A2
    A1 exit 1 = 0
    A2 exit 2 = 0
    A wait = A2 exited 2
    A wait = A1 exited 1
    A wait = ECHILD
  )");
}

/* A reaper's dying child C hands its children to the reaper newest first, each to the head of the reaper's list
 * (exit1, proc_reparent): the older D1 ends up the newest of P's children, then D2, then the zombie C */
TEST(ExitWaitTest, ADyingParentsChildrenJoinTheReapersListInReverse) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 4
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    P fork C = sleeping
    P fork-finish = C
    C fork D1 = sleeping
    C fork-finish = D1
    C fork D2 = sleeping
    C fork-finish = D2
    C exit 3 = 0
    D2 exit 2 = 0
    D1 exit 1 = 0
    P wait = D1 exited 1
    P wait = D2 exited 2
    P wait = C exited 3
  )");
}

/* A: wait -> ECHILD: A has no children */
TEST(ExitWaitTest, WaitWithNoChildrenFailsWithEchild) {
  ScenarioRun run(R"(
    process A alice
    A wait = ECHILD
  )");
}

/* A forks A1, A1 forks A11; A1 exits: A11 is reparented to init */
TEST(ExitWaitTest, ExitReparentsChildrenToInit) {
  ScenarioRun run(R"(
    process A alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    A1 fork A11 = sleeping
    A1 fork-finish = A11
    A1 exit
  )");
  EXPECT_EQ(run.parentOf("A11"), "init");
  EXPECT_EQ(run.parentOf("A1"), "A");
}

/* A forks A1; A1 exits (zombie); A exits: init reaps both at once */
TEST(ExitWaitTest, InitReapsOrphanedZombiesAtOnce) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A exit
  )");
  EXPECT_FALSE(run.exists("A"));
  EXPECT_FALSE(run.exists("A1"));
  for (unsigned s = KSIM_FIRST_USER_SLOT; s < KSIM_NSLOTS; ++s)
    EXPECT_EQ(run.state().proc(s).state, KSIM_PRS_FREE) << "slot " << s;
}

// The explorer offers wait only for a zombie child or a child stopped for
// its tracer, and ECHILD only to a process without children.  Hand-written
// scenarios can ask for any wait: a wait that would sleep is not a step
// (Kernel::canAct refuses it), a wait for a process that is not the
// caller's child fails with ECHILD, as wait4(2) does.

/* A forks A1 (running); A: wait(A1) would sleep, so it cannot be a step now */
TEST(ExitWaitTest, WaitForARunningChildSleeps) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
  )");
  EXPECT_FALSE(run.canAct("A wait A1"));
  EXPECT_FALSE(run.canAct("A wait"));
  EXPECT_FALSE(run.has("A1", KSIM_P_WAITED));
}

/* A forks A1, A1 exits (A's zombie); B: wait(A1) -> ECHILD, and A1 stays for A to reap */
TEST(ExitWaitTest, WaitForAZombieThatIsNotTheCallersChildFailsWithEchild) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    B wait A1 = ECHILD
  )");
  EXPECT_TRUE(run.exists("A1"));
  run.then("A wait A1");
  EXPECT_FALSE(run.exists("A1"));
}

/* A forks A1, A1 exits; A: wait (any child) -> A1 */
TEST(ExitWaitTest, WaitForAnyChildReportsAReadyChild) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A wait = A1
  )");
  EXPECT_FALSE(run.exists("A1"));
}

/* A: wait(99) (no such process) -> ECHILD */
TEST(ExitWaitTest, WaitForTheMissingPidFailsWithEchild) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  const State s = k.initial();
  Scenario sc = parse("process A alice\nA wait 99\n");
  const Action a = resolveStep(sc.steps.at(0), ProcessNames(k.initialNames()), s, "scenario");
  ASSERT_EQ(a.target, kTargetMissing);
  ASSERT_TRUE(k.canAct(s, a));
  StepResult r = k.step(s, a);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.error, KSIM_ECHILD);
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(r.next, s);
}

/* A forks A1 (running): wait(A1) WNOHANG -> 0 and wait WNOHANG -> 0, nothing changes; B (no
 * children): wait WNOHANG -> ECHILD */
TEST(ExitWaitTest, WnohangAnswersZeroInsteadOfSleeping) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
  )");
  const State before = run.state();
  run.then("A wait A1 WNOHANG = 0");
  run.then("A wait WNOHANG = 0");
  run.then("B wait WNOHANG = ECHILD");
  EXPECT_EQ(run.state(), before);
  run.then("A1 exit");
  run.then("A wait WNOHANG = A1");
  EXPECT_FALSE(run.exists("A1"));
}

// The orphan list (kernel/PROVENANCE.md section 3.7).  P's child C, attached
// by D, is on P's orphan list: P's wait finds it, so it sleeps (WNOHANG: 0)
// instead of failing with ECHILD, in every era.  Once C is a zombie the eras
// differ: the 2014 kernel reaps it for P at once (proc_reap hands it to P,
// a zombie child of P that P's next wait reaps, and D has lost it); today P
// sees it only after D has collected it.
constexpr const char* kOrphanExits = R"(
    process P alice
    process D alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    D ptrace PT_ATTACH C = 0
    P wait C WNOHANG = 0
    P wait WNOHANG = 0
    C take-signal = 0
    D wait C = C
    D ptrace PT_CONTINUE C = 0
    C exit
  )";

/* today: C, traced by D, exits: P: wait WNOHANG -> 0 until D: wait(C) -> C; then P: wait(C) -> C */
TEST(ExitWaitTest, TodayTheRealParentSeesAnOrphansExitAfterItsDebugger) {
  ScenarioRun run(std::string("variant freebsd-current\n") + kOrphanExits);
  EXPECT_FALSE(run.canAct("P wait C"));
  run.then("P wait C WNOHANG = 0");
  run.then("D wait C = C");
  EXPECT_EQ(run.parentOf("C"), "P");
  run.then("P wait C = C");
  EXPECT_FALSE(run.exists("C"));
  run.then("P wait = ECHILD");
}

/* 2014: C, traced by D, exits: P: wait(C) -> C at once, C stays P's zombie; D: wait(C) -> ECHILD; P
 * reaps C with its next wait */
TEST(ExitWaitTest, In2014TheRealParentReapsAZombieOrphanAtOnce) {
  ScenarioRun run(std::string("variant rfc-2014\n") + kOrphanExits);
  run.then("P wait C WNOHANG = C");
  EXPECT_TRUE(run.exists("C"));
  EXPECT_EQ(run.parentOf("C"), "P");
  EXPECT_FALSE(run.has("C", KSIM_P_TRACED));
  run.then("D wait C = ECHILD");
  run.then("P wait C = C");
  EXPECT_FALSE(run.exists("C"));
}

// A debugger's exit (section 3.7): the traced child is killed in every era;
// today it goes back to its real parent, which collects its death; in 2014
// it went to init, which reaped it, and the real parent had nothing.
constexpr const char* kDebuggerExits = R"(
    process P alice
    process D alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    D ptrace PT_ATTACH C = 0
    C take-signal = 0
    D wait C = C
    D exit
  )";

/* today: D attached P's child C and exits: C goes back to P with SIGKILL pending; P: wait(C) -> C */
TEST(ExitWaitTest, TodayADebuggersExitReturnsItsTraceeToTheRealParent) {
  ScenarioRun run(std::string("variant freebsd-current\n") + kDebuggerExits);
  EXPECT_EQ(run.parentOf("C"), "P");
  EXPECT_EQ(run.flags("C"), "P_INMEM");
  EXPECT_EQ(run.proc("C").sigpend, KSIM_SIGBIT_KILL);
  run.then("C take-signal = 0");
  EXPECT_EQ(run.proc("C").state, KSIM_PRS_ZOMBIE);
  run.then("P wait C = C");
  run.then("P wait = ECHILD");
}

/* 2014: the same: C goes to init with SIGKILL pending; once dead, init reaps it; P: wait -> ECHILD */
TEST(ExitWaitTest, In2014ADebuggersExitSendsItsTraceeToInit) {
  ScenarioRun run(std::string("variant rfc-2014\n") + kDebuggerExits);
  EXPECT_EQ(run.parentOf("C"), "init");
  EXPECT_EQ(run.proc("C").sigpend, KSIM_SIGBIT_KILL);
  run.then("C take-signal = 0");
  EXPECT_FALSE(run.exists("C"));
  run.then("P wait = ECHILD");
}

/* today: A forks C; C: PT_TRACE_ME; A exits: C, traced by its real parent, goes to init (its real
 * parent is the dying debugger itself) and is killed */
TEST(ExitWaitTest, TodayATraceeOfItsDyingRealParentGoesToInit) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    A fork C = sleeping
    A fork-finish = C
    C ptrace PT_TRACE_ME = 0
    A exit
  )");
  EXPECT_EQ(run.parentOf("C"), "init");
  EXPECT_EQ(run.proc("C").sigpend, KSIM_SIGBIT_KILL);
}

/* wait's status, FreeBSD's encoding: exit 3 -> exited 3; a SIGSTOP stop for the debugger -> stopped SIGSTOP;
 * PT_KILL -> killed SIGKILL; SIGQUIT with a core written -> core SIGQUIT; a status written and not met fails
 */
TEST(ExitWaitTest, WaitReportsTheStatus) {
  ScenarioRun exited(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit 3 = 0
    A wait A1 = A1 exited 3
  )");
  EXPECT_EQ(exited.last().waitStatus, std::optional<int>(3 << 8));
  ScenarioRun killed(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A stopped SIGSTOP
    B ptrace PT_KILL A = 0
    A take-signal = 0
    B wait A = A killed SIGKILL
  )");
  ScenarioRun core(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A kill A1 SIGQUIT = 0
    A1 take-signal = 0
    A wait A1 = A1 core SIGQUIT
  )");
  // A status that differs is unmet; one not written is not compared.
  auto expectation = [](const std::string& result) {
    return parse("process A alice\nA wait A1 = " + result + "\n").steps.at(0).expect;
  };
  std::vector<std::string> named(KSIM_NSLOTS);
  named[KSIM_FIRST_USER_SLOT + 1] = "A1";
  ProcessNames names(std::move(named));
  EXPECT_FALSE(meets(expectation("A1 exited 4"), expectation("A1 exited 3"), names, exited.state()));
  EXPECT_TRUE(meets(expectation("A1 exited 3"), expectation("A1 exited 3"), names, exited.state()));
  EXPECT_EQ(expectation("A1 core SIGQUIT").status, std::optional<int>(KSIM_SIGQUIT | 0x80));
  EXPECT_EQ(expectation("A1 stopped SIGSTOP").status, std::optional<int>(KSIM_SIGSTOP << 8 | 0177));
  EXPECT_FALSE(expectation("A1").status.has_value());
}

/* kill's signals (kernel/PROVENANCE.md section 12): SIGSTOP stops A1 (P_STOPPED_SIG); SIGTERM stays pending
 * while it is stopped; SIGCONT sets it running; it then dies of SIGTERM (no core); SIGUSR1 kills too; SIGCONT
 * to a running process is ignored; raise(SIGSTOP) (kill itself) stops the caller at once */
TEST(ExitWaitTest, KillSendsStopContinueAndTerminatingSignals) {
  ScenarioRun run(R"(
    process A alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    A kill A1 SIGSTOP = 0
    A1 take-signal = 0
  )");
  EXPECT_TRUE(run.has("A1", KSIM_P_STOPPED_SIG));
  run.then("A kill A1 SIGTERM = 0");
  EXPECT_FALSE(run.canAct("A1 take-signal"));
  run.then("A kill A1 SIGCONT = 0");
  EXPECT_FALSE(run.has("A1", KSIM_P_STOPPED_SIG));
  run.then("A1 take-signal = 0");
  run.then("A wait A1 = A1 killed SIGTERM");
  run.then("A fork A2 = sleeping");
  run.then("A fork-finish = A2");
  run.then("A kill A2 SIGCONT = 0");
  run.then("A2 take-signal = 0");
  EXPECT_EQ(run.proc("A2").state, KSIM_PRS_NORMAL);
  run.then("A kill A2 SIGUSR1 = 0");
  run.then("A2 take-signal = 0");
  run.then("A wait A2 = A2 killed SIGUSR1");
  run.then("A kill A SIGSTOP = 0");
  EXPECT_TRUE(run.has("A", KSIM_P_STOPPED_SIG));
}

/* a traced process stops for its debugger on each signal it takes (issignal: traced, always stop), SIGKILL
 * sent with kill(2) included; PT_CONTINUE passing SIGTERM ends it without another stop; at a SIGKILL stop
 * PT_CONTINUE with 0 throws the SIGKILL away (issignal() looks again when ptracestop() returns 0: ptrace_test.c's
 * event_mask_sigkill_discard) and passing SIGKILL kills; PT_KILL's SIGKILL (P_WKILLED) does not stop */
TEST(ExitWaitTest, TracedProcessStopsForItsDebuggerOnEachSignal) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A stopped SIGSTOP
    B ptrace PT_CONTINUE A = 0
    B kill A SIGUSR1 = 0
    A take-signal = 0
    B wait A = A stopped SIGUSR1
    B ptrace PT_CONTINUE A SIGTERM = 0
    A take-signal = 0
    B wait A = A killed SIGTERM
  )");
  ScenarioRun killed(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
    B wait A = A
    B ptrace PT_CONTINUE A = 0
    B kill A SIGKILL = 0
    A take-signal = 0
    B wait A = A stopped SIGKILL
    B ptrace PT_CONTINUE A = 0
    B kill A SIGKILL = 0
    A take-signal = 0
    B wait A = A stopped SIGKILL
    B ptrace PT_CONTINUE A SIGKILL = 0
    A take-signal = 0
    B wait A = A killed SIGKILL
  )");
}

/* init: exit is refused: init and the swapper never act in the model */
TEST(ExitWaitTest, InitCannotExit) {
  ScenarioRun run("process A alice\n");
  EXPECT_FALSE(run.canAct("init exit"));
  EXPECT_FALSE(run.canAct("init fork"));
}

}  // namespace
}  // namespace model::test
