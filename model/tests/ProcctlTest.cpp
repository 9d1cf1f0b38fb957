// procctl(2) PROC_TRACE_ENABLE and PROC_TRACE_STATUS as the rfc-2014 patch
// implements them (kernel/variants/rfc-2014/kern_procctl.c), driven through
// the model.  Where the RFC differs from what FreeBSD later committed
// (kernel/PROVENANCE.md section 1.5) the test records the
// RFC's behaviour and says so in its name.
#include <gtest/gtest.h>

#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

// --- PROC_TRACE_ENABLE on the caller itself -------------------------------

/* A: procctl(P_PID A, SET_DISABLED) -> 0; A has P2_NOTRACE only */
TEST(ProcctlTest, DisableOnSelfSetsNotraceOnly) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

/* A: procctl(P_PID A, SET_DISABLED_EXEC) -> 0; A has P2_NOTRACE and P2_NOTRACE_EXEC */
TEST(ProcctlTest, DisableExecOnSelfSetsNotraceAndNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* A: procctl(DISABLE_EXEC); procctl(ENABLE) -> 0; A has no P2 flag */
TEST(ProcctlTest, EnableOnSelfClearsNotraceAndNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: procctl(ENABLE) on a process that never disabled -> 0, nothing changes */
TEST(ProcctlTest, EnableOnSelfWhenEnabledSucceedsAndChangesNothing) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
  )");
  EXPECT_EQ(run.state(), run.lastStep().before);
}

/* A: procctl(DISABLE) twice -> 0 both times; A keeps P2_NOTRACE only */
TEST(ProcctlTest, DisableTwiceKeepsNotraceOnly) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

/* A: procctl(DISABLE_EXEC); procctl(DISABLE) -> 0; only P2_NOTRACE_EXEC is cleared (downgrade) */
TEST(ProcctlTest, DisableOnSelfWithNotraceExecClearsOnlyNotraceExec) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

// --- invalid values --------------------------------------------------------

class ProcctlInvalidValueTest : public ::testing::TestWithParam<int> {};

/* A: procctl(P_PID A, PROC_TRACE_ENABLE, value) for a value not 1, 2 or 3 -> EINVAL, flags unchanged */
TEST_P(ProcctlInvalidValueTest, InvalidValueFailsWithEinvalAndChangesNothing) {
  ScenarioRun run("process A alice\nA procctl P_PID A PROC_TRACE_ENABLE " + std::to_string(GetParam()) +
                  " = EINVAL\n");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.state(), run.lastStep().before);
}

INSTANTIATE_TEST_SUITE_P(Values, ProcctlInvalidValueTest, ::testing::Values(0, 4, -1, 127, -128),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param < 0 ? "minus" + std::to_string(-info.param)
                                                 : std::to_string(info.param);
                         });

// --- EBUSY: the target is traced ---------------------------------------------

/* A: ptrace(PT_TRACE_ME); procctl(P_PID A, DISABLE) -> EBUSY */
TEST(ProcctlTest, DisableOnPtracedSelfFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EBUSY
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* B attaches A; B: procctl(P_PID A, DISABLE_EXEC) -> EBUSY */
TEST(ProcctlTest, DisableOfAttachedProcessByItsDebuggerFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = EBUSY
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: ktrace(set, A); procctl(P_PID A, DISABLE) -> EBUSY */
TEST(ProcctlTest, DisableOnKtracedSelfFailsWithEbusy) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EBUSY
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: ptrace(PT_TRACE_ME); procctl(P_PID A, value 0) -> EBUSY, not EINVAL */
TEST(ProcctlTest, EbusyForTracedTargetWinsOverEinvalForBadValue) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_ENABLE 0 = EBUSY
    A procctl P_PID A PROC_TRACE_ENABLE 9 = EBUSY
  )");
}

/* A: ktrace(set, A); procctl(P_PID A, value 0) -> EBUSY, not EINVAL */
TEST(ProcctlTest, EbusyForKtracedTargetWinsOverEinvalForBadValue) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A procctl P_PID A PROC_TRACE_ENABLE 0 = EBUSY
  )");
}

