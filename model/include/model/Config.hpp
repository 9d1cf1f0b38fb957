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

/// An initial process: a child of init, in the group led by `group`
/// (its own name if it leads its group).
struct ProcessSpec {
  std::string name;
  std::string user;
  std::string group;
};

struct Config {
  std::vector<ProcessSpec> processes;
  /// Bit (1 << CallFamily) set: the explorer never tries those actions.
  /// Replay runs whatever a scenario says.
  unsigned omitted = 0;
  bool omits(CallFamily f) const { return (omitted >> static_cast<unsigned>(f)) & 1u; }
  /// Whether the explorer never makes this call: it has families and all
  /// of them are omitted.  (A call without a family, procctl32, is made
  /// only by scenarios and programs.)
  bool omitsEveryFamilyOf(Call call) const {
    bool hasFamily = false;
    for (const FamilySpec& f : kFamilies) {
      if (f.call != call) continue;
      hasFamily = true;
      if (!omits(f.family)) return false;
    }
    return hasFamily;
  }
  /// kern.maxproc for user processes: fork fails with EAGAIN beyond it.
  unsigned maxUserProcs = 4;
  ksim_sysctls sysctls{1, 0, 1, 1, 1, -1};
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
};

inline constexpr unsigned kMaxUserProcs = KSIM_NSLOTS - KSIM_FIRST_USER_SLOT;

}  // namespace model
