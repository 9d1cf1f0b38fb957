// What world a run starts from: the initial processes and their users,
// the kernel's tunables and its process limit.  Printed at the head of
// every run and written into every counterexample, so a run can be
// reproduced from its output alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ksim/world.h"
#include "model/Calls.hpp"

namespace model {

/// The users the model knows.  Each has a group of its own.
struct User {
  std::string name;
  std::uint16_t uid;
  std::uint16_t gid;
};

const std::vector<User>& knownUsers();
std::optional<User> findUser(const std::string& name);
std::string userName(std::uint16_t uid);

// The kernels a design can be built as, once: KERNEL(Enumerator, "name",
// "what a failed assertion does").  The option --kernel, the scenario
// line `kernel NAME`, the configuration block and the design review
// derive their names from this list; the first is the default.
#define KSIM_KERNEL_BUILDS(KERNEL)                                                                 \
  KERNEL(Invariants, "invariants",                                                                 \
         "options INVARIANTS: a failed KASSERT, MPASS or lock assertion panics and ends the step") \
  KERNEL(Production, "production",                                                                 \
         "no INVARIANTS: assertions are compiled out; a failed one is a finding and the step goes on")

enum class KernelBuild : std::uint8_t {
#define KSIM_KERNEL(id, name, meaning) id,
  KSIM_KERNEL_BUILDS(KSIM_KERNEL)
#undef KSIM_KERNEL
};

struct KernelBuildInfo {
  KernelBuild build;
  std::string_view name;
  std::string_view meaning;
};

inline constexpr KernelBuildInfo kKernelBuilds[] = {
#define KSIM_KERNEL(id, name_, meaning_) {.build = KernelBuild::id, .name = name_, .meaning = meaning_},
    KSIM_KERNEL_BUILDS(KSIM_KERNEL)
#undef KSIM_KERNEL
};

constexpr std::string_view kernelBuildName(KernelBuild b) {
  return kKernelBuilds[static_cast<std::size_t>(b)].name;
}
std::optional<KernelBuild> findKernelBuild(std::string_view name);
/// "invariants|production", for usage lines and errors.
std::string kernelBuildNames(std::string_view separator);

/// An initial process: a child of init, in the group led by `group`
/// (its own name if it leads its group).
struct ProcessSpec {
  std::string name;
  std::string user;
  std::string group;
};

/// An initial process as the command line names it, "NAME:USER[:GROUP]" (the group defaults to
/// the name); nullopt unless it has two or three parts.  The names are checked by
/// Config::validate().
std::optional<ProcessSpec> parseProcessSpec(std::string_view text);

/// FreeBSD's defaults for the tunables the model reads (ksim_sysctls).
inline constexpr ksim_sysctls kDefaultSysctls{1, 0, 1, 1, 1, -1};

/// A world that differs from another in one tunable: `setting` is its
/// "name=value" (Config::sysctlVariations()).
struct SysctlVariation;

struct Config {
  std::vector<ProcessSpec> processes;
  /// The explorer never tries these families' actions.  Replay runs
  /// whatever a scenario says.
  FamilySet omitted = 0;
  bool omits(CallFamily f) const { return (omitted & familyBit(f)) != 0; }
  /// Whether the explorer never makes this call: it has families and all
  /// of them are omitted.  (A call without a family, procctl32, is made
  /// only by scenarios and programs.)
  bool omitsEveryFamilyOf(Call call) const {
    bool hasFamily = false;
    for (const FamilySpec& f : kFamilies) {
      if (f.call != call || f.behaviour) continue;
      hasFamily = true;
      if (!omits(f.family)) return false;
    }
    return hasFamily;
  }
  /// kern.maxproc for user processes: fork fails with EAGAIN beyond it.
  unsigned maxUserProcs = 4;
  ksim_sysctls sysctls = kDefaultSysctls;
  /// How the kernel is built: whether a failed assertion panics or is
  /// passed over (KSIM_KERNEL_BUILDS).  A fact of the world: a scenario
  /// carries it (`kernel production`), so a counterexample replays on the
  /// kernel it was found on.
  KernelBuild kernel = KernelBuild::Invariants;
  /// Whether the search may merge states beyond the model's historical
  /// process-slot symmetry (today: user symmetry, Kernel::canonicalize).
  /// A property of the search, not of the world: a scenario file does not
  /// carry it, and replay never canonicalises.  `--no-reduction` clears it.
  bool reduction = true;

  /// The users whose names nothing in this world tells apart (see
  /// Kernel::canonicalize for why they are interchangeable): the non-root
  /// users the initial processes run as, in knownUsers() order.  Empty
  /// when reduction is off or fewer than two such users exist.
  std::vector<User> interchangeableUsers() const;

  /// The default world: A (alice), which may fork once; no setuid images.
  static Config defaults();
  /// Rejects what cannot be modelled; returns a one-line reason.
  std::optional<std::string> validate() const;
  /// Sets a tunable by its sysctl name; returns false if unknown.
  bool setSysctl(const std::string& name, int value);
  /// The sysctls as "name=value" lines, in a fixed order.
  std::vector<std::string> sysctlLines() const;
  /// This world with one tunable set the other way, for each tunable in
  /// the order of sysctlLines(): to the setting contrary to FreeBSD's
  /// default (kern.coredump=0, kern.sugid_coredump=1, kern.securelevel=1,
  /// the see_other_* and unprivileged_proc_debug sysctls 0), or back to
  /// the default where this world has the contrary one.  What a guard
  /// that no search of this world needs may be for (`ksim ablate
  /// --vary-sysctls`).
  std::vector<SysctlVariation> sysctlVariations() const;
};

struct SysctlVariation {
  std::string setting;
  Config config;
};

/// The "name=value" of each variation, in order.
std::vector<std::string> sysctlSettings(const std::vector<SysctlVariation>& variations);

inline constexpr unsigned kMaxUserProcs = KSIM_NSLOTS - KSIM_FIRST_USER_SLOT;

}  // namespace model
