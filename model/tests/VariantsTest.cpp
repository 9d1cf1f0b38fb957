// The designs besides rfc-2014 (kernel/variants/, kernel/PROVENANCE.md),
// each pinned by the behaviour that sets it apart, driven through the
// model: pre-patch has no tracing requests, committed-2015 lets root past
// P2_NOTRACE, freebsd-current reads P_PID 0 as the caller and asks
// p_candebug for PROC_TRACE_CTL, and proposed closes the RFC's holes.
// The scenarios use the RFC's names; the numbers are the same in every
// era (kernel/PROVENANCE.md section 1.1).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

std::uint32_t swapperFlag2(const ScenarioRun& run) { return run.state().proc(KSIM_SLOT_SWAPPER).flag2; }

// --- design flags ------------------------------------------------------------------

/* ksim_variant.design: the reaper (REAPER) for every design, the December 2014 kernel's included;
 * NO_NOTRACE only for pre-patch; PRIV_OVERRIDES_NOTRACE for committed-2015,
 * freebsd-current and proposed; PID0_IS_CALLER for freebsd-current and proposed; today's exit, wait, getppid
 * and ptrace events (EXIT_RETURNS_TRACED_CHILDREN, WAIT_LEAVES_ORPHANS_TO_DEBUGGER,
 * GETPPID_REPORTS_REAL_PARENT, PTRACE_EVENT_MASKS, PTRACE_DEFERS_SIGNALS) and
 * process descriptors (PROCDESC) and the SIGSTOP that follows the attach of a signal-stopped process
 * (ATTACH_SIGNALS_STOPPED) and the attach's SIGSTOP first (PTRACE_FIRST_STOP) and today's PROC_REAP_KILL
 * (REAP_KILL_SUBTREE) for freebsd-current only; PT_KILL's P_WKILLED (PT_KILL_WKILLED) for
 * freebsd-current and proposed (its change (i)); nothing else for rfc-2014; a mutant has its base's
 * (committed-2015's for bug-notrace-denies-root, rfc-2014's for the rest) */
TEST(VariantsTest, DesignFlagsSayWhatTheProgramCannotShow) {
  EXPECT_EQ(variantNamed("rfc-2014").design, unsigned{KSIM_DESIGN_REAPER});
  EXPECT_EQ(variantNamed("pre-patch").design, unsigned{KSIM_DESIGN_NO_NOTRACE | KSIM_DESIGN_REAPER});
  EXPECT_EQ(variantNamed("committed-2015").design,
            unsigned{KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE | KSIM_DESIGN_REAPER});
  EXPECT_EQ(
      variantNamed("freebsd-current").design,
      unsigned{KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE | KSIM_DESIGN_PID0_IS_CALLER |
               KSIM_DESIGN_EXIT_RETURNS_TRACED_CHILDREN | KSIM_DESIGN_WAIT_LEAVES_ORPHANS_TO_DEBUGGER |
               KSIM_DESIGN_GETPPID_REPORTS_REAL_PARENT | KSIM_DESIGN_PTRACE_EVENT_MASKS | KSIM_DESIGN_REAPER |
               KSIM_DESIGN_PTRACE_DEFERS_SIGNALS | KSIM_DESIGN_PROCDESC | KSIM_DESIGN_ATTACH_SIGNALS_STOPPED |
               KSIM_DESIGN_PTRACE_FIRST_STOP | KSIM_DESIGN_REAP_KILL_SUBTREE | KSIM_DESIGN_PT_KILL_WKILLED});
  EXPECT_EQ(variantNamed("proposed").design,
            unsigned{KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE | KSIM_DESIGN_PID0_IS_CALLER | KSIM_DESIGN_REAPER |
                     KSIM_DESIGN_PT_KILL_WKILLED});
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    if (std::string(ksim_variant_table[i].kind) != "mutant") continue;
    const bool fromCommitted = std::string(ksim_variant_table[i].variant->name) == "bug-notrace-denies-root";
    EXPECT_EQ(ksim_variant_table[i].variant->design,
              fromCommitted ? variantNamed("committed-2015").design : variantNamed("rfc-2014").design)
        << ksim_variant_table[i].variant->name;
  }
}

// --- pre-patch ---------------------------------------------------------------------

/* pre-patch: procctl 7 and 8, native and 32-bit, -> EINVAL (unknown commands); nothing changes */
TEST(VariantsTest, PrePatchHasNoTracingRequests) {
  ScenarioRun run(R"(
    variant pre-patch
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EINVAL
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = EINVAL
    A procctl P_PID A PROC_TRACE_STATUS = EINVAL
    A procctl32 P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EINVAL
    A procctl32 P_PID A PROC_TRACE_STATUS = EINVAL
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR = EINVAL
  )");
  EXPECT_EQ(run.proc("A").flag2, 0u);
  EXPECT_EQ(run.state(), ScenarioRun("variant pre-patch\nprocess A alice").state());
}

