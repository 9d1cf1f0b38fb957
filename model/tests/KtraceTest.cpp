// ktrace(2) by pid: ktrcanset() (KTRFAC_ROOT, then p_candebug with the
// patch's P2_NOTRACE test) and inheritance at fork.
#include <gtest/gtest.h>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* B (same user): ktrace(set, A) -> 0; A traces system calls with alice's credential */
TEST(KtraceTest, KtraceBySameUserSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ktrace set A = 0
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A").traceflag), "KTRFAC_SYSCALL");
  EXPECT_EQ(userName(run.proc("A").ktr_uid), "alice");
  EXPECT_EQ(run.proc("A").ktr_priv, 0);
}

/* A: procctl(DISABLE); B (same user): ktrace(set, A) -> EPERM */
TEST(KtraceTest, KtraceOfDisabledProcessByAnotherProcessFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B ktrace set A = EPERM
    B ktrace set-inherit A = EPERM
  )");
  EXPECT_EQ(run.proc("A").traceflag, 0u);
}

/* B (bob): ktrace(set, A (alice)) -> EPERM */
TEST(KtraceTest, KtraceByDifferentUserFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    B ktrace set A = EPERM
  )");
}

/* R (root): ktrace(set, A) -> 0 with KTRFAC_ROOT; A (alice): ktrace(clear, A) -> EPERM */
TEST(KtraceTest, RootsKtraceCannotBeClearedWithoutPrivilege) {
  ScenarioRun run(R"(
    process A alice
    process R root
    R ktrace set A = 0
    A ktrace clear A = EPERM
    R ktrace clear A = 0
  )");
  EXPECT_EQ(run.proc("A").traceflag, 0u);
}

/* A: ktrace(set-inherit, A); fork -> A1: A1 is ktraced with the same facilities and credential */
TEST(KtraceTest, SetInheritIsInheritedByAForkedChild) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set-inherit A = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A1").traceflag), "KTRFAC_SYSCALL|KTRFAC_INHERIT");
  EXPECT_EQ(run.proc("A1").ktr_uid, run.proc("A").ktr_uid);
}

/* A: ktrace(set, A) (no inherit); fork -> A1: A1 is not ktraced */
TEST(KtraceTest, SetWithoutInheritIsNotInherited) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A fork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(run.proc("A1").traceflag, 0u);
}

/* A: ktrace(set-inherit, A); vfork -> A1: inherited as with fork */
TEST(KtraceTest, SetInheritIsInheritedByAVforkedChild) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set-inherit A = 0
    A vfork A1 = sleeping
  A fork-finish = A1
  )");
  EXPECT_EQ(ktraceFlagNames(run.proc("A1").traceflag), "KTRFAC_SYSCALL|KTRFAC_INHERIT");
}

/* A: ktrace(set, A); ktrace(clear, A) -> 0; no trace and no trace credential remain */
TEST(KtraceTest, ClearRemovesTheTrace) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A ktrace clear A = 0
  )");
  EXPECT_EQ(run.proc("A").traceflag, 0u);
  EXPECT_EQ(run.proc("A").ktr_uid, 0);
}

/* A forks A1; A1 exits; A: ktrace(set, A1) -> ESRCH on the zombie; ktrace(set, 99) -> ESRCH */
TEST(KtraceTest, KtraceOfZombieOrMissingPidFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A ktrace set A1 = ESRCH
    A ktrace set 99 = ESRCH
  )");
}

/* A forks A1 and exits while ktraced: exit drops the trace (ktrprocexit) */
TEST(KtraceTest, ExitDropsTheTrace) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ktrace set A1 = 0
    A1 exit
  )");
  EXPECT_EQ(run.proc("A1").traceflag, 0u);
}

}  // namespace
}  // namespace model::test
