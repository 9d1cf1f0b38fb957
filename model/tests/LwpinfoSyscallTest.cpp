// PT_LWPINFO's pl_syscall_code and pl_syscall_narg at system-call stops,
// and PT_LWP_EVENTS with PTRACE_LWP (kernel/PROVENANCE.md section 3.9).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* The Syscall.def column: FreeBSD's numbers and argument counts of the calls a process makes, none for the
 * kernel's continuations */
TEST(LwpinfoSyscallTest, CallsCarryFreebsdSyscallNumbers) {
  EXPECT_EQ(callSpec(Call::Fork).syscall.code, 2);
  EXPECT_EQ(callSpec(Call::Vfork).syscall.code, 66);
  EXPECT_EQ(callSpec(Call::Getpid).syscall.code, 20);
  EXPECT_EQ(callSpec(Call::Kill).syscall.narg, 2);
  EXPECT_EQ(callSpec(Call::Wait).syscall.name, "wait4");
  EXPECT_EQ(callSpec(Call::ForkFinish).syscall.code, -1);
  EXPECT_EQ(callSpec(Call::TakeSignal).syscall.code, -1);
  EXPECT_EQ(findFreebsdSyscall(std::string_view("execve"))->code, 59);
  EXPECT_EQ(findFreebsdSyscall(544)->name, "procctl");
  EXPECT_FALSE(findFreebsdSyscall(433).has_value());
}

/* getpid's entry and exit stops both name getpid, with no argument */
TEST(LwpinfoSyscallTest, EntryAndExitStopsNameTheCall) {
  ScenarioRun run(attachedToday("D ptrace PT_SYSCALL P = 0\n"));
  run.then("P getpid = sleeping");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCE syscall getpid narg 0");
  ASSERT_TRUE(run.last().lwpSyscall.has_value());
  EXPECT_EQ(run.last().lwpSyscall->code, 20);
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("P getpid = P");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall getpid narg 0");
  // A number is the same expectation.
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall 20");
  run.then("D ptrace PT_CONTINUE P = 0");
  // Resumed from its exit stop, nothing keeps the call.
  EXPECT_EQ(run.proc("P").pc_arg, KSIM_NOSLOT);
  EXPECT_TRUE(run.ok());
}

/* An exit stop without an entry stop (PT_TO_SCX) names the call that returned: kill, two arguments (its
 * signal to itself waits behind the stop); getppid, none */
TEST(LwpinfoSyscallTest, ExitStopNamesTheCallThatReturned) {
  ScenarioRun run(attachedToday("D ptrace PT_TO_SCX P = 0\n"));
  run.then("P getppid = init");  // its real parent, today
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall getppid narg 0");
  run.then("D ptrace PT_CONTINUE P = 0");
  run.then("P kill P SIGCONT = 0");
  run.then("P take-signal = 0");
  run.then("D wait P = P stopped SIGTRAP");
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall kill narg 2");
  EXPECT_EQ(run.proc("P").pc_arg, static_cast<std::uint8_t>(Call::Kill));
  EXPECT_TRUE(run.ok());
}

/* A stop that is not at a system call's entry or exit reports no call (FreeBSD: 0 and 0), which "syscall 0"
 * meets and "syscall getpid" does not */
TEST(LwpinfoSyscallTest, SignalStopReportsNoCall) {
  ScenarioRun run(attachedToday("D ptrace PT_LWPINFO P = PL_FLAG_SI syscall 0 narg 0\n"));
  EXPECT_TRUE(run.ok());
  EXPECT_FALSE(run.last().lwpSyscall.has_value());
  Scenario wrong = parse(attachedToday("D ptrace PT_LWPINFO P = PL_FLAG_SI syscall getpid\n"));
  Kernel kernel(variantNamed("freebsd-current"), wrong.config);
  Executor exec(kernel);
  std::optional<std::string> stop;
  for (const ScenarioStep& st : wrong.steps)
    if ((stop = exec.play(st, "wrong", [](const StepReport&) {}))) break;
  ASSERT_TRUE(stop.has_value());
  EXPECT_NE(stop->find("expected PL_FLAG_SI syscall getpid"), std::string::npos) << *stop;
}

/* The 2014 ptrace_lwpinfo has no pl_syscall_code: an entry stop reports no call */
TEST(LwpinfoSyscallTest, TheDesignsOf2014ReportNoCall) {
  ScenarioRun run(std::string(kAttached) +
                  "D ptrace PT_SYSCALL P = 0\nP getpid = sleeping\n"
                  "D wait P = P stopped SIGTRAP\nD ptrace PT_LWPINFO P = PL_FLAG_SCE\n");
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run.last().lwpSyscall.has_value());
}