/* pre-patch: A: ptrace(PT_TRACE_ME) -> 0 under init (2014: always legal); B attaches A -> 0 */
TEST(VariantsTest, PrePatchTracesAsIn2014) {
  ScenarioRun run(R"(
    variant pre-patch
    process A alice
    process B alice
    A ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  ScenarioRun attach(R"(
    variant pre-patch
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
  )");
}

// --- committed-2015 ----------------------------------------------------------------

/* committed-2015: A disables; B (alice) PT_ATTACH A -> EPERM; R (root) PT_ATTACH A -> 0: PRIV_DEBUG_DENIED */
TEST(VariantsTest, Committed2015LetsRootAttachToANotraceProcess) {
  ScenarioRun run(R"(
    variant committed-2015
    process A alice
    process B alice
    process R root
    maxproc 3
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B ptrace PT_ATTACH A = EPERM
    R ptrace PT_ATTACH A = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A"), "R");
  // The RFC refuses root too.
  ScenarioRun rfc(R"(
    process A alice
    process R root
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH A = EPERM
  )");
}

/* committed-2015 keeps the 2014 dispatch: P_PID 0 is the swapper, and bob disables alice's A with p_cansee
 * only */
TEST(VariantsTest, Committed2015KeepsTheRfcDispatch) {
  ScenarioRun run(R"(
    variant committed-2015
    process A alice
    process B bob
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_STATUS = -1
    A procctl32 P_PID A PROC_TRACE_STATUS = -1
  )");
  EXPECT_EQ(swapperFlag2(run), unsigned{KSIM_P2_NOTRACE});
  EXPECT_EQ(run.proc("A").flag2, unsigned{KSIM_P2_NOTRACE});
}

/* committed-2015: unprivileged_proc_debug=0; A forks A1; A1: PT_TRACE_ME -> EPERM (the check precedes self)
 */
TEST(VariantsTest, Committed2015RefusesTraceMeWithoutUnprivilegedDebugging) {
  ScenarioRun run(R"(
    variant committed-2015
    process A alice
    sysctl security.bsd.unprivileged_proc_debug=0
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = EPERM
  )");
}

// --- freebsd-current -----------------------------------------------------------------

/* freebsd-current: B (bob) DISABLE on A (alice) -> EPERM (p_candebug); A: P_PID 0 DISABLE -> 0 on A, not the
 * swapper; STATUS of P_PID 0 -> -1 */
TEST(VariantsTest, FreebsdCurrentPidZeroIsTheCallerAndCtlNeedsCandebug) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    process B bob
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EPERM
    B procctl32 P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EPERM
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID 0 PROC_TRACE_STATUS = -1
    B procctl P_PID A PROC_TRACE_STATUS = -1
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
    A procctl P_PID A PROC_TRACE_STATUS = 0
  )");
  EXPECT_EQ(swapperFlag2(run), 0u);
  EXPECT_EQ(run.proc("A").flag2, 0u);
}

/* freebsd-current: R (root) disables A -> 0 and attaches -> 0 (PRIV_DEBUG_DENIED); bob cannot attach */
TEST(VariantsTest, FreebsdCurrentLetsRootPastNotrace) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    process B bob
    process R root
    maxproc 3
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    B ptrace PT_ATTACH A = EPERM
    R ptrace PT_ATTACH A = 0
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
}

/* freebsd-current: P_PGID with STATUS -> EINVAL; by group, bob's DISABLE skips alice's A, disables B itself
 */
TEST(VariantsTest, FreebsdCurrentProcessGroupRequests) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    process B bob group A
    A procctl P_PGID A PROC_TRACE_STATUS = EINVAL
    B procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  // B may act only on itself in the group: A is untouched.
  EXPECT_EQ(run.proc("A").flag2, 0u);
  EXPECT_EQ(run.proc("B").flag2, unsigned{KSIM_P2_NOTRACE});
}

/* freebsd-current: A: PT_TRACE_ME under init -> EPERM; its child A1: PT_TRACE_ME -> 0, again -> EBUSY */
TEST(VariantsTest, FreebsdCurrentTraceMeChecks) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    A ptrace PT_TRACE_ME = EPERM
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = 0
    A1 ptrace PT_TRACE_ME = EBUSY
  )");
  EXPECT_FALSE(run.has("A", KSIM_P_TRACED));
  EXPECT_TRUE(run.has("A1", KSIM_P_TRACED));
}

/* freebsd-current: unprivileged_proc_debug=0; A1 (child of A): PT_TRACE_ME -> 0: self passes p_candebug first
 */
