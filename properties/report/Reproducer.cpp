// Reproducers: a scenario as a C program for FreeBSD (see Reproducer.hpp).
//
// The program has two parts.  This file writes the first, the scenario's
// own: a header comment (what it is, that it is untested on a FreeBSD
// kernel, the one command that builds it, and the scenario), the model's
// calls as a C enum, and the scenario as C tables (its processes, the
// tunables, one table row per step with the scenario line in a comment).
// The second is the runtime, the same for every scenario:
// properties/report/repro/ksim_repro.c, C in style(9), a coordinator that
// drives one worker process per scenario process through the steps, in
// order, over pipes.  A reproducer includes it by name, or, standalone,
// has its text inlined (ksim has it built in: ReproducerRuntime.cpp, made
// from the file at build time).
//
// The C enum of calls is written from the model's list (model::Call,
// callKeyword()), and the runtime checks at compile time that it
// implements every one of them.
//
// Planning the tables is where the scenario's names are resolved, the way
// `ksim replay` resolves them: a fork names its child (the scenario's name,
// else the name its fork-finish expects, else PARENT.N with the first N not
// yet given), fork-finish and exec-finish end the actor's last fork and
// exec, and a name means the latest process given it.  Steps that fall
// inside a window the model holds open and the kernel does not (a fork's
// PRS_NEW, an exec's P_INEXEC, a signal pending until take-signal) carry
// the reason in the table, printed if the step disagrees.
#include "report/Reproducer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ksim/flags.h"
#include "ksim/world.h"
#include "model/Action.hpp"
#include "model/Config.hpp"
#include "model/Format.hpp"
#include "model/Signals.hpp"