/* procctl32's argument count is not modelled: the call is named, its narg is not reported */
TEST(LwpinfoSyscallTest, Procctl32ReportsNoArgumentCount) {
  ScenarioRun run(
      attachedToday("D ptrace PT_TO_SCE P = 0\nP procctl32 P_PID P PROC_TRACE_STATUS = sleeping\n"
            "D wait P = P stopped SIGTRAP\nD ptrace PT_LWPINFO P = PL_FLAG_SCE syscall procctl\n"));
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run.last().lwpSyscall.has_value());
  EXPECT_EQ(run.last().lwpSyscall->narg, -1);
}

/* A followed fork: both halves name fork; a followed vfork: both name vfork (the child by its P_PPWAIT) */
TEST(LwpinfoSyscallTest, ForkStopsNameForkOrVfork) {
  for (const char* call : {"fork", "vfork"}) {
    SCOPED_TRACE(call);
    std::string c(call);
    ScenarioRun run(attachedToday("D ptrace PT_FOLLOW_FORK P 1 = 0\nD ptrace PT_CONTINUE P = 0\nP " + c +
                          " X = sleeping\nP fork-finish = X\nX take-signal = 0\nD wait = X stopped SIGSTOP\n"
                          "D ptrace PT_LWPINFO X = PL_FLAG_SCX|PL_FLAG_CHILD syscall " +
                          c + " narg 0\nP take-signal = 0\nD wait P = P stopped SIGTRAP\n"));
    ASSERT_TRUE(run.ok());
    run.then("D ptrace PT_LWPINFO P = " +
             std::string(c == "vfork" ? "PL_FLAG_SCX|PL_FLAG_FORKED|PL_FLAG_VFORKED"
                                      : "PL_FLAG_SCX|PL_FLAG_FORKED") +
             " X syscall " + c + " narg 0");
    EXPECT_TRUE(run.ok());
  }
}

/* A vfork parent's exit stop (PTRACE_SCX, not followed) still names vfork after the child ended the wait, and
 * the call leaves pc_arg when it is resumed */
