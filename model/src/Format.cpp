#include "model/Format.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ksim/flags.h"
#include "model/Config.hpp"
#include "model/Kernel.hpp"
#include "model/Signals.hpp"

namespace model {

namespace {

struct Name {
  std::uint32_t value;
  const char* name;
};

constexpr Name kErrnos[] = {
    {KSIM_EPERM, "EPERM"},   {KSIM_ESRCH, "ESRCH"},   {KSIM_EBADF, "EBADF"},   {KSIM_ECHILD, "ECHILD"},
    {KSIM_EFAULT, "EFAULT"}, {KSIM_EBUSY, "EBUSY"},   {KSIM_EINVAL, "EINVAL"}, {KSIM_EFBIG, "EFBIG"},
    {KSIM_EAGAIN, "EAGAIN"}, {KSIM_ENOSYS, "ENOSYS"},
};

constexpr Name kPFlags[] = {
    {KSIM_P_PPWAIT, "P_PPWAIT"},
    {KSIM_P_SUGID, "P_SUGID"},
    {KSIM_P_SYSTEM, "P_SYSTEM"},
    {KSIM_P_TRACED, "P_TRACED"},
    {KSIM_P_WAITED, "P_WAITED"},
    {KSIM_P_WEXIT, "P_WEXIT"},
    {KSIM_P_EXEC, "P_EXEC"},
    {KSIM_P_STOPPED_SIG, "P_STOPPED_SIG"},
    {KSIM_P_STOPPED_TRACE, "P_STOPPED_TRACE"},
    {KSIM_P_INEXEC, "P_INEXEC"},
    {KSIM_P_INMEM, "P_INMEM"},
    {KSIM_P_PPTRACE, "P_PPTRACE"},
};

constexpr Name kP2Flags[] = {
    {KSIM_P2_NOTRACE, "P2_NOTRACE"},
    {KSIM_P2_NOTRACE_EXEC, "P2_NOTRACE_EXEC"},
    {KSIM_P2_PTRACE_FSTP, "P2_PTRACE_FSTP"},
    // Not FreeBSD's: the model's mark of a thread suspended in ptracestop()
    // with no stop recorded (world.h); named so that a trace shows it.
    {KSIM_P2_SUSPENDED_UNREPORTED, "suspended-in-ptracestop"},
};

constexpr Name kKtrFlags[] = {
    {KSIM_KTRFAC_SYSCALL, "KTRFAC_SYSCALL"},
    {KSIM_KTRFAC_INHERIT, "KTRFAC_INHERIT"},
    {KSIM_KTRFAC_ROOT, "KTRFAC_ROOT"},
};

constexpr Name kPtraceEvents[] = {
    {KSIM_PTRACE_EXEC, "PTRACE_EXEC"}, {KSIM_PTRACE_SCE, "PTRACE_SCE"},     {KSIM_PTRACE_SCX, "PTRACE_SCX"},
    {KSIM_PTRACE_FORK, "PTRACE_FORK"}, {KSIM_PTRACE_LWP, "PTRACE_LWP"},   {KSIM_PTRACE_VFORK, "PTRACE_VFORK"},
};

constexpr Name kStopEvents[] = {
    {KSIM_PTSTOP_FORKED, "TDB_FORK"},
    {KSIM_PTSTOP_CHILD, "TDB_CHILD"},
    {KSIM_PTSTOP_SCX, "TDB_SCX"},
    {KSIM_PTSTOP_VFORK, "TDB_VFORK"},
};

template <std::size_t N>
std::string bitNames(std::uint32_t bits, const Name (&names)[N]) {
  if (bits == 0) return "0";
  std::string out;
  for (const Name& n : names)
    if (bits & n.value) {
      if (!out.empty()) out += '|';
      out += n.name;
      bits &= ~n.value;
    }
  if (bits != 0) {
    if (!out.empty()) out += '|';
    out += fmt::format("{:#x}", bits);
  }
  return out;
}

template <std::size_t N>
std::vector<std::string> bitDelta(std::uint32_t before, std::uint32_t after, const Name (&names)[N]) {
  std::vector<std::string> out;
  for (const Name& n : names) {
    if ((after & n.value) && !(before & n.value)) out.push_back(std::string("+") + n.name);
    if (!(after & n.value) && (before & n.value)) out.push_back(std::string("-") + n.name);
  }
  return out;
}

const char* stateName(std::uint8_t state) {
  switch (state) {
    case KSIM_PRS_NEW:
      return "new";
    case KSIM_PRS_NORMAL:
      return "running";
    case KSIM_PRS_ZOMBIE:
      return "zombie";
    default:
      return "free";
  }
}

std::string slotName(std::uint8_t slot, const ProcessNames& names) {
  if (slot == KSIM_NOSLOT) return "none";
  if (slot == KSIM_OPPID_REAPER) return "its reaper";  // p_oppid only
  return names[slot].empty() ? fmt::format("pid {}", ksim_slot_pid(slot)) : names[slot];
}

std::string pcName(const ksim_proc_rec& p, const ProcessNames& names) {
  switch (p.pc) {
    case KSIM_PC_EXEC_PLAIN:
      return "in execve";
    case KSIM_PC_EXEC_SETUID:
      return "in execve (setuid-root image)";
    case KSIM_PC_VFORK_WAIT:
      return "asleep in vfork for " + slotName(p.pc_arg, names);
    case KSIM_PC_FORK:
      return "in fork, building " + slotName(p.pc_arg, names);
    case KSIM_PC_VFORK:
      return "in vfork, building " + slotName(p.pc_arg, names);
    case KSIM_PC_SYSCALL_ENTRY:
      return p.pc_arg < kCallCount ? "at the entry of " + std::string(callKeyword(static_cast<Call>(p.pc_arg)))
                                   : "at a system call's entry";
    default:
      // A stop at a system call's exit keeps the call (PTRACE_SCX).
      return p.pc_arg < kCallCount ? "at the exit of " + std::string(callKeyword(static_cast<Call>(p.pc_arg)))
                                   : "in user mode";
  }
}

std::string sigNames(std::uint16_t pend) {
  std::string out;
  for (const SignalSpec& s : kSignals)
    if (pend & s.bit) out += (out.empty() ? "" : ",") + std::string(s.name);
  return out.empty() ? "none" : out;
}

const char* xstatName(std::uint8_t x) {
  switch (x) {
    case KSIM_XSTAT_EXITED:
      return "exited";
    case KSIM_XSTAT_KILLED:
      return "killed";
    case KSIM_XSTAT_CORE:
      return "killed, core dumped";
    default:
      return "-";
  }
}

}  // namespace

std::string signalName(int signal) {
  const SignalSpec* s = findSignal(signal);
  return s != nullptr ? std::string(s->name) : std::to_string(signal);
}

std::optional<int> signalNumber(std::string_view name) {
  for (const SignalSpec& s : kSignals)
    if (name == s.name) return s.signal;
  return std::nullopt;
}

std::string_view signalActionName(unsigned action) {
  switch (action) {
    case KSIM_SIGACT_IGN:
      return "SIG_IGN";
    case KSIM_SIGACT_CATCH:
      return "handler";
    default:
      return "SIG_DFL";
  }
}

std::optional<unsigned> signalActionNumber(std::string_view name) {
  for (unsigned action : {KSIM_SIGACT_DFL, KSIM_SIGACT_IGN, KSIM_SIGACT_CATCH})
    if (signalActionName(action) == name) return action;
  return std::nullopt;
}

std::string signalNames(bool sendableOnly) {
  std::string out;
  for (const SignalSpec& s : kSignals)
    if (s.sendable || !sendableOnly) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

std::string errnoName(int error) {
  for (const Name& n : kErrnos)
    if (static_cast<int>(n.value) == error) return n.name;
  return std::to_string(error);
}

int errnoValue(const std::string& name) {
  for (const Name& n : kErrnos)
    if (name == n.name) return static_cast<int>(n.value);
  return -1;
}

std::string pFlagNames(std::uint32_t flag) { return bitNames(flag, kPFlags); }
std::string p2FlagNames(std::uint32_t flag2) { return bitNames(flag2, kP2Flags); }
std::string ktraceFlagNames(std::uint32_t traceflag) { return bitNames(traceflag, kKtrFlags); }

int ProcessNames::find(const std::string& name) const {
  for (std::size_t i = 0; i < bySlot_.size(); ++i)
    if (bySlot_[i] == name) return static_cast<int>(i);
  return -1;
}

void ProcessNames::setByPid(int pid, const std::string& name) {
  for (unsigned slot = 0; slot < bySlot_.size(); ++slot)
    if (ksim_slot_pid(slot) == pid) bySlot_[slot] = name;
}

void ProcessNames::retire(unsigned slot) {
  std::string& name = bySlot_.at(slot);
  if (name.empty()) return;
  auto same =
      std::find_if(retired_.begin(), retired_.end(), [&](const Retired& r) { return r.name == name; });
  if (same == retired_.end())
    retired_.push_back({name, slot});
  else
    same->slot = slot;
  name.clear();
}

std::optional<unsigned> ProcessNames::retiredSlot(const std::string& name) const {
  if (find(name) >= 0) return std::nullopt;
  for (const Retired& r : retired_)
    if (r.name == name) return r.slot;
  return std::nullopt;
}

std::string ProcessNames::childName(unsigned parentSlot) const {
  for (unsigned n = 1;; ++n) {
    std::string candidate = fmt::format("{}.{}", bySlot_.at(parentSlot), n);
    if (find(candidate) < 0) return candidate;
  }
}

std::vector<std::string> describeChanges(const State& before, const State& after, const ProcessNames& names) {
  std::vector<std::string> lines;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& b = before.world.proc[i];
    const ksim_proc_rec& a = after.world.proc[i];
    std::string who = slotName(static_cast<std::uint8_t>(i), names);
    if (b.state != a.state) {
      if (b.state == KSIM_PRS_FREE) {
        lines.push_back(
            fmt::format("{}: created, pid {}, parent {}", who, ksim_slot_pid(i), slotName(a.pptr, names)));
        continue;
      }
      if (a.state == KSIM_PRS_FREE) {
        lines.push_back(fmt::format("{}: reaped", who));
        continue;
      }
      lines.push_back(
          fmt::format("{}: {} -> {}{}", who, stateName(b.state), stateName(a.state),
                      a.state == KSIM_PRS_ZOMBIE ? fmt::format(" ({})", xstatName(exitKind(a))) : ""));
    }
    if (a.state == KSIM_PRS_FREE) continue;
    std::vector<std::string> parts;
    for (auto& d : bitDelta(b.flag, a.flag, kPFlags)) parts.push_back(d);
    for (auto& d : bitDelta(b.flag2, a.flag2, kP2Flags)) parts.push_back(d);
    if (!parts.empty()) {
      std::string joined;
      for (auto& p : parts) joined += (joined.empty() ? "" : " ") + p;
      lines.push_back(fmt::format("{}: {}", who, joined));
    }
    if (b.traceflag != a.traceflag)
      lines.push_back(fmt::format("{}: p_traceflag {} -> {}", who, ktraceFlagNames(b.traceflag),
                                  ktraceFlagNames(a.traceflag)));
    if (b.pptr != a.pptr)
      lines.push_back(
          fmt::format("{}: p_pptr {} -> {}", who, slotName(b.pptr, names), slotName(a.pptr, names)));
    if (b.oppid != a.oppid)
      lines.push_back(
          fmt::format("{}: p_oppid {} -> {}", who, slotName(b.oppid, names), slotName(a.oppid, names)));
    if (b.euid != a.euid || b.ruid != a.ruid || b.svuid != a.svuid)
      lines.push_back(fmt::format("{}: uids (r/e/sv) {}/{}/{} -> {}/{}/{}", who, userName(b.ruid),
                                  userName(b.euid), userName(b.svuid), userName(a.ruid), userName(a.euid),
                                  userName(a.svuid)));
    if (b.pc != a.pc || b.pc_arg != a.pc_arg)
      lines.push_back(fmt::format("{}: {} -> {}", who, pcName(b, names), pcName(a, names)));
    if (pendingSignals(b) != pendingSignals(a))
      lines.push_back(fmt::format("{}: pending signals {} -> {}", who, sigNames(pendingSignals(b)),
                                  sigNames(pendingSignals(a))));
    if (blockedSignals(b) != blockedSignals(a))
      lines.push_back(fmt::format("{}: blocked signals {} -> {}", who, sigNames(blockedSignals(b)),
                                  sigNames(blockedSignals(a))));
    if (b.sigact != a.sigact) {
      auto actions = [](const ksim_proc_rec& p) {
        std::string text;
        for (const SignalSpec& s : kSignals)
          if (s.actionSlot != kNoActionSlot && signalAction(p, s) != KSIM_SIGACT_DFL)
            text += (text.empty() ? "" : ",") + std::string(s.name) + ":" +
                    std::string(signalActionName(signalAction(p, s)));
        return text.empty() ? std::string("all default") : text;
      };
      lines.push_back(fmt::format("{}: signal actions {} -> {}", who, actions(b), actions(a)));
    }
    if (b.ptevents != a.ptevents)
      lines.push_back(fmt::format("{}: ptrace events {} -> {}", who, bitNames(b.ptevents, kPtraceEvents),
                                  bitNames(a.ptevents, kPtraceEvents)));
    if (b.ptstop != a.ptstop) {
      auto stop = [&](const ksim_proc_rec& p) {
        std::string text = bitNames(p.ptstop & ((1u << KSIM_PTSTOP_CHILD_SHIFT) - 1), kStopEvents);
        unsigned child = p.ptstop >> KSIM_PTSTOP_CHILD_SHIFT;
        if (child != 0) text += " (child " + slotName(static_cast<std::uint8_t>(child - 1), names) + ")";
        return text;
      };
      lines.push_back(fmt::format("{}: fork events {} -> {}", who, stop(b), stop(a)));
    }
    if (pdHolders(b) != pdHolders(a)) {
      auto holders = [&](const ksim_proc_rec& p) {
        std::string text;
        for (unsigned h = 0; h < KSIM_NSLOTS; ++h)
          if ((pdHolders(p) & (1u << h)) != 0)
            text += (text.empty() ? "" : ", ") + slotName(static_cast<std::uint8_t>(h), names);
        return text.empty() ? std::string("none") : text;
      };
      lines.push_back(fmt::format("{}: process descriptor held by {} -> {}", who, holders(b), holders(a)));
    }
  }
  if (!before.panicked && after.panicked) lines.push_back("kernel: panicked");
  return lines;
}

std::string describeProcess(const State& s, unsigned slot, const ProcessNames& names) {
  const ksim_proc_rec& p = s.world.proc[slot];
  return fmt::format("{} pid {} {} uid {}/{}/{} parent {} p_flag {} p_flag2 {} p_traceflag {} {}",
                     slotName(static_cast<std::uint8_t>(slot), names), ksim_slot_pid(slot),
                     stateName(p.state), userName(p.ruid), userName(p.euid), userName(p.svuid),
                     slotName(p.pptr, names), pFlagNames(p.flag), p2FlagNames(p.flag2),
                     ktraceFlagNames(p.traceflag), pcName(p, names));
}

}  // namespace model
