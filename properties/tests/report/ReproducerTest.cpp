// Reproducers (properties/report/Reproducer.cpp) and their runtime
// (properties/report/repro/ksim_repro.c).  For every scenario file in
// results/ and in this directory's scenarios/ that parses, the generated C
// program, in both forms (including the runtime from the tree, and
// standalone), compiles with the system C compiler, every warning an
// error, against the FreeBSD header shim (properties/report/freebsd-shim):
// the only check possible without a FreeBSD kernel.  So do the committed
// reproducers in results/, as they are.  The text is deterministic,
// carries each step's expectation into its table of checks, says it is
// untested on FreeBSD, and never names the shim.  The runtime refuses, at
// compile time, a table whose calls are not the ones it implements.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "model/Action.hpp"
#include "model/Format.hpp"
#include "model/Scenario.hpp"
#include "report/Reproducer.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = KSIM_SOURCE_DIR;
const fs::path kShim = kSource / "properties" / "report" / "freebsd-shim";
const fs::path kRuntimeDir = kSource / "properties" / "report" / "repro";

/// The scenarios reproducers are written for: every design's first
/// counterexample of each property and unspecified point in results/ (the
/// other causes' scenarios, the diffs' and the ablations' are many and
/// alike; their reproducers are not committed), and the test scenarios;
/// sorted.
std::vector<std::string> scenarioFiles() {
  std::vector<std::string> files;
  auto add = [&](const fs::path& dir) {
    if (!fs::is_directory(dir)) return;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().extension() == ".scenario" &&
          entry.path().filename().string().find(".cause-") == std::string::npos)
        files.push_back(fs::relative(entry.path(), kSource).generic_string());
  };
  for (const auto& design : fs::directory_iterator(kSource / "results"))
    if (design.is_directory() && design.path().filename() != "diff" &&
        design.path().filename() != "ablation") {
      add(design.path() / "counterexamples");
      add(design.path() / "unspecified");
    }
  add(kSource / "properties" / "tests" / "cli" / "scenarios");
  add(kSource / "properties" / "tests" / "freebsd");
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<model::Scenario> parseFile(const std::string& relative) {
  std::ifstream in(kSource / relative);
  try {
    return model::parseScenario(in, relative);
  } catch (const model::ScenarioError&) {
    return std::nullopt;
  }
}

model::Scenario parseText(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  return model::parseScenario(in, name);
}

