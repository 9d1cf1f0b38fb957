// Coredump scenarios of model/tests/CoredumpTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <cstdint>
#include <optional>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* A: procctl(DISABLE); kill(A, SIGQUIT): the step violates no transition property (no-core-while-notrace
 * holds) */
TEST(CoredumpTest, NoCoreWhileNotraceHoldsForTheRfc) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  const StepRecord& kill = run.lastStep();
  EXPECT_TRUE(violatedStepProperties(kill.before, kill.action, kill.result).empty());
}

}  // namespace
}  // namespace model::test
