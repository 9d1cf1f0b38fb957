// The C interface to the kernel variants (ksim/kernel.h, ksim/registry.h):
// panics and hangs end a step as values, the seeded mutants misbehave as
// described, and the 32-bit procctl entry agrees with the native one.
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"
#include "ksim/hooks.h"

namespace model::test {
namespace {

// --- the variant table ---------------------------------------------------------

/* ksim_variant_table: the five designs (rfc-2014 first), the mutants and the guard ablations, all names
 * distinct, every entry set */
TEST(KernelEntryTest, VariantTableHasTheRfcAndItsMutants) {
  std::set<std::string> names;
  unsigned designs = 0;
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    const ksim_variant_entry& e = ksim_variant_table[i];
    ASSERT_NE(e.variant, nullptr);
    EXPECT_TRUE(names.insert(e.variant->name).second) << e.variant->name;
    std::string kind = e.kind;
    EXPECT_TRUE(kind == "design" || kind == "mutant" || kind == "ablation") << kind;
    if (kind == "design") ++designs;
    EXPECT_NE(e.variant->procctl, nullptr);
    EXPECT_NE(e.variant->p_candebug, nullptr);
    EXPECT_NE(e.variant->sigexit, nullptr);
    EXPECT_NE(e.variant->ptrace_trace_me, nullptr);
    EXPECT_GT(std::strlen(e.description), 0u);
  }
  EXPECT_EQ(designs, 5u);
  EXPECT_STREQ(ksim_variant_table[0].variant->name, "rfc-2014");
  for (const char* name :
       {"rfc-2014", "pre-patch", "committed-2015", "freebsd-current", "proposed",
        "bug-candebug-ignores-notrace", "bug-coredump-ignores-notrace", "bug-disable-exec-forgets-notrace",
        "bug-trace-enable-ignores-tracer", "bug-procctl-keeps-tree-lock", "bug-pgrp-walk-never-advances"})
    EXPECT_TRUE(names.count(name)) << name;
  EXPECT_THROW(variantNamed("no-such-variant"), std::invalid_argument);
}

// --- calling the entries directly ------------------------------------------------

// A call by the process in slot td on the world of s, with these tunables (both outlive the call).
ksim_call callOn(State& s, const ksim_sysctls& sysctls, unsigned td) {
  ksim_call c{};
  c.world = &s.world;
  c.sysctls = &sysctls;
  c.td = td;
  return c;
}

/* The procctl entry on a world where A is P_TRACED and P2_NOTRACE: STATUS panics (the KASSERT), end=PANIC */
TEST(KernelEntryTest, ProcctlEntryReportsAFailedKassertAsAPanic) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  State s = k.initial();
  s.proc(KSIM_FIRST_USER_SLOT).flag |= KSIM_P_TRACED;
  s.proc(KSIM_FIRST_USER_SLOT).oppid = KSIM_SLOT_INIT;
  s.proc(KSIM_FIRST_USER_SLOT).flag2 |= KSIM_P2_NOTRACE;
  ksim_sysctls sysctls = k.config().sysctls;
  ksim_call c = callOn(s, sysctls, KSIM_FIRST_USER_SLOT);
  c.uword = 12345;
  rfc2014().procctl(&c, 0, KSIM_P_PID, ksim_slot_pid(KSIM_FIRST_USER_SLOT), kProcTraceStatus,
                    KSIM_UADDR_GOOD);
  EXPECT_EQ(c.end, KSIM_END_PANIC);
  EXPECT_STREQ(c.message, "102 traced but tracing disabled");
  EXPECT_EQ(c.uword, 12345);  // nothing was copied out
}

/* The p_candebug entry: alice on alice's P2_NOTRACE process -> EPERM; on herself -> 0; the world is unchanged
 */
