// kill(2) with SIGQUIT and the coredump gate in sigexit/coredump with the
// patch's P2_NOTRACE refusal (kernel/variants/rfc-2014/kern_sig.c).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

std::optional<std::uint8_t> slotOf(const ScenarioRun& run, const char* name) {
  return static_cast<std::uint8_t>(run.slot(name));
}

/* A forks A1; A1: kill(A1, SIGQUIT) -> 0; a core is written and A1 dies with "core dumped" */
TEST(CoredumpTest, SelfSigquitWritesACore) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 kill A1 SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, slotOf(run, "A1"));
  EXPECT_EQ(run.proc("A1").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(model::exitKind(run.proc("A1")), KSIM_XSTAT_CORE);
}

/* A: kill(A, SIGQUIT): A dies and, a child of init, is reaped at once */
TEST(CoredumpTest, SelfSigquitKillsAndInitReaps) {
  ScenarioRun run(R"(
    process A alice
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run.last().coreWritten.has_value());
  EXPECT_FALSE(run.exists("A"));
}

/* A forks A1; A1: procctl(DISABLE); kill(A1, SIGQUIT) -> 0 but no core is written */
TEST(CoredumpTest, SigquitAfterDisableWritesNoCore) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A1 kill A1 SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
  EXPECT_EQ(run.proc("A1").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(model::exitKind(run.proc("A1")), KSIM_XSTAT_KILLED);
}

/* A: procctl(DISABLE); fork -> A1; A1 dies of SIGQUIT: no core, the child inherited the refusal */
TEST(CoredumpTest, ChildOfDisabledProcessWritesNoCore) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A fork A1 = sleeping
    A fork-finish = A1
    A1 kill A1 SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
}

/* A: procctl(DISABLE); exec; kill(A, SIGQUIT): a core again, exec re-enabled tracing */
TEST(CoredumpTest, ExecReenablesCoreDumps) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A exec = sleeping
    A exec-finish = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run.last().coreWritten.has_value());
}

/* A: procctl(DISABLE_EXEC); exec; kill(A, SIGQUIT): still no core */
TEST(CoredumpTest, DisableExecRefusesCoresAcrossExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A exec = sleeping
    A exec-finish = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
}

/* A: exec setuid-root (P_SUGID); kill(A, SIGQUIT): no core with kern.sugid_coredump=0 (the default) */
TEST(CoredumpTest, SugidProcessWritesNoCoreByDefault) {
  ScenarioRun run(R"(
    process A alice
    A exec setuid-root = sleeping
    A exec-finish = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
}

/* kern.sugid_coredump=1; A: exec setuid-root; kill(A, SIGQUIT): a core */
TEST(CoredumpTest, SugidProcessWritesACoreWhenSugidCoredumpIsOn) {
  ScenarioRun run(R"(
    process A alice
    sysctl kern.sugid_coredump=1
    A exec setuid-root = sleeping
    A exec-finish = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run.last().coreWritten.has_value());
}

/* kern.sugid_coredump=1; A: exec setuid-root; procctl(DISABLE); kill(A, SIGQUIT): no core, P2_NOTRACE still
 * refuses */
TEST(CoredumpTest, NotraceRefusesACoreEvenWhenSugidCoredumpIsOn) {
  ScenarioRun run(R"(
    process A alice
    sysctl kern.sugid_coredump=1
    A exec setuid-root = sleeping
    A exec-finish = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
}

/* kern.coredump=0; A: kill(A, SIGQUIT): no core */
TEST(CoredumpTest, KernCoredumpOffWritesNoCore) {
  ScenarioRun run(R"(
    process A alice
    sysctl kern.coredump=0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
}

/* B (bob): kill(A (alice), SIGQUIT) -> EPERM; nothing is pending */
TEST(CoredumpTest, KillByDifferentUserFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    B kill A SIGQUIT = EPERM
  )");
  EXPECT_EQ(run.proc("A").sigpend, 0);
}

/* B (same user): kill(A, SIGQUIT) -> 0; A must take the signal next, and that writes the core */
TEST(CoredumpTest, KillBySameUserLeavesSigquitPendingUntilTaken) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    maxproc 3
    A fork A1 = sleeping
    A fork-finish = A1
    B kill A1 SIGQUIT = 0
  )");
  EXPECT_EQ(run.proc("A1").sigpend, KSIM_SIGBIT_QUIT);
  EXPECT_FALSE(run.canAct("A1 fork"));
  EXPECT_TRUE(run.canAct("A1 take-signal"));
  run.then("A1 take-signal = 0");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, slotOf(run, "A1"));
}

/* R (root): kill(A, SIGQUIT) -> 0 */
TEST(CoredumpTest, KillByRootSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process R root
    R kill A SIGQUIT = 0
  )");
}

/* A: exec setuid-root; B (alice, A's real uid): kill(A, SIGQUIT) -> EPERM: SIGQUIT is not in the set-id safe
 * set */
TEST(CoredumpTest, KillOfSetuidProcessBySameRealUserFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A exec setuid-root = sleeping
    A exec-finish = 0
    B kill A SIGQUIT = EPERM
  )");
}

/* A forks A1; A1 exits; A: kill(A1, SIGQUIT) -> 0 on the zombie, to no effect */
TEST(CoredumpTest, KillOfZombieSucceedsToNoEffect) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A kill A1 SIGQUIT = 0
  )");
  EXPECT_EQ(run.state(), run.lastStep().before);
}

/* A: kill(99, SIGQUIT) -> ESRCH */
TEST(CoredumpTest, KillOfMissingPidFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A kill 99 SIGQUIT = ESRCH
  )");
}

/* A: ptrace(TRACE_ME); kill(A, SIGQUIT): A stops for its debugger instead of dying */
TEST(CoredumpTest, TracedProcessStopsOnSigquitInsteadOfDumping) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A kill A SIGQUIT = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().coreWritten, std::nullopt);
  EXPECT_TRUE(run.has("A", KSIM_P_STOPPED_TRACE));
  EXPECT_EQ(run.proc("A").xsig, KSIM_SIGQUIT);
}

}  // namespace
}  // namespace model::test
