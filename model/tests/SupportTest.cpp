// The test helpers themselves (ModelTestSupport.hpp): a helper that could
// not fail would make every test above it vacuous.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* ScenarioRun on "A fork = EPERM" (fork starts and sleeps) fails the test, naming the line and both results
 */
TEST(SupportTest, ScenarioRunFailsOnAnUnmetExpectation) {
  EXPECT_NONFATAL_FAILURE(ScenarioRun("process A alice\nA fork = EPERM\n"),
                          "scenario:2 `A fork = EPERM`: expected = EPERM, got = sleeping");
}

/* ScenarioRun on a step of a sleeping vfork parent fails the test */
TEST(SupportTest, ScenarioRunFailsOnAStepThatCannotBeTaken) {
  EXPECT_NONFATAL_FAILURE(ScenarioRun("process A alice\nA vfork A1 = sleeping\nA fork-finish = A1\nA fork\n"),
                          "A cannot take this step now");
}

/* ScenarioRun stops at the first unmet step: later steps do not run */
TEST(SupportTest, ScenarioRunStopsAtTheFirstUnmetStep) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScenarioRun run("process A alice\nA exit = 5\nA fork\n");
        if (run.steps().size() != 1u) ADD_FAILURE() << "ran " << run.steps().size() << " steps";
      },
      "expected = 5, got = 0");
}

/* ScenarioRun names an unnamed child "<parent>.<n>", as replay does, and forgets reaped processes */
TEST(SupportTest, ScenarioRunNamesChildrenAndForgetsReapedOnes) {
  ScenarioRun run(R"(
    process A alice
    A fork = sleeping
    A fork-finish = A.1
    A.1 exit
    A wait A.1 = A.1
    A fork = sleeping
    A fork-finish = A.1
  )");
  EXPECT_TRUE(run.ok());
  EXPECT_TRUE(run.exists("A.1"));
  EXPECT_EQ(run.steps().size(), 6u);
}

/* makeKernel: swapper, init, then the named processes in slots 2.. as init's children, in their groups */
TEST(SupportTest, MakeKernelBuildsTheNamedWorld) {
  Kernel k = makeKernel({{"A", "alice", "A"}, {"B", "bob", "A"}, {"R", "root", "R"}}, 5);
  EXPECT_EQ(&k.variant(), &rfc2014());
  EXPECT_EQ(k.config().maxUserProcs, 5u);
  EXPECT_EQ(k.config().omitted, 0u);
  State s = k.initial();
  EXPECT_EQ(k.initialNames()[2], "A");
  EXPECT_EQ(k.initialNames()[3], "B");
  EXPECT_EQ(k.initialNames()[4], "R");
  EXPECT_EQ(s.proc(KSIM_SLOT_SWAPPER).flag & KSIM_P_SYSTEM, static_cast<std::uint32_t>(KSIM_P_SYSTEM));
  EXPECT_EQ(s.proc(KSIM_SLOT_INIT).pptr, KSIM_SLOT_SWAPPER);
  EXPECT_EQ(s.proc(2).pptr, KSIM_SLOT_INIT);
  EXPECT_EQ(userName(s.proc(3).ruid), "bob");
  EXPECT_EQ(s.proc(3).pgid, 2);
  EXPECT_EQ(s.world.pgrp_head[2], 2);
  EXPECT_EQ(s.proc(2).pgnext, 3);
  EXPECT_EQ(s.proc(4).pgid, 4);
  EXPECT_EQ(s.proc(5).state, KSIM_PRS_FREE);
  EXPECT_TRUE(violatedInvariants(s).empty());
}

/* replay() returns replayScenario's exit code and output */
TEST(SupportTest, ReplayHelperReturnsExitCodeAndOutput) {
  std::string out;
  EXPECT_EQ(replay("process A alice\nA fork A1 = sleeping\nA fork-finish = A1\n", &out),
            properties::kReplayClean);
  EXPECT_NE(out.find("step 1 (line 2): A fork A1 = sleeping"), std::string::npos) << out;
}

}  // namespace
}  // namespace model::test
