// KernelEntry scenarios of model/tests/KernelEntryTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <cstring>
#include <ostream>
#include <set>
#include <string>
#include <vector>
#include "ksim/hooks.h"

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

/* A: procctl(DISABLE); ptrace(TRACE_ME); procctl(P_PID A, STATUS) -> panic "102 traced but tracing disabled"
 */
TEST(KernelEntryTest, TraceStatusKassertPanicsTheKernel) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = panic
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().outcome, Outcome::Panic);
  EXPECT_EQ(run.last().message, "102 traced but tracing disabled");
  EXPECT_EQ(run.state().panicked, 1);
  const StepRecord& st = run.lastStep();
  EXPECT_TRUE(contains(violatedStepProperties(st.before, st.action, st.result), "kernel-assertion"));
  // Nothing runs after a panic.
  std::vector<Action> actions;
  run.kernel().enabledActions(run.state(), actions);
  EXPECT_TRUE(actions.empty());
  EXPECT_FALSE(run.canAct("A fork"));
}

/* A: replay of a step after a panic is refused */
TEST(KernelEntryTest, ReplayStopsAfterAPanic) {
  std::string out;
  int code = replay(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = panic
    A fork
  )",
                    &out);
  EXPECT_EQ(code, properties::kReplayUnmet);
  EXPECT_NE(out.find("the kernel has panicked"), std::string::npos) << out;
}

/* bug-pgrp-walk-never-advances: A: procctl(P_PGID A, DISABLE) -> hang; P_PID still works */
TEST(KernelEntryTest, PgrpWalkMutantHangsOnAProcessGroupRequest) {
  ScenarioRun run(R"(
    variant bug-pgrp-walk-never-advances
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = hang
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().outcome, Outcome::Hang);
  EXPECT_TRUE(startsWith(run.last().message, "kernel hang")) << run.last().message;
  EXPECT_EQ(run.state().panicked, 1);
  const StepRecord& st = run.lastStep();
  EXPECT_TRUE(contains(violatedStepProperties(st.before, st.action, st.result), "kernel-hang"));
}

/* bug-candebug-ignores-notrace: A: procctl(DISABLE); B: ptrace(ATTACH, A) -> 0, violating
 * notrace-never-traced */
TEST(KernelEntryTest, CandebugMutantLetsADisabledProcessBeAttached) {
  ScenarioRun run(R"(
    variant bug-candebug-ignores-notrace
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B ptrace PT_ATTACH A = 0
  )");
  EXPECT_TRUE(contains(violations(run), "notrace-never-traced"));
  const StepRecord& st = run.lastStep();
  EXPECT_TRUE(
      contains(violatedStepProperties(st.before, st.action, st.result), "attach-refused-while-notrace"));
}

/* bug-coredump-ignores-notrace: A forks A1; A1: DISABLE; kill(A1, SIGQUIT): a core, no-core-while-notrace
 * fails */
TEST(KernelEntryTest, CoredumpMutantWritesACoreForADisabledProcess) {
  ScenarioRun run(R"(
    variant bug-coredump-ignores-notrace
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A1 kill A1 SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run.last().coreWritten.has_value());
  const StepRecord& st = run.lastStep();
  EXPECT_TRUE(contains(violatedStepProperties(st.before, st.action, st.result), "no-core-while-notrace"));
}

/* bug-coredump-ignores-notrace: A (init's child): DISABLE; kill(A, SIGQUIT): a core; init reaps A; reported
 */
TEST(KernelEntryTest, CoreForADisabledChildOfInitIsReportedToo) {
  ScenarioRun run(R"(
    variant bug-coredump-ignores-notrace
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run.last().coreWritten.has_value());
  const StepRecord& st = run.lastStep();
  ASSERT_EQ(p2FlagNames(st.before.proc(*run.last().coreWritten).flag2), "P2_NOTRACE");
  // init reaps A within the same step: the property must use the flag word
  // the core was written with, not the (freed) record.
  EXPECT_TRUE(contains(violatedStepProperties(st.before, st.action, st.result), "no-core-while-notrace"));
}

/* bug-disable-exec-forgets-notrace: DISABLE_EXEC sets P2_NOTRACE_EXEC alone; DISABLE then trips its KASSERT
 */
TEST(KernelEntryTest, DisableExecMutantLeavesADanglingNotraceExec) {
  ScenarioRun run(R"(
    variant bug-disable-exec-forgets-notrace
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE_EXEC");
  EXPECT_TRUE(contains(violations(run), "notrace-exec-implies-notrace"));
  run.then("A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = panic");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().message, "dandling P2_NOTRACE_EXEC");
}

/* bug-trace-enable-ignores-tracer: A: ptrace(TRACE_ME); procctl(DISABLE) -> 0; STATUS then panics */
TEST(KernelEntryTest, TraceEnableMutantDisablesATracedProcess) {
  ScenarioRun run(R"(
    variant bug-trace-enable-ignores-tracer
    process A alice
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_TRUE(contains(violations(run), "notrace-never-traced"));
  run.then("A procctl P_PID A PROC_TRACE_STATUS = panic");
}

}  // namespace
}  // namespace model::test