TEST(KernelEntryTest, CandebugEntryRefusesANotraceTargetButNotSelf) {
  Kernel k = makeKernel({{"A", "alice", "A"}, {"B", "alice", "B"}});
  State s = k.initial();
  s.proc(KSIM_FIRST_USER_SLOT).flag2 |= KSIM_P2_NOTRACE;
  const State before = s;
  ksim_sysctls sysctls = k.config().sysctls;
  ksim_call c = callOn(s, sysctls, KSIM_FIRST_USER_SLOT + 1);
  rfc2014().p_candebug(&c, KSIM_FIRST_USER_SLOT);
  EXPECT_EQ(c.end, KSIM_END_RETURNED);
  EXPECT_EQ(c.error, KSIM_EPERM);
  c.td = KSIM_FIRST_USER_SLOT;
  rfc2014().p_candebug(&c, KSIM_FIRST_USER_SLOT);
  EXPECT_EQ(c.end, KSIM_END_RETURNED);
  EXPECT_EQ(c.error, 0);
  EXPECT_EQ(s, before);
}

/* The permission checks asked again on one world (the runtime remembers their answers): root's p_candebug
 * on alice's P2_NOTRACE process is EPERM in rfc-2014 and 0 in committed-2015 (PRIV_DEBUG_DENIED), asked
 * in turn; once alice enables tracing again rfc-2014 answers 0, every time; alice may SIGKILL but not
 * SIGQUIT her own set-id process (PRIV_SIGNAL_SUGID); and a remembered answer reports the site the check
 * passed, as running it did */
TEST(KernelEntryTest, PermissionChecksAskedAgainGiveEachVariantsAnswerOnTheWorldAsItIs) {
  Kernel k = makeKernel({{"R", "root", "R"}, {"A", "alice", "A"}, {"B", "alice", "B"}});
  State s = k.initial();
  const unsigned root = KSIM_FIRST_USER_SLOT, alice = KSIM_FIRST_USER_SLOT + 1, setid = KSIM_FIRST_USER_SLOT + 2;
  s.proc(alice).flag2 |= KSIM_P2_NOTRACE;
  ksim_sysctls sysctls = k.config().sysctls;
  ksim_call c = callOn(s, sysctls, root);
  const ksim_variant& committed = variantNamed("committed-2015");
  for (int round = 0; round < 3; ++round) {
    rfc2014().p_candebug(&c, alice);
    EXPECT_EQ(c.end, KSIM_END_RETURNED) << "round " << round;
    EXPECT_EQ(c.error, KSIM_EPERM) << "round " << round;
    committed.p_candebug(&c, alice);
    EXPECT_EQ(c.end, KSIM_END_RETURNED) << "round " << round;
    EXPECT_EQ(c.error, 0) << "round " << round;
  }
  s.proc(alice).flag2 &= ~static_cast<std::uint32_t>(KSIM_P2_NOTRACE);
  for (int round = 0; round < 2; ++round) {
    rfc2014().p_candebug(&c, alice);
    EXPECT_EQ(c.error, 0) << "round " << round;
  }

  // p_cansignal: root may signal alice's process, alice may not signal root's, whatever was asked before.
  for (int round = 0; round < 2; ++round) {
    c.td = root;
    rfc2014().p_cansignal(&c, alice, 9);
    EXPECT_EQ(c.error, 0) << "round " << round;
    c.td = alice;
    rfc2014().p_cansignal(&c, root, 9);
    EXPECT_EQ(c.error, KSIM_EPERM) << "round " << round;
  }
  s.proc(setid).flag |= KSIM_P_SUGID;
  c.td = alice;
  for (int round = 0; round < 2; ++round) {
    rfc2014().p_cansignal(&c, setid, 9);
    EXPECT_EQ(c.error, 0) << "SIGKILL, round " << round;
    rfc2014().p_cansignal(&c, setid, 3);
    EXPECT_EQ(c.error, KSIM_EPERM) << "SIGQUIT, round " << round;
  }

  ksim_site_reset();
  c.td = alice;
  rfc2014().p_cansee(&c, root);
  const char* ranFile = ksim_site_file();
  const int ranLine = ksim_site_line();
  ksim_site_reset();
  rfc2014().p_cansee(&c, root);
  EXPECT_EQ(ksim_site_file(), ranFile);
  EXPECT_EQ(ksim_site_line(), ranLine);
}

