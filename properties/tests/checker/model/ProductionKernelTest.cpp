// A production kernel (`kernel production`, --kernel production): built
// without options INVARIANTS, where KASSERT and MPASS compile to nothing
// (sys/systm.h) and the lock assertions too (sys/lock.h), while panic()
// stays.  The expectations below are what that FreeBSD kernel does with
// the RFC's code, read from the code: they are not ksim's output.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<properties::PropertyFinding> stepFindings(const StepRecord& st) {
  std::vector<properties::PropertyFinding> findings;
  properties::checkStep(st.before, st.action, st.result, findings);
  return findings;
}

/* rfc-2014 trace_status(): with P2_NOTRACE set, KASSERT(!P_TRACED) and *data = -1.  Compiled out, the
 * flag wins: a traced no-trace process's status is -1, not its debugger's pid, and the step returns. */
TEST(ProductionKernelTest, StatusOfATracedNoTraceProcessIsMinusOne) {
  ScenarioRun run(R"(
    kernel production
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = -1
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().outcome, Outcome::Returned);
  EXPECT_EQ(run.last().error, 0);
  ASSERT_TRUE(run.last().value.has_value());
  EXPECT_EQ(*run.last().value, -1);
  EXPECT_EQ(run.state().panicked, 0);
  // The passed-over assertion is the step's, with its text and its site.
  EXPECT_EQ(run.last().assertion, "KASSERT: 102 traced but tracing disabled");
  ASSERT_NE(run.last().assertionFile, nullptr);
  EXPECT_TRUE(endsWith(run.last().assertionFile, "kern_procctl.c")) << run.last().assertionFile;
  // kernel-assertion at this step, saying the assertion was compiled out;
  // status-reports-truthfully takes the flag as the truth (-1) and holds.
  std::vector<properties::PropertyFinding> findings = stepFindings(run.lastStep());
  EXPECT_TRUE(contains(propertyNames(findings), "kernel-assertion"));
  EXPECT_FALSE(contains(propertyNames(findings), "status-reports-truthfully"));
  for (const properties::PropertyFinding& f : findings) {
    if (f.property == properties::PropertyId::KernelAssertion) {
      EXPECT_EQ(f.message,
                "production kernel: KASSERT would fail (compiled out, the step went on): "
                "102 traced but tracing disabled");
    }
  }
  // The kernel goes on: A still runs, and the state still breaks the invariant.
  EXPECT_TRUE(run.canAct("A fork"));
  EXPECT_TRUE(contains(violations(run), "notrace-never-traced"));
  // No step before the status request failed an assertion.
  for (std::size_t i = 0; i + 1 < run.steps().size(); ++i) EXPECT_EQ(run.steps()[i].result.assertion, "");
}

/* The default, and `kernel invariants` alike: the same KASSERT is a panic that ends the kernel. */
TEST(ProductionKernelTest, InvariantsKernelStillPanics) {
  for (const char* line : {"", "kernel invariants"}) {
    ScenarioRun run(std::string(line) + R"(
      process A alice
      A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
      A ptrace PT_TRACE_ME = 0
      A procctl P_PID A PROC_TRACE_STATUS = panic
    )");
    ASSERT_TRUE(run.ok()) << line;
    EXPECT_EQ(run.kernel().config().kernel, KernelBuild::Invariants);
    EXPECT_EQ(run.last().outcome, Outcome::Panic);
    EXPECT_EQ(run.last().assertion, "");
    EXPECT_EQ(run.state().panicked, 1);
  }
}

/* trace_enable(PROC_TRACE_SET_DISABLED) with P2_NOTRACE_EXEC alone: KASSERT(P2_NOTRACE) "dandling
 * P2_NOTRACE_EXEC" is skipped; the caller is the target, so P2_NOTRACE_EXEC is cleared and 0 returned. */
TEST(ProductionKernelTest, DanglingNotraceExecIsDroppedPastItsKassert) {
  ScenarioRun run(R"(
    variant bug-disable-exec-forgets-notrace
    kernel production
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.proc("A").flag2 & (KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC), 0u);
  EXPECT_EQ(run.last().assertion, "KASSERT: dandling P2_NOTRACE_EXEC");
  EXPECT_TRUE(contains(violatedStepProperties(run.lastStep().before, run.lastStep().action, run.last()),
                       "kernel-assertion"));
}

/* replay reports the production kernel's finding and goes on to the steps after it. */
TEST(ProductionKernelTest, ReplayGoesOnPastTheAssertion) {
  Scenario sc = parse(R"(
    kernel production
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = -1
    A fork B = sleeping
  )");
  Kernel kernel(rfc2014(), sc.config);
  std::ostringstream out;
  // No continuations: the graph properties on the last state are not this test's.
  int code = properties::replayScenario(sc, kernel, out, 0);
  EXPECT_EQ(code, properties::kReplayViolation) << out.str();
  EXPECT_NE(out.str().find("VIOLATION kernel-assertion: production kernel: KASSERT would fail"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("A fork B = sleeping"), std::string::npos) << out.str();
  EXPECT_TRUE(startsWith(out.str(), "initial state:")) << out.str();
}

}  // namespace
}  // namespace model::test
