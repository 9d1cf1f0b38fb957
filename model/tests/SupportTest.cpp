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
                          "scenario:2: expected EPERM, got sleeping, at `A fork = EPERM`");
}

/* ScenarioRun on a step of a sleeping vfork parent fails the test */
TEST(SupportTest, ScenarioRunFailsOnAStepThatCannotBeTaken) {
  EXPECT_NONFATAL_FAILURE(ScenarioRun("process A alice\nA vfork A1 = sleeping\nA fork-finish = A1\nA fork\n"),
                          "scenario:4: A cannot fork now: it is asleep in vfork");
}

/* ScenarioRun stops at the first unmet step: later steps do not run */
TEST(SupportTest, ScenarioRunStopsAtTheFirstUnmetStep) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScenarioRun run("process A alice\nA exit = 5\nA fork\n");
        if (run.steps().size() != 1u) ADD_FAILURE() << "ran " << run.steps().size() << " steps";
      },
      "expected 5, got 0");
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

}  // namespace
}  // namespace model::test
