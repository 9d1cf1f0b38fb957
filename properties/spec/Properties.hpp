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
  // Security, from the view of a process's owner.
  UnprivilegedCannotChangeOthers,
  // The man page's promises for PROC_TRACE_ENABLE / PROC_TRACE_STATUS on
  // one process (P_PID), from an executable specification that never calls
  // the kernel code (Contract.cpp).
  ContractEfault,
  ContractEsrch,
  ContractEbusy,
  ContractEinval,
  ContractEpermEnable,
  ContractEpermUnpersist,
  ContractEffect,
  // Where the man page is silent: reaching these is reported, not failed.
  UnspecifiedErrorPrecedence,
  UnspecifiedPermission,
  UnspecifiedPidZero,
  // Progress: judged on the whole explored graph (Progress.cpp).
  StoppedDebuggeeCanResume,
  VforkParentWakes,
  // Security from the owner's view, judged on the graph like progress.
  OwnerCanLeaveTraceState,
};

inline constexpr std::size_t kPropertyCount = 28;

struct PropertyInfo {
  PropertyId id;
  std::string_view name;         ///< stable, used on the command line and in file names
  std::string_view description;  ///< one line
  bool onTransitions;            ///< checked on steps rather than on states
  /// A point the documentation leaves open: a "finding" means the search
  /// reached it (REACHED), which is reported but is no violation.
  bool unspecified = false;
  /// Judged on the explored graph ("something good stays reachable").
  bool progress = false;
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

/// The design facts of a variant the properties need (KSIM_DESIGN_* of
/// ksim/kernel.h): what its design allows, what its documentation says.
struct Design {
  unsigned flags = 0;
  /// Root passes p_candebug's P2_NOTRACE test (PRIV_DEBUG_DENIED): a
  /// trace set up by a process with euid 0 is allowed.
  bool privilegeOverridesNotrace() const;
  /// procctl(P_PID, 0, ...) acts on the caller, as its man page says.
  bool pidZeroIsCaller() const;
};

/// Appends a finding for every state invariant s violates, indexed by
/// PropertyId.
void checkState(const model::State& s, std::vector<sim::Finding>& out, Namer namer = {}, Design design = {});

/// Appends a finding for every transition property the step violates.
void checkStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               std::vector<sim::Finding>& out, Namer namer = {}, Design design = {});

/// The procctl(2) contract clauses and unspecified points (Contract.cpp).
void checkProcctlContract(const model::State& before, const model::Action& a, const model::StepResult& r,
                          std::vector<sim::Finding>& out, const Namer& pid, Design design = {});

/// The slot a procctl P_PID request names in this design: pid 0 is the
/// caller where the design says so; otherwise a.target.
unsigned procctlTarget(const model::Action& a, Design design);

/// A Namer over a run's process names.
Namer namesOf(const model::ProcessNames& names);

}  // namespace properties
