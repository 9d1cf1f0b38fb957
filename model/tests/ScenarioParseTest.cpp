// Scenario files (model/Scenario.hpp): parse errors name FILE:LINE on one
// line, every call kind prints back as it was written, actions survive the
// trip to text and back.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

// --- malformed scenarios -------------------------------------------------------------

struct BadScenario {
  const char* name;
  const char* text;
  int line;            ///< the line the error must name
  const char* reason;  ///< a part of the reason
};

std::ostream& operator<<(std::ostream& os, const BadScenario& b) { return os << b.name; }

class ScenarioErrorTest : public ::testing::TestWithParam<BadScenario> {};

/* parse(text) throws ScenarioError "bad.scn:LINE: reason", one line */
TEST_P(ScenarioErrorTest, MalformedScenarioThrowsAOneLineErrorNamingFileAndLine) {
  const BadScenario& b = GetParam();
  try {
    parse(b.text, "bad.scn");
    FAIL() << "no ScenarioError for:\n" << b.text;
  } catch (const ScenarioError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("bad.scn:" + std::to_string(b.line) + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(b.reason), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, ScenarioErrorTest,
    ::testing::Values(
        BadScenario{"UnknownCall", "process A alice\nA frobnicate", 2, "unknown call 'frobnicate'"},
        BadScenario{"UnknownResultWord", "process A alice\nA fork = 12abc", 2, "bad result '12abc'"},
        BadScenario{"ResultWithHyphen", "process A alice\nA fork = E-PERM", 2, "bad result 'E-PERM'"},
        BadScenario{"TwoResults", "process A alice\nA fork = A1 A2", 2, "expected one result after '='"},
        BadScenario{"EmptyResult", "process A alice\nA fork =", 2, "expected one result after '='"},
        BadScenario{"MissingValue", "process A alice\n\nA procctl P_PID A PROC_TRACE_ENABLE", 3,
                    "missing value for PROC_TRACE_ENABLE"},
        BadScenario{"MissingValueBeforeBadaddr",
                    "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE BADADDR", 2,
                    "missing value for PROC_TRACE_ENABLE"},
        BadScenario{"UnknownValue",
                    "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_MAYBE", 2,
                    "bad value 'PROC_TRACE_SET_MAYBE'"},
        BadScenario{"ValueTooLarge", "process A alice\nA procctl P_PID A PROC_TRACE_ENABLE 300", 2,
                    "bad value '300'"},
        BadScenario{"BadIdtype", "process A alice\nA procctl P_FOO A PROC_TRACE_STATUS", 2,
                    "unknown idtype 'P_FOO'"},
        BadScenario{"UnknownCommand", "process A alice\nA procctl P_PID A PROC_TRACE_FOO 1", 2,
                    "unknown procctl command 'PROC_TRACE_FOO'"},
        BadScenario{"TrailingWord", "process A alice\nA procctl P_PID A PROC_TRACE_STATUS EXTRA", 2,
                    "unexpected 'EXTRA'"},
        BadScenario{"TooFewProcctlArguments", "process A alice\nA procctl P_PID A", 2, "expected: procctl"},
        BadScenario{"ProcessAfterStep", "process A alice\nA fork\nprocess B alice", 3,
                    "'process' must come before the first step"},
        BadScenario{"MaxprocAfterStep", "process A alice\nA fork\n# comment\nmaxproc 3", 4,
                    "'maxproc' must come before the first step"},
        BadScenario{"SysctlAfterStep", "process A alice\nA exit\nsysctl kern.coredump=0", 3,
                    "'sysctl' must come before the first step"},
        BadScenario{"UnknownPtraceRequest", "process A alice\nA ptrace PT_PEEK A", 2,
                    "unknown ptrace request 'PT_PEEK'"},
        BadScenario{"PtraceWithoutTarget", "process A alice\nA ptrace PT_ATTACH", 2, "expected: ptrace"},
        BadScenario{"TraceMeWithTarget", "process A alice\nA ptrace PT_TRACE_ME A", 2, "expected: ptrace"},
        BadScenario{"ContinueWithBadSignal", "process A alice\nA ptrace PT_CONTINUE A SIGHUP", 2,
                    "PT_CONTINUE passes 0 or a signal: SIGINT, SIGQUIT, SIGTRAP, SIGABRT, SIGKILL, SIGTERM, SIGSTOP, "
                    "SIGCONT, SIGUSR1, SIGUSR2"},
        BadScenario{"BadTarget", "process A alice\nA ptrace PT_ATTACH a-b", 2, "bad target 'a-b'"},
        BadScenario{"KillWithUnknownSignal", "process A alice\nA kill A SIGHUP", 2,
                    "kill sends one of SIGINT, SIGQUIT, SIGTRAP, SIGABRT, SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGUSR1, "
                    "SIGUSR2"},
        BadScenario{"ExecWithBadImage", "process A alice\nA exec setgid", 2,
                    "exec takes no argument or setuid-root"},
        BadScenario{"ExitWithABadCode", "process A alice\nA exit now", 2, "bad exit code 'now': 0 to 255"},
        BadScenario{"ExitCodeTooLarge", "process A alice\nA exit 256", 2, "bad exit code '256'"},
        BadScenario{"ExitWithTwoCodes", "process A alice\nA exit 1 2", 2, "expected: exit [CODE]"},
        BadScenario{"WaitStatusOnAnotherCall", "process A alice\nA exit = A exited 0", 2,
                    "only wait's result has a status"},
        BadScenario{"BadWaitStatus", "process A alice\nA wait = A exploded 0", 2,
                    "bad wait status 'exploded 0'"},
        BadScenario{"UnknownKtraceOp", "process A alice\nA ktrace frob A", 2,
                    "unknown ktrace operation 'frob'"},
        BadScenario{"BadActorName", "process A alice\n1A fork", 2, "bad process name '1A'"},
        BadScenario{"BadChildName", "process A alice\nA fork 9x", 2, "bad child name '9x'"},
        BadScenario{"StepWithoutCall", "process A alice\nA", 2, "expected: PROCESS CALL"},
        BadScenario{"BadMaxproc", "process A alice\nmaxproc zero", 2, "expected: maxproc N"},
        BadScenario{"UnknownSysctl", "sysctl kern.foo=1\nprocess A alice", 1, "unknown sysctl 'kern.foo'"},
        BadScenario{"SysctlWithoutValue", "process A alice\nsysctl kern.coredump", 2,
                    "expected: sysctl NAME=NUMBER"},
        BadScenario{"UnknownFamily", "process A alice\nomit fishing", 2, "unknown action family 'fishing'"},
        BadScenario{"ShortProcessLine", "process A", 1, "expected: process NAME USER [group LEADER]"},
        BadScenario{"VariantWithoutName", "variant\nprocess A alice", 1, "expected: variant NAME"},
        BadScenario{"UnknownKernel", "process A alice\nkernel debug", 2,
                    "expected: kernel invariants|production"},
        BadScenario{"KernelWithoutName", "kernel\nprocess A alice", 1,
                    "expected: kernel invariants|production"},
        BadScenario{"KernelAfterStep", "process A alice\nA exit\nkernel production", 3,
                    "'kernel' must come before the first step"},
        BadScenario{"SigactionOfSigkill", "process A alice\nA sigaction SIGKILL handler", 2,
                    "bad signal 'SIGKILL': sigaction takes SIGINT, SIGTERM, SIGUSR1, SIGUSR2"},
        BadScenario{"UnknownSigaction", "process A alice\nA sigaction SIGUSR1 SIG_HOLD", 2,
                    "bad action 'SIG_HOLD': SIG_DFL, SIG_IGN or handler"},
        BadScenario{"SigactionWithoutAction", "process A alice\nA sigaction SIGUSR1", 2,
                    "expected: sigaction SIGNAL SIG_DFL|SIG_IGN|handler"},
        BadScenario{"SigprocmaskSetmask", "process A alice\nA sigprocmask SIG_SETMASK SIGUSR1", 2,
                    "bad sigprocmask 'SIG_SETMASK': SIG_BLOCK or SIG_UNBLOCK"},
        BadScenario{"SigprocmaskOfSigstop", "process A alice\nA sigprocmask SIG_BLOCK SIGSTOP", 2,
                    "bad signal 'SIGSTOP': sigprocmask takes"},
        BadScenario{"BadSiginfoSigno", "process A alice\nA ptrace PT_LWPINFO A = PL_FLAG_SI si_signo SIGFOO", 2,
                    "bad si_signo 'SIGFOO'"},
        BadScenario{"SiginfoOnAnotherResult", "process A alice\nA getpid = A si_signo SIGUSR1", 2,
                    "bad wait status 'si_signo SIGUSR1'"}),
    [](const ::testing::TestParamInfo<BadScenario>& info) { return std::string(info.param.name); });

/* "process A mallory" -> ScenarioError "bad.scn:1: unknown user 'mallory' ..." */
TEST(ScenarioParseTest, UnknownUserErrorNamesItsLine) {
  try {
    parse("process A mallory\nA fork\n", "bad.scn");
    FAIL() << "no ScenarioError for an unknown user";
  } catch (const ScenarioError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find("unknown user 'mallory'"), std::string::npos) << what;
    EXPECT_EQ(what.rfind("bad.scn:1: ", 0), 0u) << what;
  }
}

/* "process B alice group Z" (no such leader) and "maxproc 9" name their own lines */
TEST(ScenarioParseTest, CrossLineConfigurationErrorsNameTheirLine) {
  auto errorOf = [](const std::string& text) -> std::string {
    try {
      parse(text, "bad.scn");
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(
      errorOf("process A alice\nprocess B alice group Z\n").rfind("bad.scn:2: process B joins group 'Z'", 0),
      0u);
  EXPECT_EQ(errorOf("process A alice\nmaxproc 9\n").rfind("bad.scn:2: maxproc must be between", 0), 0u);
}

// --- lines that print back as written ------------------------------------------------------------

class RoundTripTest : public ::testing::TestWithParam<const char*> {};

/* formatStep(parse(line)) + formatExpectation == line */
TEST_P(RoundTripTest, StepLinePrintsBackAsWritten) {
  std::string line = GetParam();
  Scenario sc = parse("process A alice\n" + line + "\n");
  ASSERT_EQ(sc.steps.size(), 1u);
  EXPECT_EQ(formatStep(sc.steps[0]) + formatExpectation(sc.steps[0].expect), line);
}

const char* const kRoundTripLines[] = {
    "A fork",
    "A fork A1 = sleeping",
    "A vfork A1",
    "A fork-finish = A1",
    "A exec = sleeping",
    "A exec setuid-root",
    "A exec-finish = 0",
    "A exit",
    "A wait = ECHILD",
    "A wait A1 = A1",
    "A ptrace PT_TRACE_ME = 0",
    "A ptrace PT_ATTACH B = EPERM",
    "A ptrace PT_DETACH B = EBUSY",
    "A ptrace PT_CONTINUE B",
    "A ptrace PT_CONTINUE B SIGQUIT = 0",
    "A ktrace set B = 0",
    "A ktrace set-inherit B",
    "A ktrace clear 103 = ESRCH",
    "A kill B SIGQUIT = EPERM",
    "A take-signal",
    "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0",
    "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = EBUSY",
    "A procctl P_PID B PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = EPERM",
    "A procctl P_PID 99 PROC_TRACE_ENABLE 0 = EFAULT",
    "A procctl P_PID 0 PROC_TRACE_ENABLE -3 = EINVAL",
    "A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED BADADDR = EFAULT",
    "A procctl P_PID A PROC_TRACE_STATUS = -1",
    "A procctl P_PID A PROC_TRACE_STATUS BADADDR = EFAULT",
    "A procctl P_PID A PROC_TRACE_STATUS = B",
    "A procctl P_PID A PROC_TRACE_STATUS = panic",
    "A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = hang",
    "A procctl P_PID A 9 5 = EINVAL",
    "A procctl32 P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
    "A procctl32 P_PID init PROC_TRACE_STATUS = 0",
    "A procctl32 P_PGID 99 PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED BADADDR",
};

INSTANTIATE_TEST_SUITE_P(Lines, RoundTripTest, ::testing::ValuesIn(kRoundTripLines));

// CallTableTest prints and parses back every call of Syscall.def in every
// form of its grammar; these lines pin particular results and arguments.

/* Comments, blank lines and indentation are ignored; line numbers count every line */
TEST(ScenarioParseTest, CommentsAndBlankLinesAreIgnored) {
  Scenario sc = parse(R"(# a comment
  variant rfc-2014   # trailing comment
  process A alice

  process B bob group A
  maxproc 3
  omit ktrace
  sysctl kern.sugid_coredump=1
  A fork A1 = A1  # the child
)",
                      "x.scn");
  EXPECT_EQ(sc.fileName, "x.scn");
  ASSERT_TRUE(sc.variant.has_value());
  EXPECT_EQ(*sc.variant, "rfc-2014");
  ASSERT_EQ(sc.config.processes.size(), 2u);
  EXPECT_EQ(sc.config.processes[1].name, "B");
  EXPECT_EQ(sc.config.processes[1].user, "bob");
  EXPECT_EQ(sc.config.processes[1].group, "A");
  EXPECT_EQ(sc.config.maxUserProcs, 3u);
  EXPECT_TRUE(sc.config.omits(CallFamily::Ktrace));
  EXPECT_FALSE(sc.config.omits(CallFamily::Fork));
  EXPECT_EQ(sc.config.sysctls.kern_sugid_coredump, 1);
  ASSERT_EQ(sc.steps.size(), 1u);
  EXPECT_EQ(sc.steps[0].line, 9);
  EXPECT_EQ(sc.steps[0].child, "A1");
}

/* A scenario without configuration lines gets the default world (A, alice) with room for kMaxUserProcs */
TEST(ScenarioParseTest, ScenarioWithoutProcessesUsesTheDefaultWorld) {
  Scenario sc = parse("A fork\n");
  ASSERT_EQ(sc.config.processes.size(), 1u);
  EXPECT_EQ(sc.config.processes[0].name, Config::defaults().processes[0].name);
  EXPECT_EQ(sc.config.processes[0].user, "alice");
  EXPECT_EQ(sc.config.maxUserProcs, kMaxUserProcs);
}

/* formatConfig(config) parses back to the same configuration */
TEST(ScenarioParseTest, FormatConfigParsesBack) {
  Config c = makeConfig({{"A", "alice", "A"}, {"B", "bob", "A"}, {"R", "root", "R"}}, 5);
  c.omitted =
      model::familyBit(CallFamily::Vfork) | model::familyBit(CallFamily::Kill);
  c.sysctls.kern_coredump = 0;
  c.sysctls.securelevel = 1;
  std::string text;
  for (const std::string& line : formatConfig(c, "bug-coredump-ignores-notrace")) text += line + "\n";
  Scenario sc = parse(text);
  EXPECT_EQ(sc.variant.value_or(""), "bug-coredump-ignores-notrace");
  ASSERT_EQ(sc.config.processes.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sc.config.processes[i].name, c.processes[i].name);
    EXPECT_EQ(sc.config.processes[i].user, c.processes[i].user);
    EXPECT_EQ(sc.config.processes[i].group, c.processes[i].group);
  }
  EXPECT_EQ(sc.config.maxUserProcs, c.maxUserProcs);
  EXPECT_EQ(sc.config.omitted, c.omitted);
  EXPECT_EQ(sc.config.sysctlLines(), c.sysctlLines());
  EXPECT_EQ(sc.config.kernel, KernelBuild::Invariants);
  EXPECT_EQ(text.find("kernel"), std::string::npos) << "the default kernel is written as no line";
  // A production kernel's line, and it parses back.
  c.kernel = KernelBuild::Production;
  text.clear();
  for (const std::string& line : formatConfig(c, "rfc-2014")) text += line + "\n";
  EXPECT_NE(text.find("\nkernel production\n"), std::string::npos) << text;
  EXPECT_EQ(parse(text).config.kernel, KernelBuild::Production);
}

// --- from text to actions and back --------------------------------------------------------------

/* Names resolve to slots: "0" the swapper, "1" and "init" init, "99" the missing pid, "102" slot 2 */
TEST(ScenarioParseTest, TargetsResolveToSlots) {
  Kernel k = makeKernel({{"A", "alice", "A"}, {"B", "alice", "B"}});
  State s = k.initial();
  ProcessNames names(k.initialNames());
  auto targetOf = [&](const std::string& target) {
    Scenario sc =
        parse("process A alice\nprocess B alice\nA procctl P_PID " + target + " PROC_TRACE_STATUS\n");
    return resolveStep(sc.steps.at(0), names, s, "t.scn").target;
  };
  EXPECT_EQ(targetOf("0"), KSIM_SLOT_SWAPPER);
  EXPECT_EQ(targetOf("1"), KSIM_SLOT_INIT);
  EXPECT_EQ(targetOf("init"), KSIM_SLOT_INIT);
  EXPECT_EQ(targetOf("99"), kTargetMissing);
  EXPECT_EQ(targetOf("102"), KSIM_FIRST_USER_SLOT);
  EXPECT_EQ(targetOf("B"), KSIM_FIRST_USER_SLOT + 1);
}

/* A step that names no live process, or a pid the model does not have, throws "FILE:LINE: ..." */
TEST(ScenarioParseTest, UnresolvableNamesThrowWithFileAndLine) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  State s = k.initial();
  ProcessNames names(k.initialNames());
  Scenario sc = parse("process A alice\nA ptrace PT_ATTACH Z\nZ fork\nA kill 50 SIGQUIT\n");
  ASSERT_EQ(sc.steps.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    try {
      resolveStep(sc.steps[i], names, s, "t.scn");
      ADD_FAILURE() << "step " << i << " resolved";
    } catch (const ScenarioError& e) {
      std::string what = e.what();
      EXPECT_EQ(what.rfind("t.scn:" + std::to_string(sc.steps[i].line) + ": ", 0), 0u) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
}

/* Every action the explorer offers in a busy state prints as a step that parses and resolves back to it */
TEST(ScenarioParseTest, EveryEnabledActionSurvivesTextAndBack) {
  ScenarioRun run(R"(
    process A alice
    process B bob group A
    maxproc 4
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
    B ptrace PT_TRACE_ME = 0
  )");
  ASSERT_TRUE(run.ok());
  std::vector<Action> actions;
  run.kernel().enabledActions(run.state(), actions);
  ASSERT_GT(actions.size(), 20u);
  for (const Action& a : actions) {
    StepResult r = run.kernel().step(run.state(), a);
    std::string child = (a.call == Call::Fork || a.call == Call::Vfork) && r.value ? "child" : "";
    ScenarioStep st = stepFromAction(a, r, run.names(), child);
    std::string line = formatStep(st) + formatExpectation(st.expect);
    SCOPED_TRACE(line);
    Scenario back = parse("process A alice\n" + line + "\n");
    ASSERT_EQ(back.steps.size(), 1u);
    EXPECT_EQ(resolveStep(back.steps[0], run.names(), run.state(), "t.scn"), a);
    EXPECT_EQ(formatStep(back.steps[0]) + formatExpectation(back.steps[0].expect), line);
  }
}

/* --process's NAME:USER[:GROUP]: the group defaults to the name; one part or four are refused */
TEST(ProcessSpecTest, NameUserAndOptionalGroup) {
  const auto two = parseProcessSpec("A:alice");
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->name, "A");
  EXPECT_EQ(two->user, "alice");
  EXPECT_EQ(two->group, "A");
  const auto three = parseProcessSpec("B:alice:A");
  ASSERT_TRUE(three.has_value());
  EXPECT_EQ(three->group, "A");
  EXPECT_FALSE(parseProcessSpec("A").has_value());
  EXPECT_FALSE(parseProcessSpec("A:alice:A:x").has_value());
}

}  // namespace
}  // namespace model::test

