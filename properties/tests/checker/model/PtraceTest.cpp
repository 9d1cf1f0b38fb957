// Ptrace scenarios of model/tests/PtraceTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <cstdint>
#include <optional>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* A: procctl(DISABLE); ptrace(PT_TRACE_ME) -> 0 in the RFC; then A is P_TRACED with P2_NOTRACE */
TEST(PtraceTest, TraceMeAfterDisableSucceedsAndViolatesNotraceNeverTraced) {
  // RFC behaviour, unchanged in FreeBSD (kernel/PROVENANCE.md sections 3.2, 9 item
  // 8): PT_TRACE_ME's only check is p_candebug(self), which returns 0 on
  // the self shortcut before the P2_NOTRACE test.  The invariant
  // notrace-never-traced catches the result.
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
  EXPECT_TRUE(contains(violations(run), "notrace-never-traced"));
  EXPECT_FALSE(contains(violations(run), "tree-consistent"));
}

/* A: ptrace(PT_TRACE_ME) -> 0; A is traced by its parent init, p_oppid = init, not reparented */
TEST(PtraceTest, TraceMeMakesTheParentTheDebugger) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A"), "init");
  EXPECT_EQ(run.nameOf(run.proc("A").oppid), "init");
  EXPECT_TRUE(violations(run).empty());
}

/* A forks A1; B attaches A1, A1 stops, B waits; B: ptrace(DETACH, A1) -> 0 and A1's parent is A again */
TEST(PtraceTest, DetachRestoresTheRealParent) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    A1 take-signal = 0
    B wait A1 = A1
    B ptrace PT_DETACH A1 = 0
  )");
  EXPECT_EQ(run.parentOf("A1"), "A");
  EXPECT_EQ(run.proc("A1").oppid, KSIM_NOSLOT);
  EXPECT_EQ(run.flags("A1"), "P_INMEM");
  EXPECT_TRUE(violations(run).empty());
}

}  // namespace
}  // namespace model::test
