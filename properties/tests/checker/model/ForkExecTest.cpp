// ForkExec scenarios of model/tests/ForkExecTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <string>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* A: fork -> A1; A1 is A's child, in A's group, same credentials, no flags of its own */
TEST(ForkExecTest, ForkCreatesAChildInTheParentsGroup) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(run.parentOf("A1"), "A");
  EXPECT_EQ(run.proc("A1").pgid, run.slot("A"));
  EXPECT_EQ(run.proc("A").pgnext, run.slot("A1"));
  EXPECT_EQ(run.proc("A1").ruid, run.proc("A").ruid);
  EXPECT_EQ(run.proc("A1").euid, run.proc("A").euid);
  EXPECT_EQ(run.flags("A1"), "P_INMEM");
  EXPECT_EQ(run.flags2("A1"), "0");
  EXPECT_EQ(run.proc("A1").state, KSIM_PRS_NORMAL);
  EXPECT_TRUE(violations(run).empty());
}

/* A: ptrace(PT_TRACE_ME); fork -> A1; A1 is not P_TRACED and has no p_oppid */
TEST(ForkExecTest, ForkDoesNotInheritPTraced) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_FALSE(run.has("A1", KSIM_P_TRACED));
  EXPECT_EQ(run.proc("A1").oppid, KSIM_NOSLOT);
  EXPECT_TRUE(violations(run).empty());
}

/* A: vfork -> A1; A sleeps (cannot act) until A1 execs */
TEST(ForkExecTest, VforkParentSleepsUntilTheChildExecs) {
  ScenarioRun run(R"(
    process A alice
    A vfork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_FALSE(run.canAct("A fork"));
  EXPECT_FALSE(run.canAct("A exit"));
  EXPECT_EQ(run.proc("A").pc, KSIM_PC_VFORK_WAIT);
  run.then("A1 exec = sleeping");
  EXPECT_FALSE(run.canAct("A fork"));  // still asleep while the child is in execve
  run.then("A1 exec-finish = 0");
  EXPECT_TRUE(run.canAct("A fork"));
  EXPECT_EQ(run.flags("A1"), "P_EXEC|P_INMEM");
  EXPECT_TRUE(violations(run).empty());
}

/* A: vfork -> A1; A1 killed by its own SIGQUIT: A wakes */
TEST(ForkExecTest, VforkParentWakesWhenTheChildIsKilled) {
  ScenarioRun run(R"(
    process A alice
    A vfork A1 = sleeping
    A fork-finish = A1
    A1 kill A1 SIGQUIT = 0
  )");
  EXPECT_TRUE(run.canAct("A fork"));
  EXPECT_TRUE(violations(run).empty());
}

/* A: vfork asleep; replay of "A fork" fails: the parent cannot act */
TEST(ForkExecTest, ReplayRefusesAStepOfASleepingVforkParent) {
  std::string out;
  int code = replay(R"(
    process A alice
    A vfork A1 = sleeping
    A fork-finish = A1
    A fork
  )",
                    &out);
  EXPECT_EQ(code, properties::kReplayUnmet);
  EXPECT_NE(out.find("asleep in vfork"), std::string::npos) << out;
}

}  // namespace
}  // namespace model::test