/* A: ktrace(set, A); ktrace(clear, A); procctl(DISABLE) -> 0 once the trace is gone */
TEST(ProcctlTest, DisableSucceedsAgainAfterKtraceIsCleared) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A ktrace clear A = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

// --- another process ----------------------------------------------------------

/* A: procctl(DISABLE); B (same user): procctl(P_PID A, ENABLE) -> EPERM; A stays disabled */
TEST(ProcctlTest, EnableOnAnotherProcessFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = EPERM
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

/* B (same user): procctl(P_PID A, ENABLE) on an enabled A -> EPERM all the same */
TEST(ProcctlTest, EnableOnAnotherEnabledProcessFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = EPERM
  )");
}

/* A: procctl(DISABLE_EXEC); B: procctl(P_PID A, DISABLE) -> EPERM; A keeps both flags */
TEST(ProcctlTest, DisableOnAnotherProcessWithNotraceExecFailsWithEperm) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EPERM
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* B (same user): procctl(P_PID A, DISABLE) -> 0; A has P2_NOTRACE */
TEST(ProcctlTest, DisableOnAnotherProcessOfTheSameUserSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("B"), "0");
}

/* B (same user): procctl(P_PID A, DISABLE_EXEC) -> 0: DISABLE_EXEC has no self check */
TEST(ProcctlTest, DisableExecOnAnotherProcessSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* B (bob): procctl(P_PID A (alice), DISABLE) -> 0 in the RFC, which checks only p_cansee */
TEST(ProcctlTest, UnprivilegedOtherUserCanDisableAnotherUsersProcessInTheRfc) {
  // RFC behaviour (kern_procctl checks p_cansee only).  FreeBSD since the
  // 2021-2023 procctl rework requires p_candebug, which refuses bob here
  // (kernel/PROVENANCE.md sections 1.4, 1.5): there this would be EPERM.
  ScenarioRun run(R"(
    process A alice
    process B bob
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE|P2_NOTRACE_EXEC");
}

/* see_other_uids=0; B (bob): procctl(P_PID A (alice), DISABLE) -> ESRCH: A is not visible */
TEST(ProcctlTest, DisableOfInvisibleProcessFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    sysctl security.bsd.see_other_uids=0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
    B procctl P_PID A PROC_TRACE_STATUS = ESRCH
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* R (root): procctl(P_PID A, DISABLE) -> 0; procctl(P_PID A, ENABLE) -> EPERM even for root */
TEST(ProcctlTest, RootCannotReenableAnotherProcess) {
  ScenarioRun run(R"(
    process A alice
    process R root
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = EPERM
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
}

// --- targets that are not an ordinary process ----------------------------------

/* A: procctl(P_PID 99, DISABLE) -> ESRCH; procctl(P_PID 99, STATUS) -> ESRCH */
TEST(ProcctlTest, MissingPidFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
    A procctl P_PID 99 PROC_TRACE_STATUS = ESRCH
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: procctl(P_PID 0, DISABLE) -> 0, and the swapper (pid 0), not A, gets P2_NOTRACE */
TEST(ProcctlTest, PidZeroTargetsTheSwapperNotTheCallerInTheRfc) {
  // RFC behaviour: P_PID 0 is pfind(0), the swapper.  FreeBSD later made
  // id 0 mean the caller (kernel/PROVENANCE.md sections 1.4, 9 item 3).
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID 0 PROC_TRACE_STATUS = -1
    A procctl P_PID A PROC_TRACE_STATUS = 0
  )");
  EXPECT_EQ(p2FlagNames(run.state().proc(KSIM_SLOT_SWAPPER).flag2), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: procctl(P_PID init, DISABLE) -> 0 for an unprivileged caller (p_cansee only) */
TEST(ProcctlTest, UnprivilegedCallerCanDisableInitInTheRfc) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID init PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(p2FlagNames(run.state().proc(KSIM_SLOT_INIT).flag2), "P2_NOTRACE");
}

/* A forks A1; A1 exits (zombie); A: procctl(P_PID A1, DISABLE) -> ESRCH: pfind skips zombies */
TEST(ProcctlTest, ZombieTargetByPidFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
    A procctl P_PID A1 PROC_TRACE_STATUS = ESRCH
  )");
}

// --- bad arguments -------------------------------------------------------------------

/* A: procctl(P_PID A, DISABLE, bad pointer) -> EFAULT, nothing changes */
TEST(ProcctlTest, BadDataPointerFailsWithEfaultForEnable) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR = EFAULT
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A: procctl(P_PID A, STATUS, bad pointer) -> EFAULT */
TEST(ProcctlTest, BadDataPointerFailsWithEfaultForStatus) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_STATUS BADADDR = EFAULT
  )");
}

/* A: procctl(P_PID 99, DISABLE, bad pointer) -> EFAULT: the value is copied in before the lookup */
TEST(ProcctlTest, EfaultForEnableComesBeforeTheTargetLookup) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR = EFAULT
  )");
}

