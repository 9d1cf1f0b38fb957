#include "model/Config.hpp"

#include <set>
#include <sstream>

#include "ksim/world.h"

namespace model {

const std::vector<User>& knownUsers() {
  static const std::vector<User> users = {
      {"root", 0, 0},
      {"alice", 1001, 1001},
      {"bob", 1002, 1002},
  };
  return users;
}

std::optional<User> findUser(const std::string& name) {
  for (const User& u : knownUsers())
    if (u.name == name) return u;
  return std::nullopt;
}

std::string userName(std::uint16_t uid) {
  for (const User& u : knownUsers())
    if (u.uid == uid) return u.name;
  return std::to_string(uid);
}

std::optional<KernelBuild> findKernelBuild(std::string_view name) {
  for (const KernelBuildInfo& k : kKernelBuilds)
    if (k.name == name) return k.build;
  return std::nullopt;
}

std::string kernelBuildNames(std::string_view separator) {
  std::string out;
  for (const KernelBuildInfo& k : kKernelBuilds)
    out += (out.empty() ? "" : std::string(separator)) + std::string(k.name);
  return out;
}

std::vector<User> Config::interchangeableUsers() const {
  std::vector<User> users;
  if (!reduction) return users;
  // Root is never one of them: uid 0 is privileged, the kernel tests for
  // it.  Every other user is named only by the processes that run as it;
  // a user no process runs as never appears in a state (exec of a
  // setuid-root image makes root, nothing makes another user), so
  // leaving it out changes nothing but the work.
  for (const User& u : knownUsers()) {
    if (u.uid == 0) continue;
    for (const ProcessSpec& p : processes)
      if (p.user == u.name) {
        users.push_back(u);
        break;
      }
  }
  if (users.size() < 2) users.clear();
  return users;
}

Config Config::defaults() {
  Config c;
  // One process that may fork once: every interleaving of the two, with
  // every call, finishes in well under a minute.  Setuid-root images (a
  // second, privileged identity) multiply the states by five: ask for them
  // with --omit none.  getppid, PT_LWPINFO and PT_GET_EVENT_MASK change no
  // state and no property judges their answers: trying them would only
  // add steps that lead nowhere.
  c.processes = {{"A", "alice", "A"}};
  c.maxUserProcs = 2;
  // The other signals of kill-signals multiply the states and no property
  // of the patch tells them apart from SIGQUIT's death and PT_ATTACH's
  // stop: they are for scenarios and for a check that asks for them.
  // The system-call stops and the vfork-done stop are new ways to stop,
  // omitted so that the default world stays the one results/ was made
  // from; getpid likewise.  The opt-in families (Syscall.def: the reaper,
  // newer than the patch, which only freebsd-current has) stay out too,
  // so that the default world is the patch's.
  for (CallFamily f :
       {CallFamily::ExecSetuid, CallFamily::Getppid, CallFamily::PtraceQueries, CallFamily::KillSignals,
        CallFamily::PtraceSyscall, CallFamily::PtraceVfork, CallFamily::Getpid})
    c.omitted |= familyBit(f);
  c.omitted |= kOptInFamilies;
  return c;
}

namespace {

struct SysctlField {
  const char* name;
  int ksim_sysctls::*field;
  /// The setting that turns the tunable's protection, or its permission,
  /// the other way from FreeBSD's default (sysctlVariations()): no cores,
  /// cores of setuid processes, a raised securelevel, other users' and
  /// groups' processes hidden, no unprivileged debugging.
  int contrary;
};

constexpr SysctlField kSysctls[] = {
    {"kern.coredump", &ksim_sysctls::kern_coredump, 0},
    {"kern.sugid_coredump", &ksim_sysctls::kern_sugid_coredump, 1},
    {"kern.securelevel", &ksim_sysctls::securelevel, 1},
    {"security.bsd.see_other_uids", &ksim_sysctls::security_bsd_see_other_uids, 0},
    {"security.bsd.see_other_gids", &ksim_sysctls::security_bsd_see_other_gids, 0},
    {"security.bsd.unprivileged_proc_debug", &ksim_sysctls::security_bsd_unprivileged_proc_debug, 0},
};

}  // namespace

bool Config::setSysctl(const std::string& name, int value) {
  for (const auto& s : kSysctls)
    if (name == s.name) {
      sysctls.*s.field = value;
      return true;
    }
  return false;
}

std::vector<SysctlVariation> Config::sysctlVariations() const {
  std::vector<SysctlVariation> out;
  for (const auto& s : kSysctls) {
    // The contrary setting, or FreeBSD's default if the world has the contrary one already.
    int value = sysctls.*s.field != s.contrary ? s.contrary : kDefaultSysctls.*s.field;
    if (value == sysctls.*s.field) continue;
    SysctlVariation v{std::string(s.name) + "=" + std::to_string(value), *this};
    v.config.sysctls.*s.field = value;
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::string> sysctlSettings(const std::vector<SysctlVariation>& variations) {
  std::vector<std::string> out;
  for (const auto& v : variations) out.push_back(v.setting);
  return out;
}

std::vector<std::string> Config::sysctlLines() const {
  std::vector<std::string> lines;
  for (const auto& s : kSysctls)
    lines.push_back(std::string(s.name) + "=" + std::to_string(sysctls.*s.field));
  return lines;
}

std::optional<std::string> Config::validate() const {
  if (processes.empty()) return "no initial process: name at least one";
  if (processes.size() > kMaxUserProcs)
    return "too many initial processes: " + std::to_string(processes.size()) + " (at most " +
           std::to_string(kMaxUserProcs) + ")";
  if (maxUserProcs < processes.size() || maxUserProcs > kMaxUserProcs)
    return "maxproc must be between the number of initial processes (" + std::to_string(processes.size()) +
           ") and " + std::to_string(kMaxUserProcs) + ", got " + std::to_string(maxUserProcs);
  std::set<std::string> names;
  for (const ProcessSpec& p : processes) {
    if (p.name.empty() || p.name == "init" || p.name == "swapper" ||
        p.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.") !=
            std::string::npos ||
        (p.name[0] >= '0' && p.name[0] <= '9'))
      return "bad process name '" + p.name + "': letters, digits, '_' and '.', not starting with a digit";
    if (!names.insert(p.name).second) return "process '" + p.name + "' named twice";
    if (!findUser(p.user))
      return "unknown user '" + p.user + "' for process " + p.name + " (root, alice, bob)";
  }
  for (const ProcessSpec& p : processes) {
    if (p.group == p.name) continue;
    bool found = false;
    for (const ProcessSpec& q : processes)
      if (q.name == p.group) found = (q.group == q.name);
    if (!found)
      return "process " + p.name + " joins group '" + p.group + "', which is not led by an initial process";
  }
  return std::nullopt;
}

std::optional<ProcessSpec> parseProcessSpec(std::string_view text) {
  std::vector<std::string> parts;
  std::stringstream in{std::string(text)};
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  return ProcessSpec{parts[0], parts[1], parts.size() == 3 ? parts[2] : parts[0]};
}

}  // namespace model