namespace properties {

namespace {

// ---------------------------------------------------------------------------
// Planning: the scenario's names and steps as table rows.

struct WorkerPlan {
  std::string name;
  std::string ident;  ///< the C enumerator, W<index>_<name>
  bool initial = false;
  unsigned uid = 0, gid = 0;
  int leader = -1;    ///< initial: the worker leading its group
  int parent = -1;    ///< forked: the worker that forks it
  int forkedAt = -1;  ///< forked: the fork step
  std::string origin;
};

/// A target or result that names a process: a C expression for the table.
struct Ref {
  std::string expr = "T_NONE";
  int worker = -1;
  std::string problem;
};

struct StepPlan {
  const model::ScenarioStep* st = nullptr;
  int actor = -1;
  std::string kind;
  Ref target;
  std::string op = "0", arg = "0", data = "0";
  std::string flags = "0";  ///< PROC_REAP_KILL's rk_flags
  bool reaper = false;      ///< a reaper request: .flags and .want_fields are written
  /// PT_LWPINFO: pl_syscall_code and pl_syscall_narg as the step writes
  /// them (its "syscall" and "narg" fields), each compared when written.
  std::optional<int> wantSyscall, wantNarg;
  /// PT_LWPINFO: pl_siginfo.si_code (FreeBSD's number), where written.
  std::optional<int> wantSiCode;
  int child = -1;
  int ref = -1;
  std::string expect = "X_NONE", want = "0", wantText;
  std::vector<std::string> windows;
  std::string problem;
};

std::optional<int> parseInt(const std::string& s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string identFor(std::size_t index, const std::string& name) {
  std::string id = fmt::format("W{}_", index);
  for (char c : name) id += (c == '.') ? '_' : c;
  return id;
}

/// A C string literal.  Scenario names and steps need no escapes; a path
/// may.  A '?' after a '?' is written \? so that no trigraph (??/ is a
/// backslash under -std=c11) forms.
std::string cString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '?' && out.back() == '?') {
      out += "\\?";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// Text safe inside a C comment: no "*/" to end it, no "/*" (-Wcomment),
/// no "??" that could start a trigraph (??/ is a backslash under
/// -std=c11, and a backslash before a newline joins lines), no control
/// characters but tabs.
std::string commentSafe(std::string s) {
  for (char& c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = ' ';
  for (const char* pair : {"*/", "/*", "??"})
    for (std::size_t at; (at = s.find(pair)) != std::string::npos;) s.insert(at + 1, " ");
  return s;
}

/// The C enumerator of a model call: K_ and its scenario keyword in
/// capitals, '-' as '_' (fork-finish: K_FORK_FINISH).
std::string kindName(model::Call call) {
  std::string name = "K_";
  for (char c : model::callKeyword(call))
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string ptraceName(int request) {
  switch (request) {
    case model::kPtTraceMe:
      return "PT_TRACE_ME";
    case model::kPtContinue:
      return "PT_CONTINUE";
    case model::kPtStep:
      return "PT_STEP";
    case model::kPtAttach:
      return "PT_ATTACH";
    case model::kPtDetach:
      return "PT_DETACH";
    case model::kPtKill:
      return "PT_KILL";
    case model::kPtLwpinfo:
      return "PT_LWPINFO";
    case model::kPtFollowFork:
      return "PT_FOLLOW_FORK";
    case model::kPtLwpEvents:
      return "PT_LWP_EVENTS";
    case model::kPtGetEventMask:
      return "PT_GET_EVENT_MASK";
    case model::kPtSetEventMask:
      return "PT_SET_EVENT_MASK";
    case model::kPtSyscall:
      return "PT_SYSCALL";
    case model::kPtToSce:
      return "PT_TO_SCE";
    case model::kPtToScx:
      return "PT_TO_SCX";
  }
  return std::to_string(request);
}

/// An errno value as its name, which the C program takes from FreeBSD's
/// <errno.h> (the model's numbers are FreeBSD's too).
std::string errnoExpr(int error) {
  std::string name = model::errnoName(error);
  return name.empty() || (name[0] >= '0' && name[0] <= '9') ? std::to_string(error) : name;
}

bool returnsPid(const model::ScenarioStep& st) {
  return st.call == model::Call::ForkFinish || st.call == model::Call::Wait ||
         ((st.call == model::Call::Procctl || st.call == model::Call::Procctl32) &&
          st.op == model::kProcTraceStatus);
}

class Planner {
 public:
  explicit Planner(const model::Scenario& sc) : sc_(sc) {
    addInitial();
    for (std::size_t k = 0; k < sc_.steps.size(); ++k) planStep(k);
    addWindows();
  }

  std::vector<WorkerPlan> workers;
  std::vector<StepPlan> steps;

 private:
  void addInitial() {
    const auto& procs = sc_.config.processes;
    for (std::size_t i = 0; i < procs.size(); ++i) {
      WorkerPlan w;
      w.name = procs[i].name;
      w.initial = true;
      auto user = model::findUser(procs[i].user);
      if (user) w.uid = user->uid, w.gid = user->gid;
      w.origin = "process " + procs[i].name + " " + procs[i].user +
                 (procs[i].group != procs[i].name ? " group " + procs[i].group : "");
      add(std::move(w));
    }
    for (std::size_t i = 0; i < procs.size(); ++i) {
      workers[i].leader = static_cast<int>(i);
      for (std::size_t j = 0; j < procs.size(); ++j)
        if (procs[j].name == procs[i].group) workers[i].leader = static_cast<int>(j);
    }
  }

  int add(WorkerPlan w) {
    int index = static_cast<int>(workers.size());
    w.ident = identFor(workers.size(), w.name);
    given_.push_back(w.name);
    current_[w.name] = index;
    workers.push_back(std::move(w));
    return index;
  }

  /// A process name or pid, as the model resolves it at this step.
  Ref resolve(const std::string& word) const {
    Ref r;
    if (auto pid = parseInt(word)) {
      if (*pid == 0) {
        r.expr = "T_SWAPPER";
      } else if (*pid == 1) {
        r.expr = "T_INIT";
      } else if (*pid == model::kMissingPid) {
        r.expr = "T_NOBODY";
      } else {
        // The model numbers initial process i ksim_slot_pid(first user
        // slot + i); other slots are reused, so their pids name no one.
        for (std::size_t i = 0; i < sc_.config.processes.size(); ++i)
          if (ksim_slot_pid(static_cast<unsigned>(KSIM_FIRST_USER_SLOT + i)) == *pid) {
            r.worker = static_cast<int>(i);
            r.expr = workers[i].ident;
            return r;
          }
        r.expr = "T_UNKNOWN";
        r.problem = fmt::format("pid {} is not one the model gives (0, 1, {} or an initial process's)", *pid,
                                model::kMissingPid);
      }
      return r;
    }
    if (word == "init" || word == "swapper") {
      r.expr = word == "init" ? "T_INIT" : "T_SWAPPER";
      return r;
    }
    auto it = current_.find(word);
    if (it == current_.end()) {
      r.expr = "T_UNKNOWN";
      r.problem = "no process is named " + word + " here";
      return r;
    }
    r.worker = it->second;
    r.expr = workers[it->second].ident;
    return r;
  }

  /// The name a fork gives its child (see the file comment).
  std::string childName(std::size_t k) const {
    const model::ScenarioStep& st = sc_.steps[k];
    if (!st.child.empty()) return st.child;
    for (std::size_t j = k + 1; j < sc_.steps.size(); ++j) {
      const model::ScenarioStep& later = sc_.steps[j];
      if (later.actor != st.actor || later.call != model::Call::ForkFinish) continue;
      if (later.expect.kind == model::Expectation::Kind::Process) return later.expect.process;
      break;
    }
    for (unsigned n = 1;; ++n) {
      std::string candidate = fmt::format("{}.{}", st.actor, n);
      if (std::find(given_.begin(), given_.end(), candidate) == given_.end()) return candidate;
    }
  }

  void planStep(std::size_t k) {
    const model::ScenarioStep& st = sc_.steps[k];
    StepPlan p;
    p.st = &st;
    p.kind = kindName(st.call);
    Ref actor = resolve(st.actor);
    p.actor = actor.worker;
    if (p.actor < 0)
      p.problem = actor.problem.empty() ? st.actor + " does not act in the model" : actor.problem;
    auto setTarget = [&](const std::string& word) {
      p.target = resolve(word);
      if (!p.target.problem.empty() && p.problem.empty()) p.problem = p.target.problem;
    };
    // By the call's argument grammar (model/Calls.hpp): a call whose
    // arguments need no planning (such as exit) needs no case here.
    switch (model::callSpec(st.call).arguments) {
      case model::CallArguments::ChildName: {
        WorkerPlan child;
        child.name = childName(k);
        child.parent = p.actor;
        child.forkedAt = static_cast<int>(k);
        child.origin = fmt::format("{} at line {} by {}",
                                   st.call == model::Call::Vfork    ? "vforked"
                                   : st.call == model::Call::Pdfork ? "pdforked"
                                                                    : "forked",
                                   st.line, st.actor);
        p.child = add(std::move(child));
        if (p.actor >= 0) lastFork_[p.actor] = static_cast<int>(k);
        break;
      }
      case model::CallArguments::ExitCode:
        p.op = std::to_string(st.op);
        break;
      case model::CallArguments::None: {
        // The continuations finish the fork or exec the actor started.
        if (st.call != model::Call::ForkFinish && st.call != model::Call::ExecFinish) break;
        auto& last = st.call == model::Call::ForkFinish ? lastFork_ : lastExec_;
        auto it = last.find(p.actor);
        if (it == last.end()) {
          if (p.problem.empty())
            p.problem = fmt::format("{} has no {} to finish", st.actor,
                                    st.call == model::Call::ForkFinish ? "fork" : "exec");
          break;
        }
        p.ref = it->second;
        p.child = steps[static_cast<std::size_t>(p.ref)].child;
        last.erase(it);
        break;
      }
      case model::CallArguments::ExecImage:
        p.op = st.op == model::kImageSetuidRoot ? "IMAGE_SETUID" : "IMAGE_PLAIN";
        if (p.actor >= 0) lastExec_[p.actor] = static_cast<int>(k);
        break;
      case model::CallArguments::OptionalChild:
        if (!st.target.empty()) setTarget(st.target);
        if ((st.op & model::kWaitNohang) != 0) p.op = "WNOHANG";
        if (p.target.expr == "T_SWAPPER" && p.problem.empty())
          p.problem = "waitpid(0) waits for the caller's process group, not for the model's pid 0";
        break;
      case model::CallArguments::PtraceRequest:
        p.op = ptraceName(st.op);
        if (st.op != model::kPtTraceMe) setTarget(st.target);
        p.data = st.data != 0 ? model::signalName(st.data) : "0";
        if (st.op == model::kPtAttach && p.target.expr == "T_INIT" && p.problem.empty())
          p.problem = "this program does not attach to init: that would stop the machine's init";
        break;
      case model::CallArguments::KtraceOperation:
        setTarget(st.target);
        p.op = st.op == model::kKtrClear ? "KTROP_CLEAR" : "KTROP_SET";
        p.arg = st.op == model::kKtrSetInherit ? "KTRFAC_SYSCALL | KTRFAC_INHERIT" : "KTRFAC_SYSCALL";
        if (st.op != model::kKtrClear && p.target.expr == "T_INIT" && p.problem.empty())
          p.problem = "this program does not ktrace init: that would leave the machine's init traced";
        break;
      case model::CallArguments::Signal:
        setTarget(st.target);
        p.data = model::signalName(st.data);
        if (p.target.expr == "T_SWAPPER" && p.problem.empty())
          p.problem = "kill(0) signals the caller's process group, not the model's pid 0";
        break;
      case model::CallArguments::Descriptor:
        // The runtime keeps each worker's process descriptor at a fixed
        // number (FD_PD), which forks copy as the kernel does.
        setTarget(st.target);
        break;
      case model::CallArguments::SignalAction:
        p.op = st.op == KSIM_SIGACT_IGN ? "SIGACT_IGN" : st.op == KSIM_SIGACT_CATCH ? "SIGACT_HANDLER" : "SIGACT_DFL";
        p.data = model::signalName(st.data);
        break;
      case model::CallArguments::SignalMask:
        p.op = st.op == model::kSigBlock ? "SIG_BLOCK" : "SIG_UNBLOCK";
        p.data = model::signalName(st.data);
        break;
      case model::CallArguments::Procctl:
        setTarget(st.target);
        p.arg = st.idtype == KSIM_P_PGID ? "P_PGID" : "P_PID";
        if (model::isReaperCommand(st.op)) {
          planReaper(st, p);
          break;
        }
        p.op = st.op == model::kProcTraceEnable   ? "PROC_TRACE_CTL"
               : st.op == model::kProcTraceStatus ? "PROC_TRACE_STATUS"
                                                  : std::to_string(st.op);
        if (st.op == model::kProcTraceEnable && st.data == KSIM_PROC_TRACE_SET_ENABLED)
          p.data = "PROC_TRACE_CTL_ENABLE";
        else if (st.op == model::kProcTraceEnable && st.data == KSIM_PROC_TRACE_SET_DISABLED)
          p.data = "PROC_TRACE_CTL_DISABLE";
        else if (st.op == model::kProcTraceEnable && st.data == KSIM_PROC_TRACE_SET_DISABLED_EXEC)
          p.data = "PROC_TRACE_CTL_DISABLE_EXEC";
        else
          p.data = std::to_string(st.data);
        break;
    }
    // A call that stops at its entry (PTRACE_SCE) answers "sleeping" and
    // is made again as the actor's next step when resumed: the worker's
    // one call spans both steps, which this program's one command per
    // step cannot follow yet.
    if (st.expect.kind == model::Expectation::Kind::Sleeping &&
        model::callSpec(st.call).result != model::CallResult::SleepsForChild &&
        st.call != model::Call::Exec && p.problem.empty())
      p.problem = "the call stops at its entry (PTRACE_SCE) and its resumption is a second step: this program "
                  "makes each call once per step and cannot follow one across a system-call stop";
    // The initial processes of a reproducer are children of its
    // coordinator, not of init: getppid cannot answer 1 there.
    if (st.call == model::Call::Getppid && st.expect.kind == model::Expectation::Kind::Process &&
        st.expect.process == "init" && p.problem.empty())
      p.problem =
          "the reproducer's initial processes are children of its coordinator: getppid does not answer init";
    planExpectation(st, p);
    steps.push_back(std::move(p));
  }

  // The reaper requests: the command, PROC_REAP_KILL's signal and flags.
  // A status whose reaper the scenario says is init cannot match here:
  // the real init's descendants are the machine's processes.
  static void planReaper(const model::ScenarioStep& st, StepPlan& p) {
    p.reaper = true;
    p.op = st.op == model::kProcReapAcquire   ? "PROC_REAP_ACQUIRE"
           : st.op == model::kProcReapRelease ? "PROC_REAP_RELEASE"
           : st.op == model::kProcReapStatus  ? "PROC_REAP_STATUS"
                                              : "PROC_REAP_KILL";
    if (st.op == model::kProcReapKill) {
      p.data = model::findSignal(st.data) != nullptr ? model::signalName(st.data) : std::to_string(st.data);
      if ((st.reapKillFlags & KSIM_REAPER_KILL_CHILDREN) != 0) p.flags = "REAPER_KILL_CHILDREN";
    }
    for (const auto& [key, value] : st.expect.fields)
      if (((key == "reaper" && value == "init") ||
           (key == "flags" && value.find("REAPER_STATUS_REALINIT") != std::string::npos)) &&
          p.problem.empty())
        p.problem = "its reaper is init, whose descendants here are the machine's processes, not the model's";
  }

  void planExpectation(const model::ScenarioStep& st, StepPlan& p) const {
    using Kind = model::Expectation::Kind;
    const model::Expectation& e = st.expect;
    std::string written = model::formatExpectation(e);
    p.wantText = written.size() > 3 ? written.substr(3) : "";
    auto process = [&](const Ref& r) {
      p.expect = "X_PROCESS";
      p.want = r.expr;
      if (!r.problem.empty() && p.problem.empty()) p.problem = "its result names a process: " + r.problem;
    };
    switch (e.kind) {
      case Kind::None:
        p.expect = "X_NONE";
        break;
      case Kind::Errno:
        p.expect = "X_ERRNO";
        p.want = errnoExpr(e.number);
        break;
      case Kind::Number: {
        // A number where a pid is returned may be an initial process's
        // model pid: compare with that process's real pid.
        Ref r = returnsPid(st) && e.number > 1 ? resolve(std::to_string(e.number)) : Ref{};
        if (r.worker >= 0) {
          process(r);
        } else {
          p.expect = "X_NUMBER";
          p.want = std::to_string(e.number);
        }
        break;
      }
      case Kind::Process:
        process(resolve(e.process));
        break;
      case Kind::Sleeping:
        p.expect = "X_SLEEPING";
        break;
      case Kind::Panic:
        p.expect = "X_PANIC";
        break;
      case Kind::Hang:
        p.expect = "X_HANG";
        break;
      case Kind::LwpInfo:
        // The runtime answers pl_flags, cut to the flags the model
        // reports; pl_child_pid is not compared.  The system call's
        // number and argument count are, where the step writes them.
        p.expect = "X_NUMBER";
        p.want = std::to_string(e.number);
        for (const auto& [key, value] : e.fields) {
          if (key == "syscall") {
            auto sys = model::findFreebsdSyscall(std::string_view(value));
            p.wantSyscall = sys ? std::optional<int>(sys->code) : model::parseDecimalInt(value);
          } else if (key == "narg") {
            p.wantNarg = model::parseDecimalInt(value);
          } else if (key == "si_code") {
            p.wantSiCode = model::siCodeValue(value);
          }
        }
        break;
    }
  }

  /// Marks the steps of other processes that the scenario puts inside a
  /// window the model holds open and the real kernel does not.
  void addWindows() {
    auto mark = [&](std::size_t from, std::size_t to, int owner, const std::string& why) {
      for (std::size_t j = from + 1; j < to; ++j)
        if (steps[j].actor != owner) steps[j].windows.push_back(why);
    };
    bool build32 = std::any_of(steps.begin(), steps.end(),
                               [](const StepPlan& p) { return p.st->call == model::Call::Procctl32; });
    for (StepPlan& p : steps)
      if (build32 && p.st->call == model::Call::Procctl)
        p.windows.push_back(
            "built 32-bit for the scenario's procctl32 steps, this procctl enters "
            "freebsd32_procctl too");
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const StepPlan& p = steps[k];
      const model::ScenarioStep& st = *p.st;
      if (p.ref >= 0) {
        auto from = static_cast<std::size_t>(p.ref);
        const model::ScenarioStep& opened = *steps[from].st;
        if (st.call == model::Call::ForkFinish)
          mark(
              from, k, p.actor,
              fmt::format("the model keeps {} in PRS_NEW from line {} to line {}; the real fork has finished",
                          workers[static_cast<std::size_t>(p.child)].name, opened.line, st.line));
        else
          mark(from, k, p.actor,
               fmt::format("the model keeps {} in execve (P_INEXEC) from line {} to line {}; the real "
                           "execve has finished",
                           st.actor, opened.line, st.line));
      }
      int to = p.target.worker;
      bool signals = (st.call == model::Call::Kill && to != p.actor) ||
                     (st.call == model::Call::Ptrace &&
                      (st.op == model::kPtAttach || st.op == model::kPtKill ||
                       (model::ptraceResumesWithSignal(st.op) && st.data != 0)));
      if (!signals || to < 0) continue;
      for (std::size_t t = k + 1; t < steps.size(); ++t) {
        if (steps[t].actor != to || steps[t].st->call != model::Call::TakeSignal) continue;
        mark(k, t, to,
             fmt::format("the model leaves the signal sent at line {} pending until {}'s take-signal at line "
                         "{}; the real kernel acted on it at once",
                         st.line, workers[static_cast<std::size_t>(to)].name, steps[t].st->line));
        break;
      }
    }
  }

  const model::Scenario& sc_;
  std::vector<std::string> given_;
  std::map<std::string, int> current_;
  std::map<int, int> lastFork_, lastExec_;
};

// ---------------------------------------------------------------------------
// Writing the program.

/// What the scenario needs of the build and of the setup.
struct Needs {
  bool setuidImage = false;  ///< an exec of a setuid-root image
  bool procctl32 = false;    ///< a 32-bit build, for freebsd32_procctl
  bool eagainFork = false;   ///< a fork refused at maxproc: RLIMIT_NPROC
};

Needs needsOf(const model::Scenario& sc) {
  Needs n;
  for (const model::ScenarioStep& st : sc.steps) {
    n.setuidImage |= st.call == model::Call::Exec && st.op == model::kImageSetuidRoot;
    n.procctl32 |= st.call == model::Call::Procctl32;
    n.eagainFork |= model::callSpec(st.call).result == model::CallResult::SleepsForChild &&
                    st.expect.kind == model::Expectation::Kind::Errno && st.expect.number == KSIM_EAGAIN;
  }
  return n;
}

/// The file name the build command gives the reproducer: the scenario's
/// (kernel-assertion.scenario: kernel-assertion.c, as under reproducers/),
/// or repro.c where that name would need quoting in a shell.
std::string sourceName(const std::string& scenarioPath) {
  std::string stem = scenarioPath.substr(scenarioPath.find_last_of('/') + 1);
  if (stem.size() > 9 && stem.ends_with(".scenario")) stem.resize(stem.size() - 9);
  bool plain = !stem.empty() && stem[0] != '-' && std::all_of(stem.begin(), stem.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  return (plain ? stem : std::string("repro")) + ".c";
}

std::string headerComment(const model::Scenario& sc, const std::string& path, ReproducerForm form,
                          const Needs& needs) {
  std::string out = "/*-\n * ksim reproducer for " + commentSafe(path) + "\n";
  out += R"( *
 * UNTESTED ON A FREEBSD KERNEL.  ksim generated this program from the
 * scenario listed at the end of this comment.  It has been compiled, on
 * Linux, against a shim of the FreeBSD headers, but it has never run on
 * FreeBSD: its plumbing, and its reading of the kernel's answers, may be
 * wrong.  Take a verdict from it as a lead, not as proof.
 *
 * It replays the scenario's steps, in order, on the running kernel and
 * compares each result with the scenario's expectation ("= ...", what
 * ksim's model of the scenario's kernel variant answers).  It exits 0 if
 * every step agrees, 1 at the first that does not, 2 if it could not set
 * up.  Run it as root, by its path, outside jails, on a machine you can
 * reboot: a panic, and a change to the trace state of init or the
 * swapper, outlast the run.
 *
)";
  std::string m32 = needs.procctl32 ? " -m32" : "";
  if (form == ReproducerForm::IncludesRuntime) {
    out += fmt::format(R"( * This file is the scenario as tables.  The program around them, the
 * same for every scenario, is ksim_repro.c in properties/report/repro/ of
 * the ksim source tree, whose comment says how it works and how each call
 * of the model maps onto real calls.  One command builds this file on
 * FreeBSD, given that directory:
 *
 *	cc{1} -I /path/to/ksim/properties/report/repro -o repro {0}
 *	./repro
 *
 * (`ksim repro --standalone SCENARIO` writes the same program with
 * ksim_repro.c inlined, which builds without a ksim tree.)
)",
                       commentSafe(sourceName(path)), m32);
  } else {
    out += fmt::format(R"( * This file is the scenario as tables followed by ksim_repro.c, the
 * program around them, the same for every scenario, whose comment says
 * how it works and how each call of the model maps onto real calls.  One
 * command builds it on FreeBSD:
 *
 *	cc{1} -o repro {0}
 *	./repro
)",
                       commentSafe(sourceName(path)), m32);
  }
  if (needs.procctl32)
    out +=
        " *\n * -m32: the scenario's procctl32 steps enter freebsd32_procctl, from a\n"
        " * 32-bit program on a 64-bit kernel.\n";
  if (sc.config.kernel == model::KernelBuild::Production)
    out +=
        " *\n * kernel production: the scenario was found on a kernel without options\n"
        " * INVARIANTS, where a failed KASSERT is compiled out and the call goes on;\n"
        " * run it on such a kernel (an INVARIANTS kernel panics at that step).\n";
  out += " *\n * The scenario, as ksim read it:\n *\n";
  if (sc.variant) out += " *\tvariant " + commentSafe(*sc.variant) + "\n";
  if (sc.config.kernel != model::Config{}.kernel)
    out += " *\tkernel " + std::string(model::kernelBuildName(sc.config.kernel)) + "\n";
  for (const model::ProcessSpec& p : sc.config.processes)
    out +=
        commentSafe(" *\tprocess " + p.name + " " + p.user + (p.group != p.name ? " group " + p.group : "")) +
        "\n";
  out += fmt::format(" *\tmaxproc {}\n", sc.config.maxUserProcs);
  for (const std::string& s : sc.config.sysctlLines()) out += commentSafe(" *\tsysctl " + s) + "\n";
  for (const model::ScenarioStep& st : sc.steps)
    out += commentSafe(fmt::format(" *\tline {}: {}{}", st.line, model::formatStep(st),
                                   model::formatExpectation(st.expect))) +
           "\n";
  out += " *\n * Generated by ksim: regenerate it rather than edit it.\n */\n";
  return out;
}

/// What the runtime needs before its text: the scenario's numbers and the
/// model's calls.
std::string definitions(const model::Scenario& sc, const std::string& path, const Planner& plan,
                        const Needs& needs) {
  std::string out = "\n/* The scenario's file, sizes and needs, which ksim_repro.c reads. */\n";
  out += "#define\tSCENARIO_FILE\t\t" + cString(path) + "\n";
  out += fmt::format("#define\tNWORKERS\t\t{}\n", plan.workers.size());
  out += fmt::format("#define\tNSTEPS\t\t\t{}\n", plan.steps.size());
  out += fmt::format("#define\tNTUNABLES\t\t{}\n", sc.config.sysctlLines().size());
  out += fmt::format("#define\tNEED_SETUID_IMAGE\t{}\n", needs.setuidImage ? 1 : 0);
  out += fmt::format("#define\tNEED_PROCCTL32\t\t{}\n", needs.procctl32 ? 1 : 0);
  if (needs.eagainFork) {
    out += "/* A fork the model refuses at maxproc: RLIMIT_NPROC stands in for it. */\n";
    out += fmt::format("#define\tNPROC_LIMIT\t\t{}\n", sc.config.maxUserProcs);
  } else {
    out += "#define\tNPROC_LIMIT\t\t0\t/* RLIMIT_NPROC left as it is */\n";
  }
  out += fmt::format("#define\tMODEL_NCALLS\t\t{}\t/* the calls of the model that wrote it */\n",
                     model::kCallCount);
  return out;
}

/// The scenario's tables, which the runtime declares.
std::string tables(const model::Scenario& sc, const Planner& plan) {
  std::vector<std::string> sysctls = sc.config.sysctlLines();
  std::string out;
  out += "\n/* The processes of the scenario, one worker each. */\nenum {\n";
  for (std::size_t i = 0; i < plan.workers.size(); ++i)
    out += fmt::format("\t{} = {}{}\t/* {} */\n", plan.workers[i].ident, i,
                       i + 1 < plan.workers.size() ? "," : "", commentSafe(plan.workers[i].name));
  out += "};\n\nstatic const struct worker workers[NWORKERS] = {\n";
  for (const WorkerPlan& w : plan.workers) {
    auto ident = [&](int index) {
      return index < 0 ? std::string("-1") : plan.workers[static_cast<std::size_t>(index)].ident;
    };
    out += "\t/* " + commentSafe(w.origin) + " */\n";
    out += fmt::format("\t{{ .name = {}, .initial = {}, .uid = {}, .gid = {},\n", cString(w.name),
                       w.initial ? 1 : 0, w.uid, w.gid);
    out += fmt::format("\t  .leader = {}, .parent = {}, .forked_at = {} }},\n", ident(w.leader),
                       ident(w.parent), w.forkedAt);
  }
  out += "};\n\n/* The tunables the scenario fixes (restored at the end). */\n";
  out += "static struct tunable tunables[NTUNABLES] = {\n";
  for (const std::string& s : sysctls) {
    auto eq = s.find('=');
    out += fmt::format("\t{{ .name = {}, .value = {} }},\n", cString(s.substr(0, eq)), s.substr(eq + 1));
  }
  out += "};\n\n/* The steps, in the scenario's order. */\n";
  out += "static const struct step steps[NSTEPS + 1] = {\n";
  for (const StepPlan& p : plan.steps) {
    const model::ScenarioStep& st = *p.st;
    std::string text = model::formatStep(st);
    auto worker = [&](int index) {
      return index < 0 ? std::string("-1") : plan.workers[static_cast<std::size_t>(index)].ident;
    };
    out += "\t/* " +
           commentSafe(fmt::format("line {}: {}{}", st.line, text, model::formatExpectation(st.expect))) +
           " */\n";
    out += fmt::format("\t{{ .line = {}, .text = {},\n", st.line, cString(text));
    out +=
        fmt::format("\t  .actor = {}, .kind = {}, .target = {},\n", worker(p.actor), p.kind, p.target.expr);
    out += fmt::format("\t  .op = {}, .arg = {}, .data = {}, .badaddr = {},\n", p.op, p.arg, p.data,
                       st.goodAddress ? 0 : 1);
    if (p.reaper) {
      std::string fields;
      for (const auto& [key, value] : st.expect.fields) fields += " " + key + " " + value;
      out += fmt::format("\t  .flags = {}, .want_fields = {},\n", p.flags,
                         fields.empty() ? std::string("NULL") : cString(fields));
    }
    out += fmt::format("\t  .child = {}, .ref = {},\n", worker(p.child), p.ref);
    out += fmt::format("\t  .expect = {}, .want = {}, .want_text = {},\n", p.expect, p.want,
                       cString(p.wantText));
    if (st.expect.status)
      out += fmt::format("\t  .check_status = 1, .want_status = {},\n", *st.expect.status);
    if (p.wantSyscall) out += fmt::format("\t  .check_syscall = 1, .want_syscall = {},\n", *p.wantSyscall);
    if (p.wantNarg) out += fmt::format("\t  .check_narg = 1, .want_narg = {},\n", *p.wantNarg);
    if (p.wantSiCode) out += fmt::format("\t  .check_sicode = 1, .want_sicode = {:#x},\n", *p.wantSiCode);
    std::string window;
    for (const std::string& w : p.windows) window += (window.empty() ? "" : "; ") + w;
    out += "\t  .window = " + (window.empty() ? std::string("NULL") : cString(window)) + ",\n";
    out += "\t  .problem = " + (p.problem.empty() ? std::string("NULL") : cString(p.problem)) + " },\n";
  }
  out += "\t{ .line = 0 }\t\t\t/* end */\n};\n";
  return out;
}

}  // namespace

std::string reproducerSource(const model::Scenario& scenario, const std::string& scenarioPath,
                             ReproducerForm form) {
  Planner plan(scenario);
  Needs needs = needsOf(scenario);
  std::string out = headerComment(scenario, scenarioPath, form, needs);
  out += definitions(scenario, scenarioPath, plan, needs);
  if (form == ReproducerForm::IncludesRuntime) {
    out += fmt::format("\n#include \"{}\"\n", kReproducerRuntimeFile);
  } else {
    out += fmt::format(
        "\n/* ---------------------------------------------------------------------- */\n"
        "/* {}, the runtime, as ksim has it built in. */\n\n",
        kReproducerRuntimeFile);
    out += reproducerRuntime();
    out += fmt::format(
        "\n/* ---------------------------------------------------------------------- */\n"
        "/* The end of {}. */\n",
        kReproducerRuntimeFile);
  }
  out += "\n/* ---------------------------------------------------------------------- */\n";
  out += "/* The scenario. */\n";
  out += tables(scenario, plan);
  return out;
}

}  // namespace properties