namespace {

// The tunables in which two worlds differ, as "name=value" of the second.
std::vector<std::string> changedSysctls(const model::Config& from, const model::Config& to) {
  std::vector<std::string> a = from.sysctlLines(), b = to.sysctlLines(), out;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) out.push_back(b[i]);
  return out;
}

}  // namespace

/* Each variation sets one tunable against FreeBSD's default, in sysctlLines() order, and changes nothing
 * else; one the world already has set that way is set back to the default instead */
TEST(SysctlVariationTest, OneTunableTheOtherWayAtATime) {
  model::Config world = model::Config::defaults();
  world.processes = {{"R", "root", "R"}, {"A", "alice", "A"}};
  const auto variations = world.sysctlVariations();
  EXPECT_EQ(model::sysctlSettings(variations),
            (std::vector<std::string>{"kern.coredump=0", "kern.sugid_coredump=1", "kern.securelevel=1",
                                      "security.bsd.see_other_uids=0", "security.bsd.see_other_gids=0",
                                      "security.bsd.unprivileged_proc_debug=0"}));
  for (const auto& v : variations) {
    SCOPED_TRACE(v.setting);
    EXPECT_EQ(changedSysctls(world, v.config), std::vector<std::string>{v.setting});
    EXPECT_EQ(v.config.processes.size(), world.processes.size());
    EXPECT_EQ(v.config.omitted, world.omitted);
    EXPECT_EQ(v.config.maxUserProcs, world.maxUserProcs);
  }
  ASSERT_TRUE(world.setSysctl("kern.coredump", 0));
  ASSERT_TRUE(world.setSysctl("kern.securelevel", 2));
  EXPECT_EQ(model::sysctlSettings(world.sysctlVariations()),
            (std::vector<std::string>{"kern.coredump=1", "kern.sugid_coredump=1", "kern.securelevel=1",
                                      "security.bsd.see_other_uids=0", "security.bsd.see_other_gids=0",
                                      "security.bsd.unprivileged_proc_debug=0"}));
}