TEST(LwpinfoSyscallTest, VforkExitStopKeepsItsCallAfterTheWaitEnds) {
  ScenarioRun run(
      attachedToday("D ptrace PT_TO_SCX P = 0\nP vfork X = sleeping\nP fork-finish = X\n"
            "P take-signal = 0\nD wait P = P stopped SIGTRAP\n"
            "D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall vfork narg 0\nX exit 2 = 0\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.proc("P").pc, KSIM_PC_NONE);
  EXPECT_EQ(run.proc("P").pc_arg, static_cast<std::uint8_t>(Call::Vfork));
  run.then("D ptrace PT_LWPINFO P = PL_FLAG_SCX syscall vfork narg 0");
  run.then("D ptrace PT_CONTINUE P = 0");
  EXPECT_EQ(run.proc("P").pc_arg, KSIM_NOSLOT);
  EXPECT_TRUE(run.ok());
}

/* The call an exit stop keeps is not a slot: renumbering the slots leaves it alone */
TEST(LwpinfoSyscallTest, CanonicalizeLeavesTheKeptCallAlone) {
  ScenarioRun run(attachedToday("D ptrace PT_TO_SCX P = 0\nP getpid = P\n"));
  ASSERT_TRUE(run.ok());
  Relabeling rl;
  State c = run.kernel().canonicalize(run.state(), &rl);
  EXPECT_EQ(c.proc(rl.toCanonical[run.slot("P")]).pc_arg, static_cast<std::uint8_t>(Call::Getpid));
}

/* PT_LWP_EVENTS sets and clears PTRACE_LWP (16), which PT_GET_EVENT_MASK reports and PT_DETACH clears */
TEST(LwpinfoSyscallTest, LwpEventsTogglesPtraceLwp) {
  ScenarioRun run(attachedToday("D ptrace PT_LWP_EVENTS P 1 = 0\nD ptrace PT_GET_EVENT_MASK P = 17\n"));
  EXPECT_EQ(run.proc("P").ptevents, KSIM_PTRACE_EXEC | KSIM_PTRACE_LWP);
  run.then("D ptrace PT_LWP_EVENTS P 0 = 0\nD ptrace PT_GET_EVENT_MASK P = 1");
  run.then("D ptrace PT_SET_EVENT_MASK P PTRACE_EXEC|PTRACE_LWP = 0\nD ptrace PT_GET_EVENT_MASK P = 17");
  run.then("D ptrace PT_DETACH P = 0");
  EXPECT_EQ(run.proc("P").ptevents, 0);
  EXPECT_TRUE(run.ok());
}

/* A trace names PTRACE_LWP among the event bits, in FreeBSD's bit order, as it names the others */
TEST(LwpinfoSyscallTest, TraceNamesPtraceLwp) {
  ScenarioRun run(attachedToday(""));
  State before = run.state();
  run.then("D ptrace PT_SET_EVENT_MASK P PTRACE_EXEC|PTRACE_FORK|PTRACE_LWP = 0");
  ASSERT_TRUE(run.ok());
  std::vector<std::string> lines = describeChanges(before, run.state(), run.names());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "P: ptrace events PTRACE_EXEC -> PTRACE_EXEC|PTRACE_FORK|PTRACE_LWP");
}

/* PT_LWP_EVENTS needs a process stopped for the caller; before 2015 it is an unknown request (EINVAL) */
TEST(LwpinfoSyscallTest, LwpEventsChecksLikeTheOtherRequests) {
  ScenarioRun running(attachedToday("D ptrace PT_CONTINUE P = 0\nD ptrace PT_LWP_EVENTS P 1 = EBUSY\n"));
  EXPECT_TRUE(running.ok());
  ScenarioRun old(std::string(kAttached) + "D ptrace PT_LWP_EVENTS P 1 = EINVAL\n");
  EXPECT_TRUE(old.ok());
  EXPECT_EQ(old.proc("P").ptevents, 0);
}

/* PT_LWP_EVENTS prints back as written */
TEST(LwpinfoSyscallTest, LwpEventsAndSyscallFieldsPrintBack) {
  Scenario sc = parse(
      "process P alice\nP ptrace PT_LWP_EVENTS P 1 = 0\n"
      "P ptrace PT_LWPINFO P = PL_FLAG_SCX|PL_FLAG_FORKED X syscall 66 narg 0\n");
  EXPECT_EQ(formatStep(sc.steps[0]), "P ptrace PT_LWP_EVENTS P 1");
  EXPECT_EQ(formatExpectation(sc.steps[1].expect), " = PL_FLAG_SCX|PL_FLAG_FORKED X syscall vfork narg 0");
}

struct BadLine {
  const char* name;
  const char* step;
  const char* reason;
};

std::ostream& operator<<(std::ostream& os, const BadLine& b) { return os << b.name; }

class LwpinfoSyscallErrorTest : public ::testing::TestWithParam<BadLine> {};

/* Bad syscall fields and PT_LWP_EVENTS arguments: a one-line error naming the file and line */
TEST_P(LwpinfoSyscallErrorTest, BadInputNamesItsLine) {
  const BadLine& b = GetParam();
  try {
    parse(std::string("process P alice\n") + b.step, "bad.scn");
    FAIL() << "no ScenarioError for: " << b.step;
  } catch (const ScenarioError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("bad.scn:2: ", 0), 0u) << what;
    EXPECT_NE(what.find(b.reason), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, LwpinfoSyscallErrorTest,
    ::testing::Values(
        BadLine{"UnknownSyscall", "P ptrace PT_LWPINFO P = PL_FLAG_SCE syscall frob", "bad syscall 'frob'"},
        BadLine{"NegativeSyscall", "P ptrace PT_LWPINFO P = PL_FLAG_SCE syscall -1", "bad syscall '-1'"},
        BadLine{"NegativeNarg", "P ptrace PT_LWPINFO P = PL_FLAG_SCE narg -1", "bad narg '-1': a count"},
        BadLine{"FieldWithoutValue", "P ptrace PT_LWPINFO P = PL_FLAG_SCE syscall",
                "a field after the result without its value"},
        BadLine{"UnknownFieldAfterChild", "P ptrace PT_LWPINFO P = PL_FLAG_FORKED X code 2",
                "unknown field 'code'"},
        BadLine{"FieldTwice", "P ptrace PT_LWPINFO P = PL_FLAG_SCE syscall fork syscall fork",
                "field 'syscall' written twice"},
        BadLine{"SyscallOnAnotherRequest", "P ptrace PT_GET_EVENT_MASK P = 1 syscall fork",
                "expected one result after '='"},
        BadLine{"SyscallOnProcctl", "P procctl P_PID P PROC_REAP_KILL SIGTERM = 0 syscall fork",
                "field 'syscall' belongs to PT_LWPINFO's result"},
        BadLine{"ReaperFieldOnLwpinfo", "P ptrace PT_LWPINFO P = PL_FLAG_SCE killed 1",
                "field 'killed' belongs to PROC_REAP_KILL's result"},
        BadLine{"LwpEventsWithoutValue", "P ptrace PT_LWP_EVENTS P",
                "expected: ptrace PT_LWP_EVENTS PID 0|1"},
        BadLine{"LwpEventsWithTwo", "P ptrace PT_LWP_EVENTS P 2", "PT_LWP_EVENTS takes 0 (off) or 1 (on)"},
        BadLine{"UnknownEventBit", "P ptrace PT_SET_EVENT_MASK P PTRACE_BORN",
                "bad event mask 'PTRACE_BORN'"}),
    [](const ::testing::TestParamInfo<BadLine>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace model::test