/* A: procctl(P_PID 99, STATUS, bad pointer) -> ESRCH: the status is copied out only on success */
TEST(ProcctlTest, StatusOfMissingPidWithBadPointerFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID 99 PROC_TRACE_STATUS BADADDR = ESRCH
  )");
}

/* A: procctl(P_PID A, command 9) -> EINVAL: an unknown command */
TEST(ProcctlTest, UnknownCommandFailsWithEinval) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A 9 0 = EINVAL
    A procctl P_PGID A 200 1 = EINVAL
  )");
}

/* A: procctl(idtype 1 (P_PPID), A, DISABLE) -> EINVAL: only P_PID and P_PGID are accepted */
TEST(ProcctlTest, OtherIdtypeFailsWithEinval) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  State s = k.initial();
  Action a{.actor = KSIM_FIRST_USER_SLOT,
           .call = Call::Procctl,
           .target = KSIM_FIRST_USER_SLOT,
           .op = kProcTraceEnable,
           .idtype = 1,
           .data = KSIM_PROC_TRACE_SET_DISABLED};
  StepResult r = k.step(s, a);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(errnoName(r.error), "EINVAL");
  EXPECT_EQ(r.next, s);
}

// --- P_PGID ---------------------------------------------------------------------------

/* A, B, C in A's group: A: procctl(P_PGID A, DISABLE) -> 0; all three have P2_NOTRACE */
TEST(ProcctlTest, ProcessGroupRequestAppliesToEveryVisibleMember) {
  ScenarioRun run(R"(
    process A alice
    process B alice group A
    process C bob group A
    process D alice
    maxproc 4
    A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("B"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("C"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("D"), "0");  // not in the group
}

/* see_other_uids=0; A (alice) and C (bob) in A's group: procctl(P_PGID A, DISABLE) -> 0, C untouched */
TEST(ProcctlTest, ProcessGroupRequestSkipsInvisibleMembers) {
  ScenarioRun run(R"(
    process A alice
    process C bob group A
    sysctl security.bsd.see_other_uids=0
    A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("C"), "0");
}

/* see_other_uids=0; B (bob) outside A's all-alice group: procctl(P_PGID A, DISABLE) -> ESRCH */
TEST(ProcctlTest, ProcessGroupWithNoVisibleMemberFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    process C alice group A
    process B bob
    maxproc 3
    sysctl security.bsd.see_other_uids=0
    B procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
  )");
  EXPECT_EQ(run.flags2("A"), "0");
}

/* A, B in A's group, C attaches B: A: procctl(P_PGID A, DISABLE) -> 0 (A succeeded), B untouched (EBUSY) */
TEST(ProcctlTest, ProcessGroupRequestSucceedsIfAnyMemberSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process B alice group A
    process C alice
    maxproc 3
    C ptrace PT_ATTACH B = 0
    A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_EQ(run.flags2("A"), "P2_NOTRACE");
  EXPECT_EQ(run.flags2("B"), "0");
}

/* A, B in A's group, C attaches A; C: procctl(P_PGID A, ENABLE) -> EBUSY (A's error), not EPERM (B's) */
TEST(ProcctlTest, ProcessGroupRequestReturnsTheFirstErrorWhenNoMemberSucceeds) {
  ScenarioRun run(R"(
    process A alice
    process B alice group A
    process C alice
    maxproc 3
    C ptrace PT_ATTACH A = 0
    C procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = EBUSY
  )");
}

/* A: procctl(P_PGID 99, DISABLE) -> ESRCH: no such group */
TEST(ProcctlTest, MissingProcessGroupFailsWithEsrch) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PGID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
  )");
}

