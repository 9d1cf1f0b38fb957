#include "model/Scenario.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include "ksim/flags.h"
#include "model/Signals.hpp"

namespace model {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

struct Symbol {
  const char* name;
  int value;
};

constexpr Symbol kTraceValues[] = {
    {"PROC_TRACE_SET_ENABLED", KSIM_PROC_TRACE_SET_ENABLED},
    {"PROC_TRACE_SET_DISABLED", KSIM_PROC_TRACE_SET_DISABLED},
    {"PROC_TRACE_SET_DISABLED_EXEC", KSIM_PROC_TRACE_SET_DISABLED_EXEC},
};

constexpr Symbol kCommands[] = {
    {"PROC_TRACE_ENABLE", kProcTraceEnable}, {"PROC_TRACE_STATUS", kProcTraceStatus},
    {"PROC_REAP_ACQUIRE", kProcReapAcquire}, {"PROC_REAP_RELEASE", kProcReapRelease},
    {"PROC_REAP_STATUS", kProcReapStatus},   {"PROC_REAP_KILL", kProcReapKill},
};

// PROC_REAP_STATUS's rs_flags.
constexpr Symbol kReaperStatusFlags[] = {
    {"REAPER_STATUS_OWNED", KSIM_REAPER_STATUS_OWNED},
    {"REAPER_STATUS_REALINIT", KSIM_REAPER_STATUS_REALINIT},
};

// The fields of an out-structure a scenario can check after a step's
// result, in the order they are printed, and which request writes each:
// the reaper requests' (procctl) and PT_LWPINFO's system call.
struct ResultField {
  const char* key;
  Call call;    ///< Procctl (procctl32 too) or Ptrace
  int request;  ///< the procctl command or ptrace request
  enum class Kind : std::uint8_t { Flags, Count, Process, Syscall, SiCode } kind;
};
constexpr ResultField kResultFields[] = {
    {"flags", Call::Procctl, kProcReapStatus, ResultField::Kind::Flags},
    {"reaper", Call::Procctl, kProcReapStatus, ResultField::Kind::Process},
    {"children", Call::Procctl, kProcReapStatus, ResultField::Kind::Count},
    {"descendants", Call::Procctl, kProcReapStatus, ResultField::Kind::Count},
    {"pid", Call::Procctl, kProcReapStatus, ResultField::Kind::Process},
    {"killed", Call::Procctl, kProcReapKill, ResultField::Kind::Count},
    {"fpid", Call::Procctl, kProcReapKill, ResultField::Kind::Process},
    {"si_code", Call::Ptrace, kPtLwpinfo, ResultField::Kind::SiCode},
    {"syscall", Call::Ptrace, kPtLwpinfo, ResultField::Kind::Syscall},
    {"narg", Call::Ptrace, kPtLwpinfo, ResultField::Kind::Count},
};

const ResultField* findResultField(const std::string& key) {
  for (const ResultField& f : kResultFields)
    if (key == f.key) return &f;
  return nullptr;
}

// Whether a step of this call and request writes the field.
bool fieldBelongsTo(const ResultField& f, Call call, int request) {
  Call family = call == Call::Procctl32 ? Call::Procctl : call;
  return f.call == family && f.request == request;
}

// PT_LWPINFO's pl_syscall_code as a scenario writes it: the call's name
// in syscalls.master where the model has the call, else the number.
std::string syscallWord(int code) {
  if (auto sys = findFreebsdSyscall(code)) return std::string(sys->name);
  return std::to_string(code);
}
std::optional<int> parseSyscallWord(const std::string& word) {
  if (auto sys = findFreebsdSyscall(std::string_view(word))) return sys->code;
  auto n = parseDecimalInt(word);
  if (n && *n >= 0) return n;
  return std::nullopt;
}

std::string syscallNames() {
  std::string out;
  for (const CallSpec& c : kCalls)
    if (!c.syscall.name.empty() && out.find(std::string(c.syscall.name) + ",") == std::string::npos &&
        !out.ends_with(std::string(c.syscall.name)))
      out += (out.empty() ? "" : ", ") + std::string(c.syscall.name);
  return out;
}

constexpr Symbol kPtraceRequests[] = {
    {"PT_TRACE_ME", kPtTraceMe},
    {"PT_CONTINUE", kPtContinue},
    {"PT_STEP", kPtStep},
    {"PT_KILL", kPtKill},
    {"PT_LWPINFO", kPtLwpinfo},
    {"PT_SYSCALL", kPtSyscall},
    {"PT_TO_SCE", kPtToSce},
    {"PT_TO_SCX", kPtToScx},
    {"PT_FOLLOW_FORK", kPtFollowFork},
    {"PT_LWP_EVENTS", kPtLwpEvents},
    {"PT_GET_EVENT_MASK", kPtGetEventMask},
    {"PT_SET_EVENT_MASK", kPtSetEventMask},
    {"PT_ATTACH", kPtAttach},
    {"PT_DETACH", kPtDetach},
};

// pl_siginfo.si_code as a scenario writes it (FreeBSD's names; 0 is
// SI_NOINFO).
constexpr Symbol kSiCodes[] = {
    {"SI_NOINFO", kSiNoinfo}, {"TRAP_BRKPT", kTrapBrkpt}, {"TRAP_TRACE", kTrapTrace},
    {"SI_USER", kSiUser},     {"SI_KERNEL", kSiKernel},   {"SI_LWP", kSiLwp},
};

// The event-mask bits a scenario can name: those the model acts on.
constexpr Symbol kPtraceEvents[] = {
    {"PTRACE_EXEC", KSIM_PTRACE_EXEC}, {"PTRACE_SCE", KSIM_PTRACE_SCE}, {"PTRACE_SCX", KSIM_PTRACE_SCX},
    {"PTRACE_FORK", KSIM_PTRACE_FORK}, {"PTRACE_LWP", KSIM_PTRACE_LWP}, {"PTRACE_VFORK", KSIM_PTRACE_VFORK},
};

// PT_LWPINFO's flags the model reports, in FreeBSD's bit order.
constexpr Symbol kLwpFlags[] = {
    {"PL_FLAG_SCE", kPlFlagSce},         {"PL_FLAG_SCX", kPlFlagScx},
    {"PL_FLAG_EXEC", kPlFlagExec},       {"PL_FLAG_SI", kPlFlagSi},
    {"PL_FLAG_FORKED", kPlFlagForked},   {"PL_FLAG_CHILD", kPlFlagChild},
    {"PL_FLAG_VFORKED", kPlFlagVforked}, {"PL_FLAG_VFORK_DONE", kPlFlagVforkDone},
};

// Signals a wait status can name (FreeBSD's numbers).

// The signals kill(2) and a debugger's resume can send (not SIGTRAP, which
// only the kernel's events raise here).
// The signals sigaction and sigprocmask take: those with an action slot.
std::string actionSlotSignalNames() {
  std::string out;
  for (const SignalSpec& s : kSignals)
    if (s.actionSlot != kNoActionSlot) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

bool sendable(int signal) {
  const SignalSpec* s = findSignal(signal);
  return s != nullptr && s->sendable;
}

constexpr Symbol kKtraceOps[] = {
    {"set", kKtrSet},
    {"set-inherit", kKtrSetInherit},
    {"clear", kKtrClear},
};

template <std::size_t N>
std::optional<int> lookup(const std::string& word, const Symbol (&table)[N]) {
  for (const Symbol& s : table)
    if (word == s.name) return s.value;
  return std::nullopt;
}

template <std::size_t N>
std::string nameOf(int value, const Symbol (&table)[N]) {
  for (const Symbol& s : table)
    if (value == s.value) return s.name;
  return std::to_string(value);
}

// Bits written as names joined by '|' (or a number whose bits all have
// names); nullopt for any other word.
template <std::size_t N>
std::optional<int> parseMask(const std::string& word, const Symbol (&table)[N]) {
  int all = 0;
  for (const Symbol& s : table) all |= s.value;
  if (auto n = parseDecimalInt(word)) return (*n & ~all) == 0 ? std::optional<int>(*n) : std::nullopt;
  int mask = 0;
  std::size_t from = 0;
  for (;;) {
    std::size_t bar = word.find('|', from);
    auto bit = lookup(word.substr(from, bar == std::string::npos ? std::string::npos : bar - from), table);
    if (!bit) return std::nullopt;
    mask |= *bit;
    if (bar == std::string::npos) return mask;
    from = bar + 1;
  }
}

template <std::size_t N>
std::string formatMask(int mask, const Symbol (&table)[N]) {
  std::string out;
  for (const Symbol& s : table)
    if ((mask & s.value) != 0) out += (out.empty() ? "" : "|") + std::string(s.name);
  return out.empty() ? "0" : out;
}

template <std::size_t N>
std::string choices(const Symbol (&table)[N]) {
  std::string out;
  for (const Symbol& s : table) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// How a wait status is written after the child: "exited N", "killed SIG",
// "core SIG" (killed, core dumped), "stopped SIG"; FreeBSD's encoding.
std::optional<int> parseWaitStatus(const std::string& how, const std::string& what) {
  if (how == "exited") {
    auto code = parseDecimalInt(what);
    if (!code || *code > 255) return std::nullopt;
    return *code << 8;
  }
  auto sig = signalNumber(what);
  if (!sig) return std::nullopt;
  if (how == "killed") return *sig;
  if (how == "core") return *sig | 0x80;
  if (how == "stopped") return *sig << 8 | 0177;
  return std::nullopt;
}

std::string formatWaitStatus(int status) {
  if ((status & 0177) == 0177) return "stopped " + signalName(status >> 8);
  if ((status & 0177) == 0) return "exited " + std::to_string(status >> 8);
  return std::string((status & 0x80) != 0 ? "core " : "killed ") + signalName(status & 0177);
}

bool validName(const std::string& s) {
  return !s.empty() && !(s[0] >= '0' && s[0] <= '9') && s[0] != '-' &&
         s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.") ==
             std::string::npos;
}

}  // namespace

std::string ptraceRequestName(std::uint8_t request) { return nameOf(request, kPtraceRequests); }
std::string ktraceOperationName(std::uint8_t operation) { return nameOf(operation, kKtraceOps); }

std::optional<int> parseDecimalInt(std::string_view text) {
  std::string_view digits = text.substr(!text.empty() && text.front() == '-' ? 1 : 0);
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<int> siCodeValue(const std::string& word) {
  if (word == "0") return kSiNoinfo;
  return lookup(word, kSiCodes);
}

Scenario parseScenarioFile(const std::string& path) {
  auto fail = [&](const std::string& why) { return ScenarioError(path + ": " + why); };
  // O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file
  // ignores it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw fail(std::string("cannot open: ") + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw fail(std::string("cannot stat: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw fail("is a directory, not a scenario file");
  if (!S_ISREG(st.st_mode)) throw fail("is not a regular file (a device, FIFO or socket)");
  if (static_cast<std::uint64_t>(st.st_size) > kMaxScenarioBytes)
    throw fail(fmt::format("is {} bytes; a scenario has at most {}", st.st_size, kMaxScenarioBytes));
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw fail(std::string("read error: ") + std::strerror(errno));
    }
    if (n == 0) break;
    // The file may grow while it is read.
    if (text.size() + static_cast<std::size_t>(n) > kMaxScenarioBytes)
      throw fail(fmt::format("grew past {} bytes while being read", kMaxScenarioBytes));
    text.append(buffer, static_cast<std::size_t>(n));
  }
  int lineNo = 0;
  for (std::size_t at = 0; at < text.size();) {
    ++lineNo;
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (end - at > kMaxScenarioLineBytes)
      throw ScenarioError(
          fmt::format("{}:{}: line of {} bytes; at most {}", path, lineNo, end - at, kMaxScenarioLineBytes));
    at = end + 1;
  }
  std::istringstream in(text);
  return parseScenario(in, path);
}

Scenario parseScenario(std::istream& in, const std::string& fileName) {
  Scenario sc;
  sc.fileName = fileName;
  bool sawProcess = false, sawStep = false, sawOmit = false;
  std::vector<int> processLines;
  int maxprocLine = 0;
  FamilySet omitted = 0, included = 0;
  Config config;
  config.processes.clear();
  // A hand-written scenario may fork as far as the process table allows.
  config.maxUserProcs = kMaxUserProcs;
  config.sysctls = Config::defaults().sysctls;
  int lineNo = 0;
  auto fail = [&](const std::string& why) -> ScenarioError {
    return ScenarioError(fmt::format("{}:{}: {}", fileName, lineNo, why));
  };
  for (std::string raw; std::getline(in, raw);) {
    ++lineNo;
    std::string line = raw.substr(0, raw.find('#'));
    auto words = split(line);
    if (words.empty()) continue;
    const std::string& head = words[0];
    if (head == "variant" || head == "kernel" || head == "process" || head == "maxproc" || head == "sysctl" ||
        head == "omit" || head == "include") {
      if (sawStep) throw fail("'" + head + "' must come before the first step");
      if (head == "variant") {
        if (words.size() != 2) throw fail("expected: variant NAME");
        sc.variant = words[1];
        sc.variantLine = lineNo;
      } else if (head == "kernel") {
        auto build = words.size() == 2 ? findKernelBuild(words[1]) : std::nullopt;
        if (!build) throw fail("expected: kernel " + kernelBuildNames("|"));
        config.kernel = *build;
      } else if (head == "process") {
        // process NAME USER [group LEADER]
        if (words.size() != 3 && !(words.size() == 5 && words[3] == "group"))
          throw fail("expected: process NAME USER [group LEADER]");
        config.processes.push_back({words[1], words[2], words.size() == 5 ? words[4] : words[1]});
        processLines.push_back(lineNo);
        // Check this process alone now, so the error names its line.
        Config alone;
        alone.processes = {config.processes.back()};
        alone.processes.back().group = alone.processes.back().name;
        alone.maxUserProcs = kMaxUserProcs;
        if (auto why = alone.validate()) throw fail(*why);
        for (std::size_t k = 0; k + 1 < config.processes.size(); ++k)
          if (config.processes[k].name == words[1]) throw fail("process '" + words[1] + "' named twice");
        if (config.processes.size() > kMaxUserProcs)
          throw fail("too many initial processes (at most " + std::to_string(kMaxUserProcs) + ")");
        sawProcess = true;
      } else if (head == "omit") {
        if (words.size() != 2) throw fail("expected: omit FAMILY");
        auto family = findFamily(words[1]);
        if (!family) throw fail("unknown action family '" + words[1] + "'");
        omitted |= familyBit(*family);
        sawOmit = true;
      } else if (head == "include") {
        if (words.size() != 2) throw fail("expected: include FAMILY");
        auto family = findFamily(words[1]);
        if (!family || !familySpec(*family).optIn)
          throw fail("'include' names an opt-in family ('" + words[1] +
                     "' is not one; the others are in unless omitted)");
        included |= familyBit(*family);
      } else if (head == "maxproc") {
        auto n = words.size() == 2 ? parseDecimalInt(words[1]) : std::nullopt;
        if (!n || *n < 1) throw fail("expected: maxproc N (a positive number)");
        config.maxUserProcs = static_cast<unsigned>(*n);
        maxprocLine = lineNo;
      } else {
        auto eq = words.size() == 2 ? words[1].find('=') : std::string::npos;
        auto value = eq == std::string::npos ? std::nullopt : parseDecimalInt(words[1].substr(eq + 1));
        if (!value) throw fail("expected: sysctl NAME=NUMBER");
        if (!config.setSysctl(words[1].substr(0, eq), *value))
          throw fail("unknown sysctl '" + words[1].substr(0, eq) + "'");
      }
      continue;
    }
    sawStep = true;
    ScenarioStep st;
    st.line = lineNo;
    // Split off "= RESULT".
    std::vector<std::string> args;
    std::size_t i = 0;
    for (; i < words.size() && words[i] != "="; ++i) args.push_back(words[i]);
    if (i < words.size()) {
      // The reaper requests' fields follow procctl's result as KEY VALUE
      // pairs (wait's "C killed SIG" is a status, not a field).
      std::size_t end = words.size();
      bool procctl =
          args.size() >= 2 && (findCall(args[1]) == Call::Procctl || findCall(args[1]) == Call::Procctl32);
      // PT_LWPINFO's fields follow its flags (and the forked child).
      bool lwpFlags = args.size() >= 2 && findCall(args[1]) == Call::Ptrace && i + 1 < words.size() &&
                      words[i + 1].rfind("PL_FLAG_", 0) == 0;
      std::size_t fieldsAt = words.size();
      if (procctl && i + 2 < words.size() && findResultField(words[i + 2]) != nullptr) fieldsAt = i + 2;
      // (The forked child and "si_signo SIG", if written, come before them.)
      if (lwpFlags) {
        std::size_t k = i + 2;
        if (k < words.size() && findResultField(words[k]) == nullptr && words[k] != "si_signo") ++k;
        if (k < words.size() && words[k] == "si_signo") k += 2;
        if (k < words.size()) fieldsAt = k;
      }
      if (fieldsAt < words.size()) {
        if ((words.size() - fieldsAt) % 2 != 0) throw fail("a field after the result without its value");
        for (std::size_t k = fieldsAt; k < words.size(); k += 2) {
          const ResultField* f = findResultField(words[k]);
          if (f == nullptr)
            throw fail("unknown field '" + words[k] +
                       "' (procctl: flags, reaper, children, descendants, pid; killed, fpid; PT_LWPINFO: "
                       "si_code, syscall, narg)");
          std::string value = words[k + 1];
          if (f->kind == ResultField::Kind::Flags) {
            auto mask = parseMask(value, kReaperStatusFlags);
            if (!mask)
              throw fail("bad flags '" + value + "': " + choices(kReaperStatusFlags) + " joined by |, or 0");
            value = formatMask(*mask, kReaperStatusFlags);
          } else if (f->kind == ResultField::Kind::Count) {
            auto n = parseDecimalInt(value);
            if (!n || *n < 0) throw fail("bad " + words[k] + " '" + value + "': a count");
          } else if (f->kind == ResultField::Kind::SiCode) {
            auto code = value == "0" ? std::optional<int>(kSiNoinfo) : lookup(value, kSiCodes);
            if (!code) throw fail("bad si_code '" + value + "': " + choices(kSiCodes) + " or 0");
            value = nameOf(*code, kSiCodes);
          } else if (f->kind == ResultField::Kind::Syscall) {
            auto code = parseSyscallWord(value);
            if (!code)
              throw fail("bad syscall '" + value + "': a system call the model has (" + syscallNames() +
                         ") or a number");
            value = syscallWord(*code);
          } else if (!validName(value) && !parseDecimalInt(value)) {
            throw fail("bad " + words[k] + " '" + value + "': a process name, a pid or -1");
          }
          for (const auto& seen : st.expect.fields)
            if (seen.first == words[k]) throw fail("field '" + words[k] + "' written twice");
          st.expect.fields.emplace_back(words[k], value);
        }
        end = fieldsAt;
      }
      bool lwpinfo = i + 1 < end && words[i + 1].rfind("PL_FLAG_", 0) == 0;
      // PT_LWPINFO's flags, then the forked child if any, then
      // "si_signo SIG" if written.
      std::optional<int> siginfoSigno;
      if (lwpinfo && end - i >= 4 && words[end - 2] == "si_signo") {
        siginfoSigno = signalNumber(words[end - 1]);
        if (!siginfoSigno) throw fail("bad si_signo '" + words[end - 1] + "': " + signalNames());
        end -= 2;
      }
      bool withStatus = !lwpinfo && i + 4 == end;
      if (i + 2 != end && !(lwpinfo && i + 3 == end) && !withStatus)
        throw fail(
            "expected one result after '=' (or, for wait, CHILD exited N|killed SIG|core SIG|stopped SIG)");
      const std::string& res = words[i + 1];
      Expectation& e = st.expect;
      if (lwpinfo) {
        auto flags = parseMask(res, kLwpFlags);
        if (!flags) throw fail("bad PT_LWPINFO flags '" + res + "': " + choices(kLwpFlags) + " joined by |");
        e.kind = Expectation::Kind::LwpInfo, e.number = *flags;
        e.siginfoSigno = siginfoSigno;
        if (i + 3 == end) {
          if (!validName(words[i + 2])) throw fail("bad forked child '" + words[i + 2] + "'");
          e.process = words[i + 2];
        }
      } else if (int errnum = errnoValue(res); errnum >= 0) {
        e.kind = Expectation::Kind::Errno, e.number = errnum;
      } else if (auto n = parseDecimalInt(res)) {
        e.kind = Expectation::Kind::Number, e.number = *n;
      } else if (res == "sleeping") {
        e.kind = Expectation::Kind::Sleeping;
      } else if (res == "panic") {
        e.kind = Expectation::Kind::Panic;
      } else if (res == "hang") {
        e.kind = Expectation::Kind::Hang;
      } else if (validName(res)) {
        e.kind = Expectation::Kind::Process, e.process = res;
        if (withStatus) {
          e.status = parseWaitStatus(words[i + 2], words[i + 3]);
          if (!e.status)
            throw fail("bad wait status '" + words[i + 2] + " " + words[i + 3] +
                       "': exited 0-255, or killed, core or " + "stopped with " + signalNames());
        }
      } else {
        throw fail("bad result '" + res +
                   "': an errno name, a number, a process name, PT_LWPINFO flags, sleeping, panic or hang");
      }
      // Only a process (wait's child) takes the two words of a status.
      if (withStatus && e.kind != Expectation::Kind::Process)
        throw fail(
            "expected one result after '=' (or, for wait, CHILD exited N|killed SIG|core SIG|stopped SIG)");
    }
    if (args.size() < 2) throw fail("expected: PROCESS CALL [ARGS...] [= RESULT]");
    if (!validName(args[0])) throw fail("bad process name '" + args[0] + "'");
    st.actor = args[0];
    auto call = findCall(args[1]);
    if (!call) throw fail("unknown call '" + args[1] + "'");
    st.call = *call;
    if (st.expect.status && st.call != Call::Wait) throw fail("only wait's result has a status");
    std::vector<std::string> rest(args.begin() + 2, args.end());
    auto need = [&](std::size_t lo, std::size_t hi, const char* usage) {
      if (rest.size() < lo || rest.size() > hi) throw fail(fmt::format("expected: {} {}", args[1], usage));
    };
    auto targetArg = [&](const std::string& w) {
      if (!validName(w) && !parseDecimalInt(w)) throw fail("bad target '" + w + "': a process name or a pid");
      return w;
    };
    // The grammar the call's row in Syscall.def names.
    switch (callSpec(st.call).arguments) {
      case CallArguments::ChildName:
        need(0, 1, "[CHILD-NAME]");
        if (!rest.empty()) {
          if (!validName(rest[0])) throw fail("bad child name '" + rest[0] + "'");
          st.child = rest[0];
        }
        break;
      case CallArguments::ExecImage:
        need(0, 1, "[setuid-root]");
        if (!rest.empty() && rest[0] != "setuid-root")
          throw fail(args[1] + " takes no argument or setuid-root");
        st.op = rest.empty() ? kImagePlain : kImageSetuidRoot;
        break;
      case CallArguments::None:
        need(0, 0, "(no arguments)");
        break;
      case CallArguments::ExitCode:
        need(0, 1, "[CODE]");
        if (!rest.empty()) {
          auto code = parseDecimalInt(rest[0]);
          if (!code || *code > 255) throw fail("bad exit code '" + rest[0] + "': 0 to 255");
          st.op = static_cast<std::uint8_t>(*code);
        }
        break;
      case CallArguments::OptionalChild:
        need(0, 2, "[CHILD] [WNOHANG]");
        if (!rest.empty() && rest.back() == "WNOHANG") {
          st.op = kWaitNohang;
          rest.pop_back();
        }
        need(0, 1, "[CHILD] [WNOHANG]");
        if (!rest.empty()) st.target = targetArg(rest[0]);
        break;
      case CallArguments::PtraceRequest: {
        need(1, 3,
             "PT_TRACE_ME | PT_ATTACH PID | PT_DETACH PID | PT_CONTINUE PID [SIGQUIT] | PT_STEP PID [SIGNAL] | "
             "PT_SYSCALL PID [SIGNAL] | "
             "PT_TO_SCE PID [SIGNAL] | PT_TO_SCX PID [SIGNAL] | PT_KILL PID | "
             "PT_LWPINFO PID | PT_FOLLOW_FORK PID 0|1 | PT_LWP_EVENTS PID 0|1 | PT_GET_EVENT_MASK PID | "
             "PT_SET_EVENT_MASK PID MASK");
        auto req = lookup(rest[0], kPtraceRequests);
        if (!req) throw fail("unknown ptrace request '" + rest[0] + "' (" + choices(kPtraceRequests) + ")");
        st.op = static_cast<std::uint8_t>(*req);
        if (*req == kPtTraceMe) {
          need(1, 1, "PT_TRACE_ME");
          break;
        }
        switch (*req) {
          case kPtContinue:
          case kPtStep:
          case kPtDetach:
          case kPtSyscall:
          case kPtToSce:
          case kPtToScx:
            need(2, 3, (rest[0] + " PID [SIGNAL]").c_str());
            if (rest.size() == 3 && rest[2] != "0") {
              auto sig = signalNumber(rest[2]);
              if (!sig || !sendable(*sig))
                throw fail(rest[0] + " passes 0 or a signal: " + signalNames(true));
              st.data = static_cast<std::int8_t>(*sig);
            }
            break;
          case kPtFollowFork:
          case kPtLwpEvents:
            need(3, 3, (rest[0] + " PID 0|1").c_str());
            if (rest[2] != "0" && rest[2] != "1") throw fail(rest[0] + " takes 0 (off) or 1 (on)");
            st.data = rest[2] == "1" ? 1 : 0;
            break;
          case kPtSetEventMask: {
            need(3, 3, "PT_SET_EVENT_MASK PID MASK");
            auto mask = parseMask(rest[2], kPtraceEvents);
            if (!mask)
              throw fail("bad event mask '" + rest[2] + "': 0 or " + choices(kPtraceEvents) +
                         " joined by | (the other PTRACE_* events are not modelled)");
            st.data = static_cast<std::int8_t>(*mask);
            break;
          }
          default:
            need(2, 2, "REQUEST PID");
            break;
        }
        st.target = targetArg(rest[1]);
        break;
      }
      case CallArguments::KtraceOperation: {
        need(2, 2, "set|set-inherit|clear PID");
        auto op = lookup(rest[0], kKtraceOps);
        if (!op) throw fail("unknown ktrace operation '" + rest[0] + "' (" + choices(kKtraceOps) + ")");
        st.op = static_cast<std::uint8_t>(*op);
        st.target = targetArg(rest[1]);
        break;
      }
      case CallArguments::Signal: {
        need(2, 2, "PID SIGNAL");
        st.target = targetArg(rest[0]);
        auto sig = signalNumber(rest[1]);
        if (!sig || !sendable(*sig)) throw fail(args[1] + " sends one of " + signalNames(true));
        st.data = static_cast<std::int8_t>(*sig);
        break;
      }
      case CallArguments::Descriptor:
        need(1, 1, "PID (the process whose descriptor the caller closes)");
        st.target = targetArg(rest[0]);
        break;
      case CallArguments::SignalAction: {
        need(2, 2, "SIGNAL SIG_DFL|SIG_IGN|handler");
        auto sig = signalNumber(rest[0]);
        if (!sig || findSignal(*sig)->actionSlot == kNoActionSlot)
          throw fail("bad signal '" + rest[0] + "': " + args[1] + " takes " + actionSlotSignalNames() +
                     " (the others keep their default action here)");
        auto action = signalActionNumber(rest[1]);
        if (!action) throw fail("bad action '" + rest[1] + "': SIG_DFL, SIG_IGN or handler");
        st.data = static_cast<std::int8_t>(*sig);
        st.op = static_cast<std::uint8_t>(*action);
        break;
      }
      case CallArguments::SignalMask: {
        need(2, 2, "SIG_BLOCK|SIG_UNBLOCK SIGNAL");
        if (rest[0] == "SIG_BLOCK")
          st.op = kSigBlock;
        else if (rest[0] == "SIG_UNBLOCK")
          st.op = kSigUnblock;
        else
          throw fail("bad sigprocmask '" + rest[0] + "': SIG_BLOCK or SIG_UNBLOCK");
        auto sig = signalNumber(rest[1]);
        if (!sig || findSignal(*sig)->actionSlot == kNoActionSlot)
          throw fail("bad signal '" + rest[1] + "': " + args[1] + " takes " + actionSlotSignalNames() +
                     " (the others cannot be blocked here)");
        st.data = static_cast<std::int8_t>(*sig);
        break;
      }
      case CallArguments::Procctl: {
        need(3, 5, "P_PID|P_PGID ID COMMAND [VALUE] [BADADDR]");
        if (rest[0] == "P_PID")
          st.idtype = KSIM_P_PID;
        else if (rest[0] == "P_PGID")
          st.idtype = KSIM_P_PGID;
        else
          throw fail("unknown idtype '" + rest[0] + "' (P_PID, P_PGID)");
        st.target = targetArg(rest[1]);
        auto com = lookup(rest[2], kCommands);
        if (!com) com = parseDecimalInt(rest[2]);
        if (!com || *com < 0 || *com > 255)
          throw fail("unknown procctl command '" + rest[2] + "' (" + choices(kCommands) + " or a number)");
        st.op = static_cast<std::uint8_t>(*com);
        if (isReaperCommand(*com)) {
          // PROC_REAP_KILL SIGNAL [REAPER_KILL_CHILDREN]; the others take
          // nothing (their data pointer is NULL or a structure the model
          // fills: BADADDR is not modelled for them).
          std::size_t most = *com == kProcReapKill ? 5 : 3;
          if (rest.size() > most || (*com == kProcReapKill && rest.size() < 4))
            throw fail(*com == kProcReapKill
                           ? "expected: P_PID|P_PGID ID PROC_REAP_KILL SIGNAL [REAPER_KILL_CHILDREN]"
                           : "expected: P_PID|P_PGID ID " + rest[2]);
          if (*com == kProcReapKill) {
            // A signal ksim has, or a number it refuses (0 or less, or past
            // _SIG_MAXSIG: EINVAL before anything is signalled).
            auto sig = signalNumber(rest[3]);
            if (!sig) sig = parseDecimalInt(rest[3]);
            if (!sig || (*sig > 0 && !sendable(*sig)) || *sig < -128)
              throw fail("bad signal '" + rest[3] + "': " + signalNames(true) + ", or a number 0 or below");
            st.data = static_cast<std::int8_t>(*sig);
            if (rest.size() == 5) {
              if (rest[4] == "REAPER_KILL_SUBTREE")
                throw fail("REAPER_KILL_SUBTREE is not modelled (no p_reapsubtree)");
              if (rest[4] != "REAPER_KILL_CHILDREN")
                throw fail("unexpected '" + rest[4] + "' (REAPER_KILL_CHILDREN)");
              st.reapKillFlags = KSIM_REAPER_KILL_CHILDREN;
            }
          }
          break;
        }
        std::size_t k = 3;
        if (*com != kProcTraceStatus) {
          if (rest.size() < 4 || rest[3] == "BADADDR") throw fail("missing value for " + rest[2]);
          auto v = lookup(rest[3], kTraceValues);
          if (!v) v = parseDecimalInt(rest[3]);
          if (!v || *v < -128 || *v > 127)
            throw fail("bad value '" + rest[3] + "' (" + choices(kTraceValues) + " or a small number)");
          st.data = static_cast<std::int8_t>(*v);
          k = 4;
        }
        if (rest.size() > k) {
          if (rest[k] != "BADADDR" || rest.size() > k + 1) throw fail("unexpected '" + rest[k] + "'");
          st.goodAddress = false;
        }
        break;
      }
    }
    for (const auto& field : st.expect.fields) {
      const ResultField* f = findResultField(field.first);
      if (f == nullptr || !fieldBelongsTo(*f, st.call, st.op))
        throw fail("field '" + field.first + "' belongs to " +
                   (f != nullptr && f->call == Call::Ptrace ? nameOf(f->request, kPtraceRequests)
                                                            : nameOf(f ? f->request : 0, kCommands)) +
                   "'s result, not this step's");
    }
    sc.steps.push_back(st);
  }
  if (sawProcess) sc.config.processes = config.processes;
  // The opt-in families are out unless included, with "omit" lines or not.
  if (sawOmit) sc.config.omitted = omitted | kOptInFamilies;
  sc.config.omitted &= ~included;
  sc.config.maxUserProcs = config.maxUserProcs;
  sc.config.sysctls = config.sysctls;
  sc.config.kernel = config.kernel;
  // What involves several lines: group leaders, then the process limit.
  for (std::size_t k = 0; k < config.processes.size(); ++k) {
    const ProcessSpec& p = config.processes[k];
    bool leaderOk = p.group == p.name;
    for (const ProcessSpec& q : config.processes) leaderOk |= q.name == p.group && q.group == q.name;
    if (!leaderOk) {
      lineNo = processLines[k];
      throw fail("process " + p.name + " joins group '" + p.group +
                 "', which is not led by an initial process");
    }
  }
  if (auto why = sc.config.validate()) {
    lineNo = maxprocLine;
    if (lineNo == 0) throw ScenarioError(fmt::format("{}: {}", fileName, *why));
    throw fail(*why);
  }
  return sc;
}

std::string formatStep(const ScenarioStep& st) {
  std::string out = st.actor + " " + std::string(callKeyword(st.call));
  switch (callSpec(st.call).arguments) {
    case CallArguments::ChildName:
      if (!st.child.empty()) out += " " + st.child;
      break;
    case CallArguments::ExecImage:
      if (st.op == kImageSetuidRoot) out += " setuid-root";
      break;
    case CallArguments::None:
      break;
    case CallArguments::ExitCode:
      if (st.op != 0) out += " " + std::to_string(st.op);
      break;
    case CallArguments::OptionalChild:
      if (!st.target.empty()) out += " " + st.target;
      if ((st.op & kWaitNohang) != 0) out += " WNOHANG";
      break;
    case CallArguments::PtraceRequest:
      out += " " + ptraceRequestName(st.op);
      if (st.op != kPtTraceMe) out += " " + st.target;
      if (ptraceResumesWithSignal(st.op) && st.data != 0) out += " " + signalName(st.data);
      if (st.op == kPtFollowFork || st.op == kPtLwpEvents) out += st.data != 0 ? " 1" : " 0";
      if (st.op == kPtSetEventMask) out += " " + formatMask(st.data, kPtraceEvents);
      break;
    case CallArguments::KtraceOperation:
      out += " " + ktraceOperationName(st.op) + " " + st.target;
      break;
    case CallArguments::Signal:
      out += " " + st.target + " " + signalName(st.data);
      break;
    case CallArguments::Descriptor:
      out += " " + st.target;
      break;
    case CallArguments::SignalAction:
      out += " " + signalName(st.data) + " " + std::string(signalActionName(st.op));
      break;
    case CallArguments::SignalMask:
      out += std::string(st.op == kSigBlock ? " SIG_BLOCK " : " SIG_UNBLOCK ") + signalName(st.data);
      break;
    case CallArguments::Procctl:
      out += st.idtype == KSIM_P_PGID ? " P_PGID " : " P_PID ";
      out += st.target + " " + nameOf(st.op, kCommands);
      if (st.op == kProcReapKill) {
        out += " " + (findSignal(st.data) != nullptr ? signalName(st.data) : std::to_string(st.data));
        if ((st.reapKillFlags & KSIM_REAPER_KILL_CHILDREN) != 0) out += " REAPER_KILL_CHILDREN";
      } else if (st.op != kProcTraceStatus && !isReaperCommand(st.op)) {
        out += " " + nameOf(st.data, kTraceValues);
      }
      if (!st.goodAddress) out += " BADADDR";
      break;
  }
  return out;
}

namespace {

std::string formatFields(const Expectation& e) {
  std::string out;
  for (const auto& [key, value] : e.fields) out += " " + key + " " + value;
  return out;
}

}  // namespace

std::string formatExpectation(const Expectation& e) {
  if (!e.fields.empty()) {
    Expectation bare = e;
    bare.fields.clear();
    return formatExpectation(bare) + formatFields(e);
  }
  switch (e.kind) {
    case Expectation::Kind::None:
      return "";
    case Expectation::Kind::Errno:
      return " = " + errnoName(e.number);
    case Expectation::Kind::Number:
      return " = " + std::to_string(e.number);
    case Expectation::Kind::Process:
      return " = " + e.process + (e.status ? " " + formatWaitStatus(*e.status) : "");
    case Expectation::Kind::Sleeping:
      return " = sleeping";
    case Expectation::Kind::Panic:
      return " = panic";
    case Expectation::Kind::Hang:
      return " = hang";
    case Expectation::Kind::LwpInfo:
      return " = " + formatMask(e.number, kLwpFlags) + (e.process.empty() ? "" : " " + e.process) +
             (e.siginfoSigno ? " si_signo " + signalName(*e.siginfoSigno) : "");
  }
  return "";
}

std::vector<std::string> formatConfig(const Config& config, const std::string& variant) {
  std::vector<std::string> lines;
  lines.push_back("variant " + variant);
  // Only a kernel other than the default is written: a scenario without
  // the line is an INVARIANTS kernel's, as every one written before was.
  if (config.kernel != Config{}.kernel)
    lines.push_back("kernel " + std::string(kernelBuildName(config.kernel)));
  for (const ProcessSpec& p : config.processes)
    lines.push_back("process " + p.name + " " + p.user + (p.group != p.name ? " group " + p.group : ""));
  lines.push_back("maxproc " + std::to_string(config.maxUserProcs));
  // An opt-in family is written when it is in, the others when out.
  for (const FamilySpec& f : kFamilies)
    if (config.omits(f.family) && !f.optIn) lines.push_back("omit " + std::string(f.name));
  for (const FamilySpec& f : kFamilies)
    if (!config.omits(f.family) && f.optIn) lines.push_back("include " + std::string(f.name));
  for (const std::string& s : config.sysctlLines()) lines.push_back("sysctl " + s);
  return lines;
}

namespace {

std::string targetText(std::uint8_t target, const ProcessNames& names) {
  if (target == kTargetMissing) return std::to_string(kMissingPid);
  if (target == kNoTarget) return "";
  if (target == KSIM_SLOT_SWAPPER) return "0";
  return names[target].empty() ? std::to_string(ksim_slot_pid(target)) : names[target];
}

}  // namespace

Action resolveStep(const ScenarioStep& st, const ProcessNames& names, const State& state,
                   const std::string& fileName) {
  auto fail = [&](const std::string& why) {
    return ScenarioError(fmt::format("{}:{}: {}", fileName, st.line, why));
  };
  auto slotOf = [&](const std::string& name) -> std::uint8_t {
    int slot = names.find(name);
    if (slot < 0 || !isLive(state.world.proc[slot]))
      throw fail("no process named '" + name + "' at this step");
    return static_cast<std::uint8_t>(slot);
  };
  Action a;
  a.actor = slotOf(st.actor);
  a.call = st.call;
  a.op = st.op;
  a.idtype = st.idtype;
  a.data = st.data;
  a.goodAddress = withReapKillFlags(st.goodAddress, st.reapKillFlags);
  if (!st.target.empty()) {
    if (auto pid = parseDecimalInt(st.target)) {
      if (*pid == kMissingPid) {
        a.target = kTargetMissing;
      } else {
        a.target = kNoTarget;
        for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
          if (ksim_slot_pid(i) == *pid) a.target = static_cast<std::uint8_t>(i);
        if (a.target == kNoTarget)
          throw fail(
              fmt::format("pid {} is not modelled: name a process, or use 0, 1 or {} (no such process)", *pid,
                          kMissingPid));
      }
    } else if (auto slot = names.retiredSlot(st.target)) {
      // A reaped process's pid names no process any more: the call meets
      // what a pid of no process meets (ESRCH, or ECHILD for wait).  As a
      // process group's id it still names the group while the group has
      // members (leavepgrp() deletes a group only when it is empty): the
      // kernel looks the group up by that pid.
      a.target = a.idtype == KSIM_P_PGID ? static_cast<std::uint8_t>(*slot) : kTargetMissing;
    } else {
      a.target = slotOf(st.target);
    }
  }
  // kill(2) reads pid 0 as "my process group" (sys_kill, killpg1), which
  // the model does not have: no kill names the swapper.
  if (a.call == Call::Kill && a.target == KSIM_SLOT_SWAPPER)
    throw fail("kill cannot name the swapper: kill(2) with pid 0 signals the caller's process group, "
               "which is not modelled");
  return a;
}

namespace {

// The reaper requests' out fields, as a scenario writes them: processes by
// name where they have one.
void reaperFields(const StepResult& r, const ProcessNames& names, Expectation& e) {
  auto process = [&](std::uint8_t slot) {
    if (slot >= KSIM_NSLOTS) return std::string("-1");
    return names[slot].empty() ? std::to_string(ksim_slot_pid(slot)) : names[slot];
  };
  if (r.reaperStatus) {
    const ReaperStatus& st = *r.reaperStatus;
    e.fields = {{"flags", formatMask(st.flags, kReaperStatusFlags)},
                {"reaper", process(st.reaper)},
                {"children", std::to_string(st.children)},
                {"descendants", std::to_string(st.descendants)},
                {"pid", process(st.pid)}};
  }
  if (r.reaperKill)
    e.fields = {{"killed", std::to_string(r.reaperKill->killed)}, {"fpid", process(r.reaperKill->failed)}};
}

}  // namespace

Expectation observed(const Action& a, const StepResult& r, const ProcessNames& namesAfter) {
  Expectation e;
  if (r.outcome == Outcome::Returned) reaperFields(r, namesAfter, e);
  switch (r.outcome) {
    case Outcome::Sleeping:
      e.kind = Expectation::Kind::Sleeping;
      return e;
    case Outcome::Panic:
      e.kind = Expectation::Kind::Panic;
      return e;
    case Outcome::Hang:
      e.kind = Expectation::Kind::Hang;
      return e;
    case Outcome::Returned:
      break;
  }
  if (r.error != 0) {
    e.kind = Expectation::Kind::Errno, e.number = r.error;
    return e;
  }
  int value = r.value.value_or(0);
  if (a.call == Call::Ptrace && a.op == kPtLwpinfo) {
    e.kind = Expectation::Kind::LwpInfo, e.number = value;
    if (r.reportedChild && *r.reportedChild < KSIM_NSLOTS) e.process = namesAfter[*r.reportedChild];
    if (r.siginfoSigno) e.siginfoSigno = *r.siginfoSigno;
    if (r.siginfoCode) e.fields.emplace_back("si_code", nameOf(*r.siginfoCode, kSiCodes));
    if (r.lwpSyscall) {
      e.fields.emplace_back("syscall", syscallWord(r.lwpSyscall->code));
      if (r.lwpSyscall->narg >= 0) e.fields.emplace_back("narg", std::to_string(r.lwpSyscall->narg));
    }
    return e;
  }
  if (valueIsPid(a.call, a.op, value)) {
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
      if (ksim_slot_pid(i) == value && !namesAfter[i].empty()) {
        e.kind = Expectation::Kind::Process, e.process = namesAfter[i];
        e.status = r.waitStatus;
        return e;
      }
  }
  e.kind = Expectation::Kind::Number, e.number = value;
  return e;
}

bool meets(const Expectation& want, const Expectation& got, const ProcessNames& names, const State& after) {
  (void)after;
  if (want.kind == Expectation::Kind::None) return true;
  auto pidOf = [&](const Expectation& e) -> std::optional<int> {
    if (e.kind == Expectation::Kind::Number) return e.number;
    if (e.kind == Expectation::Kind::Process) {
      int slot = names.find(e.process);
      if (slot >= 0) return ksim_slot_pid(static_cast<unsigned>(slot));
    }
    return std::nullopt;
  };
  // A wait's status is compared only where the scenario writes one.
  if (want.status && want.status != got.status) return false;
  // So is PT_LWPINFO's si_signo.
  if (want.siginfoSigno && want.siginfoSigno != got.siginfoSigno) return false;
  // So is each field of a reaper request: a process by its pid (a name
  // or a number may stand for it), the others as written.
  auto fieldPid = [&](const std::string& value) -> std::optional<int> {
    if (auto n = parseDecimalInt(value)) return n;
    int slot = names.find(value);
    if (slot >= 0) return ksim_slot_pid(static_cast<unsigned>(slot));
    return std::nullopt;
  };
  // PT_LWPINFO reports pl_syscall_code and pl_syscall_narg 0 at a stop
  // that is not at a system call's entry or exit (no "syscall" observed).
  bool syscallStop =
      std::any_of(got.fields.begin(), got.fields.end(), [](const auto& f) { return f.first == "syscall"; });
  for (const auto& [key, value] : want.fields) {
    auto at =
        std::find_if(got.fields.begin(), got.fields.end(), [&](const auto& f) { return f.first == key; });
    const ResultField* f = findResultField(key);
    if (at == got.fields.end()) {
      if (f != nullptr && f->kind != ResultField::Kind::SiCode && f->call == Call::Ptrace && !syscallStop &&
          got.kind == Expectation::Kind::LwpInfo && (value == "0" || value == syscallWord(0)))
        continue;
      return false;
    }
    bool same = f != nullptr && f->kind == ResultField::Kind::Process
                    ? fieldPid(value).has_value() && fieldPid(value) == fieldPid(at->second)
                    : value == at->second;
    if (!same) return false;
  }
  if ((want.kind == Expectation::Kind::Number || want.kind == Expectation::Kind::Process) &&
      (got.kind == Expectation::Kind::Number || got.kind == Expectation::Kind::Process))
    return pidOf(want) == pidOf(got) && pidOf(want).has_value();
  return want.kind == got.kind && want.number == got.number && want.process == got.process;
}

ScenarioStep stepFromAction(const Action& a, const StepResult& r, const ProcessNames& names,
                            const std::string& childName) {
  ScenarioStep st;
  st.actor = names[a.actor];
  st.call = a.call;
  st.op = a.op;
  st.idtype = a.idtype;
  st.data = a.data;
  st.goodAddress = (a.goodAddress & 1u) != 0;
  if ((a.call == Call::Procctl || a.call == Call::Procctl32) && a.op == kProcReapKill)
    st.reapKillFlags = reapKillFlags(a.goodAddress);
  st.child = childName;
  if (a.call == Call::Ptrace && a.op == kPtTraceMe) {
    // no target
  } else {
    st.target = targetText(a.target, names);
  }
  ProcessNames after = names;
  if (!childName.empty() && r.value) after.setByPid(*r.value, childName);
  st.expect = observed(a, r, after);
  return st;
}

}  // namespace model