/* The procctl entry with a good pointer copies the status out into uword */
TEST(KernelEntryTest, ProcctlEntryCopiesTheStatusOut) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  State s = k.initial();
  s.proc(KSIM_FIRST_USER_SLOT).flag2 |= KSIM_P2_NOTRACE;
  ksim_sysctls sysctls = k.config().sysctls;
  ksim_call c = callOn(s, sysctls, KSIM_FIRST_USER_SLOT);
  for (int abi32 : {0, 1}) {
    c.uword = 7;
    rfc2014().procctl(&c, abi32, KSIM_P_PID, ksim_slot_pid(KSIM_FIRST_USER_SLOT), kProcTraceStatus,
                      KSIM_UADDR_GOOD);
    EXPECT_EQ(c.end, KSIM_END_RETURNED) << "abi32=" << abi32;
    EXPECT_EQ(c.error, 0) << "abi32=" << abi32;
    EXPECT_EQ(c.uword, -1) << "abi32=" << abi32;
  }
}

// --- panics through the model -------------------------------------------------------

/* The same through the 32-bit entry: procctl32(P_PID A, STATUS) -> panic with the same message */
TEST(KernelEntryTest, TraceStatusKassertPanicsThroughThe32BitEntryToo) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl32 P_PID A PROC_TRACE_STATUS = panic
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().message, "102 traced but tracing disabled");
}

/* A: procctl(P_PID A, command 1 = PROC_SPROTECT, 0) -> panic "ksim: not modelled: PROC_SPROTECT" */
TEST(KernelEntryTest, UnmodelledProcctlRequestPanicsRatherThanInventingAResult) {
  ScenarioRun run(R"(
    process A alice
    A procctl P_PID A 1 0 = panic
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().message, "ksim: not modelled: PROC_SPROTECT");
}

// --- the seeded mutants -------------------------------------------------------------------

/* bug-procctl-keeps-tree-lock: A: procctl(P_PID A, DISABLE) -> panic "userret: Returning with 1 locks held"
 */
TEST(KernelEntryTest, KeepsTreeLockMutantPanicsOnReturnToUserMode) {
  ScenarioRun run(R"(
    variant bug-procctl-keeps-tree-lock
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = panic
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.last().outcome, Outcome::Panic);
  EXPECT_EQ(run.last().message, "userret: Returning with 1 locks held");
}

/* bug-procctl-keeps-tree-lock: STATUS (no tree lock) and EFAULT (before the lock) do not panic; ESRCH does */
TEST(KernelEntryTest, KeepsTreeLockMutantIsHarmlessWithoutTheTreeLock) {
  ScenarioRun run(R"(
    variant bug-procctl-keeps-tree-lock
    process A alice
    A procctl P_PID A PROC_TRACE_STATUS = 0
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR = EFAULT
    A procctl P_PID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = panic
  )");
}

/* Every mutant agrees with rfc-2014 where no seeded change is reached: STATUS, fork, a core dump (the other
 * designs differ from it by design: VariantsTest.cpp) */
TEST(KernelEntryTest, EveryVariantAgreesWhereNoSeededChangeIsReached) {
  const std::string text = R"(
    process A alice
    A procctl P_PID A PROC_TRACE_STATUS = 0
    A fork A1 = sleeping
    A fork-finish = A1
    A1 kill A1 SIGQUIT = 0
  )";
  ScenarioRun reference(text);
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    if (std::string(ksim_variant_table[i].kind) != "mutant") continue;
    const ksim_variant& v = *ksim_variant_table[i].variant;
    SCOPED_TRACE(v.name);
    ScenarioRun run(text, v);
    EXPECT_EQ(run.state(), reference.state());
  }
}

// --- the 32-bit entry --------------------------------------------------------------------------

