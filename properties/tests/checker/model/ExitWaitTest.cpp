// ExitWait scenarios of model/tests/ExitWaitTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <string>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* B attaches A; B exits: A gets SIGKILL pending, is untraced and reparented to init */
TEST(ExitWaitTest, DebuggerExitKillsItsTracee) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    B exit
  )");
  EXPECT_FALSE(run.exists("B"));
  EXPECT_EQ(run.parentOf("A"), "init");
  EXPECT_FALSE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.proc("A").oppid, KSIM_NOSLOT);
  EXPECT_NE(run.proc("A").sigpend & KSIM_SIGBIT_KILL, 0);
  EXPECT_TRUE(violations(run).empty());
  run.then("A take-signal = 0");  // SIGKILL is taken before the SIGSTOP of the attach
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run.last().coreWritten.has_value());
  EXPECT_FALSE(run.exists("A"));  // a child of init: reaped at once
}

/* A forks A1; A1 exits -> zombie; A: wait -> A1, which is reaped */
TEST(ExitWaitTest, ZombieIsReapedByWait) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
  )");
  EXPECT_EQ(run.proc("A1").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(model::exitKind(run.proc("A1")), KSIM_XSTAT_EXITED);
  unsigned slot = run.slot("A1");
  run.then("A wait A1 = A1");
  EXPECT_FALSE(run.exists("A1"));
  EXPECT_EQ(run.state().proc(slot).state, KSIM_PRS_FREE);
  EXPECT_EQ(run.proc("A").pgnext, KSIM_NOSLOT);  // unlinked from the group
  EXPECT_TRUE(violations(run).empty());
}

/* A leads its group; A forks A1 and exits: A's slot stays free but unused while the group lives */
TEST(ExitWaitTest, PidOfALiveGroupIsNotReused) {
  ScenarioRun run(R"(
    process A alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    A exit
    A1 fork A2 = sleeping
  A1 fork-finish = A2
  )");
  EXPECT_NE(run.slot("A2"), static_cast<unsigned>(KSIM_FIRST_USER_SLOT));
  EXPECT_TRUE(violations(run).empty());
}

/* A forks A1; B attaches A1; A exits: A1's recorded real parent becomes init */
TEST(ExitWaitTest, RealParentExitMakesInitTheRecordedParentOfATracee) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    A exit
  )");
  EXPECT_EQ(run.parentOf("A1"), "B");
  // p_oppid holds the reaper's pid, init's, and init never stops reaping.
  EXPECT_EQ(run.nameOf(run.proc("A1").oppid), "init");
  EXPECT_EQ(run.nameOf(model::realParent(run.proc("A1"))), "init");
  EXPECT_TRUE(violations(run).empty());
}

}  // namespace
}  // namespace model::test
