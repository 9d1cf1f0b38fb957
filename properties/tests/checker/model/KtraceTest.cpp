// Ktrace scenarios of model/tests/KtraceTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* A: procctl(DISABLE); ktrace(set, A) -> 0 in the RFC (self shortcut); notrace-never-ktraced is then violated
 */
TEST(KtraceTest, SelfKtraceAfterDisableSucceedsInTheRfc) {
  // RFC behaviour, kept by FreeBSD (kernel/PROVENANCE.md sections 7, 8: "a no-trace
  // process may ktrace itself").
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ktrace set A = 0
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A").traceflag), "KTRFAC_SYSCALL");
  EXPECT_TRUE(contains(violations(run), "notrace-never-ktraced"));
}

}  // namespace
}  // namespace model::test