struct Compiled {
  int status = -1;
  std::string log;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Compiles C source as the brief for reproducers says: cc -std=c11 -Wall
/// -Wextra -Werror -I <shim> -I <runtime dir> -c (-std=c11 also turns
/// trigraphs on).
Compiled compile(const std::string& source, const std::string& tag) {
  fs::path dir = fs::temp_directory_path() / ("ksim-repro-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string stem;
  for (char c : tag) stem += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  fs::path c = dir / (stem + ".c"), o = dir / (stem + ".o"), log = dir / (stem + ".log");
  std::ofstream(c) << source;
  std::string command = "cc -std=c11 -Wall -Wextra -Werror -I '" + kShim.string() + "' -I '" +
                        kRuntimeDir.string() + "' -c '" + c.string() + "' -o '" + o.string() + "' > '" +
                        log.string() + "' 2>&1";
  Compiled result;
  result.status = std::system(command.c_str());
  result.log = readFile(log);
  fs::remove_all(dir);
  return result;
}

/// The standalone form.
std::string standalone(const model::Scenario& sc, const std::string& path) {
  return properties::reproducerSource(sc, path, properties::ReproducerForm::Standalone);
}

/// The table entry of the step at `line`: from its comment to the next.
std::string tableEntry(const std::string& source, int line) {
  std::string head = "\t/* line " + std::to_string(line) + ": ";
  auto at = source.find(head, source.find("static const struct step steps["));
  if (at == std::string::npos) return "";
  auto end = source.find("\t/* ", at + head.size());
  return source.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

/// What the table must say a step expects, for the kinds that need no name
/// resolution.
std::optional<std::string> expectedCheck(const model::ScenarioStep& st) {
  using Kind = model::Expectation::Kind;
  switch (st.expect.kind) {
    case Kind::None:
      return ".expect = X_NONE,";
    case Kind::Errno:
      return ".expect = X_ERRNO, .want = " + model::errnoName(st.expect.number) + ",";
    case Kind::Number:
      if (st.expect.number > 1 && (st.call == model::Call::Wait || st.call == model::Call::ForkFinish))
        return std::nullopt;  // may be a model pid
      return ".expect = X_NUMBER, .want = " + std::to_string(st.expect.number) + ",";
    case Kind::Process:
      return st.expect.process == "init" ? ".expect = X_PROCESS, .want = T_INIT,"
                                         : ".expect = X_PROCESS, .want = W";
    case Kind::Sleeping:
      return ".expect = X_SLEEPING,";
    case Kind::Panic:
      return ".expect = X_PANIC,";
    case Kind::Hang:
      return ".expect = X_HANG,";
    case Kind::LwpInfo:
      return ".expect = X_NUMBER, .want = " + std::to_string(st.expect.number) + ",";
  }
  return std::nullopt;
}

void expectChecksEveryStep(const model::Scenario& sc, const std::string& source) {
  for (const model::ScenarioStep& st : sc.steps) {
    std::string entry = tableEntry(source, st.line);
    ASSERT_FALSE(entry.empty()) << "no table entry for line " << st.line;
    std::string comment = "/* line " + std::to_string(st.line) + ": " + model::formatStep(st) +
                          model::formatExpectation(st.expect) + " */";
    EXPECT_NE(entry.find(comment), std::string::npos) << entry;
    EXPECT_NE(entry.find(".line = " + std::to_string(st.line) + ","), std::string::npos) << entry;
    EXPECT_NE(entry.find(".want_text = \"" +
                         model::formatExpectation(st.expect).substr(
                             st.expect.kind == model::Expectation::Kind::None ? 0 : 3) +
                         "\""),
              std::string::npos)
        << entry;
    if (auto check = expectedCheck(st)) {
      EXPECT_NE(entry.find(*check), std::string::npos) << entry;
    }
    if (st.expect.kind == model::Expectation::Kind::Process) {
      std::string name = st.expect.process;
      std::replace(name.begin(), name.end(), '.', '_');
      EXPECT_TRUE(entry.find("_" + name + ",") != std::string::npos ||
                  entry.find(".want = T_INIT,") != std::string::npos)
          << entry;
    }
  }
}

std::string testName(const testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class EveryScenario : public testing::TestWithParam<std::string> {};

TEST_P(EveryScenario, CompilesAgainstTheShimWithWarningsAsErrors) {
  auto sc = parseFile(GetParam());
  if (!sc) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  Compiled c = compile(properties::reproducerSource(*sc, GetParam()), GetParam());
  EXPECT_EQ(c.status, 0) << c.log;
  Compiled alone = compile(standalone(*sc, GetParam()), GetParam() + ".standalone");
  EXPECT_EQ(alone.status, 0) << alone.log;
}

TEST_P(EveryScenario, IsDeterministic) {
  auto first = parseFile(GetParam()), second = parseFile(GetParam());
  if (!first) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  EXPECT_EQ(properties::reproducerSource(*first, GetParam()),
            properties::reproducerSource(*second, GetParam()));
}

TEST_P(EveryScenario, ChecksEveryStepsExpectation) {
  auto sc = parseFile(GetParam());
  if (!sc) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  expectChecksEveryStep(*sc, properties::reproducerSource(*sc, GetParam()));
}

// The reproducer's one include is the runtime, by file name alone (the
// build command's -I says where it is); the runtime, and so the standalone
// form, includes only FreeBSD's headers.  Neither names the shim.
TEST_P(EveryScenario, IncludesTheRuntimeAndOnlyFreeBSDHeadersNeverTheShim) {
  auto sc = parseFile(GetParam());
  if (!sc) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  std::string source = properties::reproducerSource(*sc, GetParam());
  std::string inlined = standalone(*sc, GetParam());
  std::vector<std::string> includes;
  std::istringstream lines(source);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("#include", 0) == 0) includes.push_back(line);
  EXPECT_EQ(includes, std::vector<std::string>{"#include \"ksim_repro.c\""});
  EXPECT_NE(inlined.find(std::string(properties::reproducerRuntime())), std::string::npos);
  std::istringstream inlinedLines(inlined);
  for (std::string line; std::getline(inlinedLines, line);) {
    if (line.rfind("#include", 0) == 0) {
      EXPECT_EQ(line.rfind("#include <", 0), 0u) << line;
    }
  }
  for (const std::string& text : {source, inlined}) {
    EXPECT_EQ(text.find("freebsd-shim"), std::string::npos);
    EXPECT_EQ(text.find(kShim.string()), std::string::npos);
    EXPECT_EQ(text.find(kSource.string()), std::string::npos);
  }
  for (const char* header : {"<sys/procctl.h>", "<sys/ptrace.h>", "<sys/ktrace.h>", "<sys/wait.h>"})
    EXPECT_NE(inlined.find(std::string("#include ") + header), std::string::npos) << header;
}

// Each form's header comment gives the one command that builds it.
TEST_P(EveryScenario, SaysHowToBuildItInOneCommand) {
  auto sc = parseFile(GetParam());
  if (!sc) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  std::string name = fs::path(GetParam()).stem().string() + ".c";
  std::string m32 =
      properties::reproducerSource(*sc, GetParam()).find("NEED_PROCCTL32\t\t1") == std::string::npos
          ? ""
          : " -m32";
  EXPECT_NE(properties::reproducerSource(*sc, GetParam())
                .find(" *\tcc" + m32 + " -I /path/to/ksim/properties/report/repro -o repro " + name + "\n"),
            std::string::npos);
  EXPECT_NE(standalone(*sc, GetParam()).find(" *\tcc" + m32 + " -o repro " + name + "\n"), std::string::npos);
}

TEST_P(EveryScenario, SaysItIsUntestedOnFreeBSD) {
  auto sc = parseFile(GetParam());
  if (!sc) {
    GTEST_SKIP() << GetParam() << " does not parse";
  }
  for (const std::string& source :
       {properties::reproducerSource(*sc, GetParam()), standalone(*sc, GetParam())})
    EXPECT_EQ(source.rfind(
                  "/*-\n * ksim reproducer for " + GetParam() + "\n *\n * UNTESTED ON A FREEBSD KERNEL.", 0),
              0u);
}

INSTANTIATE_TEST_SUITE_P(Files, EveryScenario, testing::ValuesIn(scenarioFiles()), testName);

TEST(Reproducer, FindsTheCommittedScenarios) {
  std::vector<std::string> files = scenarioFiles();
  auto has = [&](const std::string& f) { return std::find(files.begin(), files.end(), f) != files.end(); };
  EXPECT_TRUE(has("results/rfc-2014/counterexamples/kernel-assertion.scenario"));
  EXPECT_TRUE(has("properties/tests/cli/scenarios/other-user-can-disable.scenario"));
  int parsing = 0;
  for (const std::string& f : files) parsing += parseFile(f).has_value();
  EXPECT_GE(parsing, 10);
}

// Every kind of step, every kind of expectation, setuid images, the 32-bit
// entry, P_PGID, BADADDR and an EAGAIN fork, in one scenario.
constexpr const char* kEveryCall = R"(variant rfc-2014
process A alice
process B alice group A
process M bob
maxproc 5
A fork C
A fork-finish = C
C vfork D = sleeping
C fork-finish = D
D exec setuid-root = sleeping
D exec-finish = 0
B ptrace PT_ATTACH A = 0
A take-signal = 0
B wait A = A
B ptrace PT_CONTINUE A SIGQUIT = 0
A take-signal = 0
M ktrace set-inherit B = EPERM
B ktrace set B = 0
B ktrace clear B = 0
M kill B SIGQUIT = EPERM
B procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0
B procctl32 P_PID B PROC_TRACE_STATUS BADADDR = EFAULT
B procctl P_PID 99 PROC_TRACE_ENABLE 0 = ESRCH
B procctl P_PID 0 PROC_TRACE_STATUS = -1
B ptrace PT_TRACE_ME = 0
B ptrace PT_DETACH 1 = EPERM
B fork = EAGAIN
D exit 3 = 0
C wait = D exited 3
C getppid = A
M wait WNOHANG = ECHILD
M ptrace PT_KILL B = EPERM
M procctl P_PID 103 PROC_TRACE_STATUS = hang
C getpid = C
B ptrace PT_SYSCALL A = EBUSY
B sigaction SIGUSR1 handler = 0
B sigprocmask SIG_BLOCK SIGUSR2 = 0
C pdfork = ENOSYS
C close B = EBADF
)";

// PT_LWPINFO's system call, where a step writes it, is compared by number;
// pdfork and close of its descriptor compile (freebsd-current).
TEST(Reproducer, LwpinfoSyscallAndProcessDescriptorsCompile) {
  model::Scenario sc = parseText(R"(variant freebsd-current
process P alice
process D alice
maxproc 3
D ptrace PT_ATTACH P = 0
P take-signal = 0
D wait P = P stopped SIGSTOP
D ptrace PT_LWPINFO P = PL_FLAG_SI syscall 0 narg 0
D ptrace PT_SYSCALL P = 0
D pdfork C = sleeping
D fork-finish = C
D close C = 0
)",
                                 "syscall.scenario");
  std::string source = properties::reproducerSource(sc, "syscall.scenario");
  Compiled c = compile(source, "syscall");
  EXPECT_EQ(c.status, 0) << c.log;
  EXPECT_NE(tableEntry(source, 8).find(".check_syscall = 1, .want_syscall = 0,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 8).find(".check_narg = 1, .want_narg = 0,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 10).find(".kind = K_PDFORK,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 12).find(".kind = K_CLOSE,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 12).find(".target = W2_C,"), std::string::npos);
}

TEST(Reproducer, EveryKindOfStepCompiles) {
  model::Scenario sc = parseText(kEveryCall, "every-call.scenario");
  std::string source = properties::reproducerSource(sc, "every-call.scenario");
  Compiled c = compile(source, "every-call");
  EXPECT_EQ(c.status, 0) << c.log;
  for (const char* kind :
       {"K_FORK,", "K_VFORK,", "K_FORK_FINISH,", "K_EXEC,", "K_EXEC_FINISH,", "K_EXIT,", "K_WAIT,",
        "K_PTRACE,", "K_KTRACE,", "K_KILL,", "K_TAKE_SIGNAL,", "K_PROCCTL,", "K_PROCCTL32,", "K_GETPPID,",
        "K_GETPID,", "K_PDFORK,", "K_CLOSE,", "K_SIGACTION,", "K_SIGPROCMASK,"})
    EXPECT_NE(source.find(std::string(".kind = ") + kind), std::string::npos) << kind;
  EXPECT_NE(source.find("#define\tNEED_SETUID_IMAGE\t1"), std::string::npos);
  EXPECT_NE(source.find("#define\tNEED_PROCCTL32\t\t1"), std::string::npos);
  EXPECT_NE(source.find("#define\tNPROC_LIMIT\t\t5"), std::string::npos);
  expectChecksEveryStep(sc, source);
  // Names and pids (the scenario's lines count from "variant", line 1).
  EXPECT_NE(tableEntry(source, 23).find(".target = T_NOBODY,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 24).find(".target = T_SWAPPER,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 26).find(".target = T_INIT,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 29).find(".want = W4_D,"), std::string::npos);
  // pid 103 is the model's pid of the second initial process, B.
  EXPECT_NE(tableEntry(source, 33).find(".target = W1_B,"), std::string::npos);
  // An exit code is the worker's _exit() argument; a wait's status is compared.
  EXPECT_NE(tableEntry(source, 28).find(".kind = K_EXIT,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 28).find(".op = 3,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 29).find(".check_status = 1, .want_status = 768,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 21).find(".arg = P_PGID,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 21).find(".data = PROC_TRACE_CTL_DISABLE_EXEC,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 22).find(".badaddr = 1,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 17).find(".arg = KTRFAC_SYSCALL | KTRFAC_INHERIT,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 15).find(".op = PT_CONTINUE, .arg = 0, .data = SIGQUIT,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 10).find(".op = IMAGE_SETUID,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 35).find(".op = PT_SYSCALL,"), std::string::npos);
  // fork-finish and exec-finish name the step they end.
  EXPECT_NE(tableEntry(source, 7).find(".child = W3_C, .ref = 0,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 11).find(".ref = 4,"), std::string::npos);
}

TEST(Reproducer, MarksStepsInsideTheModelsWindows) {
  model::Scenario sc = parseText(
      "process A alice\nprocess B alice\n"
      "B ptrace PT_ATTACH A = 0\n"
      "B procctl P_PID A PROC_TRACE_STATUS = B\n"
      "A take-signal = 0\n"
      "A exec\n"
      "B ptrace PT_ATTACH A = EBUSY\n"
      "A exec-finish = 0\n",
      "windows.scenario");
  std::string source = properties::reproducerSource(sc, "windows.scenario");
  EXPECT_NE(
      tableEntry(source, 4).find("pending until A's take-signal at line 5; the real kernel acted on it at "
                                 "once"),
      std::string::npos)
      << tableEntry(source, 4);
  EXPECT_NE(tableEntry(source, 7).find("keeps A in execve (P_INEXEC) from line 6 to line 8"),
            std::string::npos)
      << tableEntry(source, 7);
  EXPECT_NE(tableEntry(source, 3).find(".window = NULL,"), std::string::npos);
  EXPECT_EQ(compile(source, "windows").status, 0);
}

TEST(Reproducer, NamesChildrenAsReplayDoes) {
  model::Scenario sc = parseText(
      "process A alice\n"
      "A fork\nA fork-finish = A.1\n"
      "A fork\nA fork-finish\n"
      "A fork Kid\nA fork-finish = Kid\n",
      "names.scenario");
  std::string source = properties::reproducerSource(sc, "names.scenario");
  EXPECT_NE(source.find("\tW1_A_1 = 1,\t/* A.1 */"), std::string::npos);
  EXPECT_NE(source.find("\tW2_A_2 = 2,\t/* A.2 */"), std::string::npos);
  EXPECT_NE(source.find("\tW3_Kid = 3\t/* Kid */"), std::string::npos);
  EXPECT_NE(source.find("/* forked at line 2 by A */"), std::string::npos);
}

TEST(Reproducer, UnmappableStepsMakeAProgramThatCannotSetUp) {
  model::Scenario sc = parseText(
      "process A alice\n"
      "A kill 0 SIGQUIT = EPERM\n"
      "A procctl P_PID 57 PROC_TRACE_STATUS = ESRCH\n"
      "A ptrace PT_ATTACH Nobody = ESRCH\n"
      "A fork-finish = A\n",
      "unmappable.scenario");
  std::string source = properties::reproducerSource(sc, "unmappable.scenario");
  EXPECT_NE(tableEntry(source, 2).find("kill(0) signals the caller's process group"), std::string::npos);
  EXPECT_NE(tableEntry(source, 3).find("pid 57 is not one the model gives"), std::string::npos);
  EXPECT_NE(tableEntry(source, 4).find("no process is named Nobody here"), std::string::npos);
  EXPECT_NE(tableEntry(source, 5).find("A has no fork to finish"), std::string::npos);
  EXPECT_EQ(compile(source, "unmappable").status, 0);
}

/* a call that stops at its entry (PTRACE_SCE) spans two steps: the program says it cannot follow it, and compiles */
TEST(Reproducer, SaysItCannotFollowACallAcrossItsEntryStop) {
  model::Scenario sc = parseText(R"(variant freebsd-current
process P alice
process C alice
P ptrace PT_ATTACH C = 0
C take-signal = 0
P wait C = C
P ptrace PT_SYSCALL C = 0
C getpid = sleeping
)",
                                 "entry-stop.scenario");
  std::string source = properties::reproducerSource(sc, "entry-stop.scenario");
  EXPECT_NE(tableEntry(source, 8).find("cannot follow one across a system-call stop"), std::string::npos);
  EXPECT_NE(tableEntry(source, 7).find(".problem = NULL }"), std::string::npos);
  Compiled c = compile(source, "entry-stop");
  EXPECT_EQ(c.status, 0) << c.log;
}

TEST(Reproducer, RefusesToAttachToOrKtraceTheRealInit) {
  model::Scenario sc = parseText(
      "process R root\n"
      "R ptrace PT_ATTACH 1 = EPERM\n"
      "R ktrace set init = EPERM\n"
      "R ktrace clear 1 = EPERM\n"
      "R kill 1 SIGQUIT = 0\n",
      "init.scenario");
  std::string source = properties::reproducerSource(sc, "init.scenario");
  EXPECT_NE(tableEntry(source, 2).find("does not attach to init"), std::string::npos);
  EXPECT_NE(tableEntry(source, 3).find("does not ktrace init"), std::string::npos);
  EXPECT_NE(tableEntry(source, 4).find(".problem = NULL }"), std::string::npos);
  EXPECT_NE(tableEntry(source, 5).find(".problem = NULL }"), std::string::npos);
}

/* The reaper requests carry their command, PROC_REAP_KILL's signal and flags, and the fields the step writes;
 * a status whose reaper is init cannot be compared with the machine's init (its descendants are the
 * machine's) */
TEST(Reproducer, ReaperStepsCarryTheirFieldsAndLeaveTheRealInitAlone) {
  model::Scenario sc = parseText(
      "variant freebsd-current\n"
      "process P alice\n"
      "P procctl P_PID P PROC_REAP_STATUS = 0 flags REAPER_STATUS_REALINIT reaper init\n"
      "P procctl P_PID P PROC_REAP_ACQUIRE = 0\n"
      "P procctl P_PID P PROC_REAP_STATUS = 0 reaper P children 0\n"
      "P procctl P_PID P PROC_REAP_KILL SIGTERM REAPER_KILL_CHILDREN = ESRCH killed 0\n"
      "P procctl P_PID P PROC_REAP_KILL -1 = EINVAL\n",
      "reaper.scenario");
  std::string source = properties::reproducerSource(sc, "reaper.scenario");
  expectChecksEveryStep(sc, source);
  EXPECT_NE(tableEntry(source, 3).find("its reaper is init"), std::string::npos);
  EXPECT_NE(tableEntry(source, 4).find(".op = PROC_REAP_ACQUIRE,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 4).find(".problem = NULL }"), std::string::npos);
  EXPECT_NE(tableEntry(source, 5).find(".want_fields = \" reaper P children 0\","), std::string::npos);
  EXPECT_NE(tableEntry(source, 6).find(".data = SIGTERM,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 6).find(".flags = REAPER_KILL_CHILDREN, .want_fields = \" killed 0\","),
            std::string::npos);
  EXPECT_NE(tableEntry(source, 7).find(".data = -1,"), std::string::npos);
  EXPECT_NE(tableEntry(source, 7).find(".want_fields = NULL,"), std::string::npos);
  EXPECT_EQ(compile(source, "reaper").status, 0);
}

TEST(Reproducer, WarnsThatA32BitBuildSendsEveryProcctlThroughFreebsd32) {
  model::Scenario sc = parseText(
      "process A alice\n"
      "A procctl P_PID A PROC_TRACE_STATUS = 0\n"
      "A procctl32 P_PID A PROC_TRACE_STATUS = 0\n",
      "p32.scenario");
  std::string source = properties::reproducerSource(sc, "p32.scenario");
  EXPECT_NE(tableEntry(source, 2).find("this procctl enters freebsd32_procctl too"), std::string::npos);
  EXPECT_NE(tableEntry(source, 3).find(".window = NULL,"), std::string::npos);
}

// A path goes into comments and into a string literal: quotes,
// backslashes, comment delimiters and trigraphs (two question marks and a
// slash are a backslash under -std=c11, and before a newline one joins
// lines) must not break either.  (Written ?\? here: C++ has no trigraphs,
// but the compiler warns of them.)
TEST(Reproducer, QuotesAnyPathSafely) {
  model::Scenario sc = parseText("process A alice\nA procctl P_PID A PROC_TRACE_STATUS = 0\n", "x");
  for (std::string path : {"dir \"quoted\"/back\\slash*/end.scenario", "a/*b/c.scenario", "what?\?/",
                           "what?\?/\nnext", "x*?\?/\n/y.scenario", "q?\?\?=?\?(?\?'.scenario"}) {
    for (const std::string& source : {properties::reproducerSource(sc, path), standalone(sc, path)}) {
      Compiled c = compile(source, "quoted");
      EXPECT_EQ(c.status, 0) << path << "\n" << c.log;
      std::string firstComment = source.substr(0, source.find("*/") + 2);
      EXPECT_EQ(firstComment.find("?\?"), std::string::npos) << firstComment;
      EXPECT_EQ(firstComment.find("/*", 1), std::string::npos) << firstComment;
      EXPECT_NE(firstComment.find("Generated by ksim"), std::string::npos) << firstComment;
    }
  }
  EXPECT_NE(properties::reproducerSource(sc, "what?\?/").find("#define\tSCENARIO_FILE\t\t\"what?\\?/\"\n"),
            std::string::npos);
}

// The runtime: ksim has the committed file built in, byte for byte, and
// compiles it in every reproducer above (from the tree, through -I).
TEST(ReproducerRuntime, BuiltInTextIsTheCommittedFile) {
  std::string committed = readFile(kRuntimeDir / properties::kReproducerRuntimeFile);
  ASSERT_GT(committed.size(), 10000u);
  EXPECT_TRUE(properties::reproducerRuntime() == committed);
}

TEST(ReproducerRuntime, IsNotBuiltAlone) {
  Compiled c = compile("#include \"ksim_repro.c\"\n", "alone");
  EXPECT_NE(c.status, 0);
  EXPECT_NE(c.log.find("included by a reproducer"), std::string::npos) << c.log;
}

/// The runtime's enum step_kind block, from "enum step_kind {" to "};".
std::string callEnum(const std::string& runtime) {
  auto from = runtime.find("enum step_kind {\n");
  auto to = runtime.find("\n};\n", from);
  if (from == std::string::npos || to == std::string::npos) return "";
  return runtime.substr(from, to + 4 - from);
}

// The runtime's enum of calls is the model's list, in its order, and
// NCALLS counts it.
TEST(ReproducerRuntime, TheCallEnumIsTheModelsList) {
  std::string runtime = readFile(kSource / "properties" / "report" / "repro" / "ksim_repro.c");
  std::string block = callEnum(runtime);
  ASSERT_FALSE(block.empty());
  std::string expected = "enum step_kind {\n";
  std::string last;
  for (std::size_t k = 0; k < model::kCallCount; ++k) {
    std::string keyword(model::callKeyword(static_cast<model::Call>(k)));
    last = "K_";
    for (char c : keyword)
      last += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    expected += "\t" + last + (k + 1 < model::kCallCount ? ",\n" : "\n");
  }
  expected += "};\n";
  EXPECT_EQ(block, expected);
  EXPECT_NE(runtime.find("#define\tNCALLS\t(" + last + " + 1)"), std::string::npos);
}

// A reproducer written by a model with more or fewer calls, or naming a
// call the runtime lacks, does not compile; nor does a runtime whose
// enum has a call that one of its switches forgets.
TEST(ReproducerRuntime, RefusesATableWhoseCallsAreNotItsOwn) {
  model::Scenario sc = parseText(kEveryCall, "every-call.scenario");
  std::string source = properties::reproducerSource(sc, "every-call.scenario");
  std::string count = "#define\tMODEL_NCALLS\t\t" + std::to_string(model::kCallCount) + "\t";
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  };
  EXPECT_EQ(compile(source, "calls-as-generated").status, 0);
  for (std::size_t n : {model::kCallCount + 1, model::kCallCount - 1}) {
    std::string other = "#define\tMODEL_NCALLS\t\t" + std::to_string(n) + "\t";
    Compiled c = compile(replaced(source, count, other), "calls-counted-" + std::to_string(n));
    EXPECT_NE(c.status, 0);
    EXPECT_NE(c.log.find("does not implement"), std::string::npos) << c.log;
  }
  Compiled unknown = compile(replaced(source, ".kind = K_KILL,", ".kind = K_SETUID,"), "calls-unknown");
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.log.find("K_SETUID"), std::string::npos) << unknown.log;
  // The standalone form carries the runtime: add a call to its enum only.
  std::string standalone =
      properties::reproducerSource(sc, "every-call.scenario", properties::ReproducerForm::Standalone);
  std::string last = "K_";
  for (char c : model::callKeyword(static_cast<model::Call>(model::kCallCount - 1)))
    last += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string added = replaced(replaced(standalone, "\t" + last + "\n};", "\t" + last + ",\n\tK_SETUID\n};"),
                               "(" + last + " + 1)", "(K_SETUID + 1)");
  added = replaced(added, count, "#define\tMODEL_NCALLS\t\t" + std::to_string(model::kCallCount + 1) + "\t");
  Compiled unhandled = compile(added, "calls-unhandled");
  EXPECT_NE(unhandled.status, 0);
  EXPECT_NE(unhandled.log.find("K_SETUID"), std::string::npos) << unhandled.log;
}

// The committed reproducers build, as they are, with the command their
// header gives (here against the shim, and -c: they are not linked).
TEST(ReproducerRuntime, CommittedReproducersCompileAsTheyAre) {
  int compiled = 0;
  for (const auto& design : fs::directory_iterator(kSource / "results")) {
    fs::path dir = design.path() / "reproducers";
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".c") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      std::string source = readFile(file);
      EXPECT_NE(source.find(" *\tcc -I /path/to/ksim/properties/report/repro -o repro " +
                            file.filename().string() + "\n"),
                std::string::npos)
          << file;
      Compiled c = compile(source, file.string());
      EXPECT_EQ(c.status, 0) << file << "\n" << c.log;
      ++compiled;
    }
  }
  EXPECT_GE(compiled, 10);
}

}  // namespace