struct Abi32Case {
  const char* name;
  const char* setup;  ///< config lines and steps before the call
  const char* call;   ///< the procctl call, without the keyword: "A P_PID A PROC_TRACE_STATUS"
};

std::ostream& operator<<(std::ostream& os, const Abi32Case& c) { return os << c.name; }

class Abi32Test : public ::testing::TestWithParam<Abi32Case> {};

/* For each case: the setup, then `procctl ...` and, separately, `procctl32 ...`: same result, same state */
TEST_P(Abi32Test, The32BitEntryGivesTheSameResultAsTheNativeOne) {
  const Abi32Case& c = GetParam();
  std::string call(c.call);
  std::string actor = call.substr(0, call.find(' '));
  std::string args = call.substr(call.find(' '));
  ScenarioRun native(std::string(c.setup) + "\n" + actor + " procctl" + args + "\n");
  ScenarioRun compat(std::string(c.setup) + "\n" + actor + " procctl32" + args + "\n");
  ASSERT_TRUE(native.ok());
  ASSERT_TRUE(compat.ok());
  EXPECT_EQ(compat.last().outcome, native.last().outcome);
  EXPECT_EQ(errnoName(compat.last().error), errnoName(native.last().error));
  EXPECT_EQ(compat.last().value, native.last().value);
  EXPECT_EQ(compat.last().message, native.last().message);
  EXPECT_EQ(compat.state(), native.state());
}

constexpr const char* kOne = "process A alice";
constexpr const char* kTwo = "process A alice\nprocess B alice";

INSTANTIATE_TEST_SUITE_P(
    Cases, Abi32Test,
    ::testing::Values(
        Abi32Case{"DisableSelf", kOne, "A P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"DisableExecSelf", kOne, "A P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC"},
        Abi32Case{"EnableSelf",
                  "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED",
                  "A P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED"},
        Abi32Case{"InvalidValue", kOne, "A P_PID A PROC_TRACE_ENABLE 0"},
        Abi32Case{"EnableOther", kTwo, "B P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED"},
        Abi32Case{"DowngradeOther",
                  "process A alice\nprocess B alice\n"
                  "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC",
                  "B P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"TracedTarget", "process A alice\nprocess B alice\nB ptrace PT_ATTACH A",
                  "B P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"KtracedTarget", "process A alice\nA ktrace set A", "A P_PID A PROC_TRACE_ENABLE 5"},
        Abi32Case{"MissingPid", kOne, "A P_PID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"PidZero", kOne, "A P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"BadAddressEnable", kOne, "A P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR"},
        Abi32Case{"BadAddressStatus", kOne, "A P_PID A PROC_TRACE_STATUS BADADDR"},
        Abi32Case{"ProcessGroup", "process A alice\nprocess B alice group A",
                  "A P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"MissingGroup", kOne, "A P_PGID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"StatusByGroup", kOne, "A P_PGID A PROC_TRACE_STATUS"},
        Abi32Case{"StatusEnabled", kOne, "A P_PID A PROC_TRACE_STATUS"},
        Abi32Case{"StatusDisabled",
                  "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED",
                  "A P_PID A PROC_TRACE_STATUS"},
        Abi32Case{"StatusTraced", "process A alice\nprocess B alice\nB ptrace PT_ATTACH A",
                  "B P_PID A PROC_TRACE_STATUS"},
        Abi32Case{"StatusPanics",
                  "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED\n"
                  "A ptrace PT_TRACE_ME",
                  "A P_PID A PROC_TRACE_STATUS"},
        Abi32Case{"UnknownCommand", kOne, "A P_PID A 9 0"},
        Abi32Case{"OtherUser", "process A alice\nprocess B bob",
                  "B P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"},
        Abi32Case{"Invisible", "process A alice\nprocess B bob\nsysctl security.bsd.see_other_uids=0",
                  "B P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED"}),
    [](const ::testing::TestParamInfo<Abi32Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace model::test