TEST(VariantsTest, FreebsdCurrentSelfPassesWithoutUnprivilegedDebugging) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    sysctl security.bsd.unprivileged_proc_debug=0
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = 0
  )");
}

// --- proposed ----------------------------------------------------------------------

/* proposed: A: DISABLE; PT_TRACE_ME -> EPERM; ktrace of itself -> EPERM; STATUS -> -1 (no KASSERT) */
TEST(VariantsTest, ProposedRefusesSelfTracingOfANotraceProcess) {
  ScenarioRun run(R"(
    variant proposed
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A1 ptrace PT_TRACE_ME = EPERM
    A1 ktrace set A1 = EPERM
    A1 procctl P_PID A1 PROC_TRACE_STATUS = -1
  )");
  EXPECT_FALSE(run.has("A1", KSIM_P_TRACED));
  EXPECT_EQ(run.proc("A1").traceflag, 0u);
  // The same steps on the RFC trace the no-trace process.
  ScenarioRun rfc(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A1 ptrace PT_TRACE_ME = 0
  )");
}

/* proposed: R (root) disables A and itself; R attaches A -> 0 and ktraces itself -> 0 (PRIV_DEBUG_DENIED);
 * A's STATUS, asked by R -> -1 with no panic (the RFC's KASSERT is gone); R's child R1, no-trace and root's,
 * PT_TRACE_ME -> 0; bob's no-trace M1 can neither be attached by M nor PT_TRACE_ME */
TEST(VariantsTest, ProposedLetsRootPastNotrace) {
  ScenarioRun run(R"(
    variant proposed
    process R root
    process A alice
    process M bob
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH A = 0
    R procctl P_PID A PROC_TRACE_STATUS = -1
    R procctl P_PID R PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ktrace set R = 0
    R fork R1 = sleeping
    R fork-finish = R1
    R1 ptrace PT_TRACE_ME = 0
    M fork M1 = sleeping
    M fork-finish = M1
    M1 procctl P_PID M1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    M ptrace PT_ATTACH M1 = EPERM
    M1 ptrace PT_TRACE_ME = EPERM
  )");
  EXPECT_TRUE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A"), "R");
  EXPECT_TRUE(run.has("R1", KSIM_P_TRACED));
  EXPECT_FALSE(run.has("M1", KSIM_P_TRACED));
  // rfc-2014 refuses root the attach, and its STATUS of a traced no-trace
  // process panics (committed-2015 keeps the KASSERT with the override).
  ScenarioRun rfc(R"(
    process R root
    process A alice
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH A = EPERM
  )");
  ScenarioRun committed(R"(
    variant committed-2015
    process R root
    process A alice
    R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH A = 0
    R procctl P_PID A PROC_TRACE_STATUS = panic
  )");
}

/* proposed: A (child of init): PT_TRACE_ME -> EPERM; its child A1: -> 0, again -> EBUSY */
TEST(VariantsTest, ProposedRefusesTraceMeUnderInit) {
  ScenarioRun run(R"(
    variant proposed
    process A alice
    A ptrace PT_TRACE_ME = EPERM
    A fork A1 = sleeping
    A fork-finish = A1
    A1 ptrace PT_TRACE_ME = 0
    A1 ptrace PT_TRACE_ME = EBUSY
  )");
  EXPECT_FALSE(run.has("A", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("A1"), "A");
}

/* proposed: A: DISABLE then ENABLE by its own pid -> 0, and again by pid 0 -> 0; the swapper is untouched */
TEST(VariantsTest, ProposedLetsANotraceProcessReenableItself) {
  ScenarioRun run(R"(
    variant proposed
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
    A procctl P_PID 0 PROC_TRACE_STATUS = -1
    A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0
  )");
  EXPECT_EQ(run.proc("A").flag2, 0u);
  EXPECT_EQ(swapperFlag2(run), 0u);
}

/* proposed: B (bob) DISABLE on A (alice) -> EPERM; by A's group -> ESRCH (no member it may act on) */
TEST(VariantsTest, ProposedRefusesAnotherUsersProcess) {
  ScenarioRun run(R"(
    variant proposed
    process A alice
    process B bob
    B procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EPERM
    B procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = ESRCH
    B procctl P_PID A PROC_TRACE_STATUS = 0
  )");
  EXPECT_EQ(run.proc("A").flag2, 0u);
}

/* proposed: C (alice) disables B (alice) -> 0: p_candebug allows the same user, as ptrace would */
TEST(VariantsTest, ProposedLetsTheSameUserDisableAnotherProcess) {
  ScenarioRun run(R"(
    variant proposed
    process B alice
    process C alice
    C procctl P_PID B PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    C procctl P_PID B PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = EPERM
  )");
  EXPECT_EQ(run.proc("B").flag2, unsigned{KSIM_P2_NOTRACE});
}

}  // namespace
}  // namespace model::test