/* A forks A1; A1 exits (zombie in A's group); A: procctl(P_PGID A, DISABLE) -> 0 and the zombie gets
 * P2_NOTRACE too */
TEST(ProcctlTest, ProcessGroupRequestReachesZombieMembersInTheRfc) {
  // RFC behaviour: its member walk skips only PRS_NEW and invisible
  // processes.  FreeBSD's later walk also skips PRS_ZOMBIE
  // (kernel/PROVENANCE.md sections 1.4 item 4, 1.5).
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  ASSERT_EQ(run.proc("A1").state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(run.flags2("A1"), "P2_NOTRACE");
}

/* A leads a group, forks A1 and exits; A1: procctl(P_PGID <A's pid>, DISABLE) -> 0: the group outlives its
 * leader */
TEST(ProcctlTest, ProcessGroupRequestWorksAfterTheLeaderIsGone) {
  ScenarioRun run(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A exit
    A1 procctl P_PGID 102 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  EXPECT_FALSE(run.exists("A"));
  EXPECT_EQ(run.flags2("A1"), "P2_NOTRACE");
}

/* A: procctl(P_PGID A, STATUS) -> EINVAL */
TEST(ProcctlTest, StatusByProcessGroupFailsWithEinval) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PGID A PROC_TRACE_STATUS = EINVAL
    A procctl P_PGID 99 PROC_TRACE_STATUS = EINVAL
  )");
}

// --- PROC_TRACE_STATUS ------------------------------------------------------------

/* A: procctl(P_PID A, STATUS) -> 0: enabled and not traced */
TEST(ProcctlTest, StatusIsZeroWhenEnabledAndUntraced) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_STATUS = 0
  )");
}

/* A: procctl(DISABLE); procctl(STATUS) -> -1; the same after DISABLE_EXEC */
TEST(ProcctlTest, StatusIsMinusOneWhenDisabled) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_STATUS = -1
    B procctl P_PID B PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID B PROC_TRACE_STATUS = -1
  )");
}

/* B attaches A; B: procctl(P_PID A, STATUS) -> B's pid */
TEST(ProcctlTest, StatusIsTheDebuggersPidWhenTraced) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    process C alice
    maxproc 3
    B ptrace PT_ATTACH A = 0
    B procctl P_PID A PROC_TRACE_STATUS = B
    C procctl P_PID A PROC_TRACE_STATUS = B
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().value, run.pid("B"));
}

/* A: ptrace(PT_TRACE_ME); procctl(P_PID A, STATUS) -> init's pid, the parent that traces it */
TEST(ProcctlTest, StatusAfterTraceMeIsTheParentsPid) {
  ScenarioRun run(R"(
    process A alice
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = 1
  )");
}

/* A: ktrace(set, A); procctl(STATUS) -> 0: ktrace is not reported */
TEST(ProcctlTest, StatusIgnoresKtrace) {
  ScenarioRun run(R"(
    process A alice
    A ktrace set A = 0
    A procctl P_PID A PROC_TRACE_STATUS = 0
  )");
}

/* B (bob): procctl(P_PID A (alice), STATUS) -> 0: reading the status needs only p_cansee */
TEST(ProcctlTest, StatusOfAnotherUsersProcessIsVisible) {
  ScenarioRun run(R"(
    process A alice
    process B bob
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B procctl P_PID A PROC_TRACE_STATUS = -1
  )");
}

/* A: procctl(STATUS) never changes the state */
TEST(ProcctlTest, StatusChangesNothing) {
  ScenarioRun run(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    B procctl P_PID A PROC_TRACE_STATUS = B
  )");
  EXPECT_EQ(run.state(), run.lastStep().before);
}

}  // namespace
}  // namespace model::test
