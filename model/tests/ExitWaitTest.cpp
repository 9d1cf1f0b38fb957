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

/* init: exit is refused: init and the swapper never act in the model */
TEST(ExitWaitTest, InitCannotExit) {
  ScenarioRun run("process A alice\n");
  EXPECT_FALSE(run.canAct("init exit"));
  EXPECT_FALSE(run.canAct("init fork"));
}

}  // namespace
}  // namespace model::test
