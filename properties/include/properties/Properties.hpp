// The properties ksim checks: invariants on every reached state and
// properties of every transition.  The kernel's own KASSERTs (and its lock
// assertions) are the property "kernel-assertion" automatically: the
// kernel C reports them through the shims.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/Action.hpp"
#include "model/Format.hpp"
#include "model/Kernel.hpp"
#include "model/State.hpp"
#include "sim/Model.hpp"

namespace properties {

enum class PropertyId : std::uint32_t {
  NotraceNeverTraced,
  NotraceNeverKtraced,
  NoCoreWhileNotrace,
  NotraceExecImpliesNotrace,
  KernelAssertion,
  KernelHang,
  TreeConsistent,
  AttachRefusedWhileNotrace,
  KtraceRefusedWhileNotrace,
  DisableRefusedWhileTraced,
  NotraceClearedOnlyByOwner,
  ForkInheritsNotrace,
  ExecKeepsNotraceOnlyWithExecFlag,
  StatusReportsTruthfully,
};

inline constexpr std::size_t kPropertyCount = 14;

struct PropertyInfo {
  PropertyId id;
  std::string_view name;         ///< stable, used on the command line and in file names
  std::string_view description;  ///< one line
  bool onTransitions;            ///< checked on steps rather than on states
};

const std::vector<PropertyInfo>& allProperties();
/// The property with this name, or nullptr.
const PropertyInfo* findProperty(std::string_view name);

/// How findings name a process: by default "pid N"; a replay passes the
/// run's names ("A (pid 102)").
using ProcessNamer = std::string (*)(const void* context, unsigned slot);

struct Namer {
  ProcessNamer fn = nullptr;
  const void* context = nullptr;
  std::string operator()(unsigned slot) const;
};

/// Appends a finding for every state invariant s violates, indexed by
/// PropertyId.
void checkState(const model::State& s, std::vector<sim::Finding>& out, Namer namer = {});

/// Appends a finding for every transition property the step violates.
void checkStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               std::vector<sim::Finding>& out, Namer namer = {});

/// A Namer over a run's process names.
Namer namesOf(const model::ProcessNames& names);

}  // namespace properties
