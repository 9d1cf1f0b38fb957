// The properties ksim checks, derived from their one definition
// (Properties.def), and the checks of states and steps that report them.
// The kernel's own KASSERTs (and its lock assertions) are the property
// "kernel-assertion" automatically: the kernel C reports them through the
// shims.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/Action.hpp"
#include "model/Format.hpp"
#include "model/Kernel.hpp"
#include "model/State.hpp"

namespace properties {

enum class PropertyId : std::uint32_t {
#define KSIM_PROPERTY(id, name, kind, meaning, broken) id,
#include "spec/Properties.def"
#undef KSIM_PROPERTY
};

inline constexpr std::size_t kPropertyCount = 0
#define KSIM_PROPERTY(id, name, kind, meaning, broken) +1
#include "spec/Properties.def"
#undef KSIM_PROPERTY
    ;

/// What a property is judged on.
enum class JudgedOn : std::uint8_t { State, Step, Graph };

// The kinds of property, once: KIND(Enumerator, "as ksim list prints it",
// what it is judged on).
//   StateInvariant    holds in every reached state
//   StepProperty      holds of every step (state before, call, result, after)
//   ContractClause    a promise of the procctl(2) man page (Contract.cpp)
//   UnspecifiedPoint  where the man page is silent: reaching it is REACHED,
//                     which is no violation
//   Progress          something good stays reachable (checker/Progress.cpp)
#define KSIM_PROPERTY_KINDS(KIND)             \
  KIND(StateInvariant, "state", State)        \
  KIND(StepProperty, "step", Step)            \
  KIND(ContractClause, "contract", Step)      \
  KIND(UnspecifiedPoint, "unspecified", Step) \
  KIND(Progress, "progress", Graph)

enum class PropertyKind : std::uint8_t {
#define KSIM_KIND(kind, listed, judged) kind,
  KSIM_PROPERTY_KINDS(KSIM_KIND)
#undef KSIM_KIND
};

struct PropertyKindInfo {
  std::string_view listed;  ///< as `ksim list` prints it
  JudgedOn judgedOn;
};

inline constexpr PropertyKindInfo kPropertyKinds[] = {
#define KSIM_KIND(kind, listed_, judged) {.listed = listed_, .judgedOn = JudgedOn::judged},
    KSIM_PROPERTY_KINDS(KSIM_KIND)
#undef KSIM_KIND
};

constexpr const PropertyKindInfo& kindInfo(PropertyKind kind) {
  return kPropertyKinds[static_cast<std::size_t>(kind)];
}

struct PropertyInfo {
  PropertyId id;
  std::string_view name;     ///< stable, used on the command line and in file names
  std::string_view meaning;  ///< one line
  /// What it takes as the truth once the kernel's own invariant is broken
  /// (a production kernel went on past a failed assertion).
  std::string_view onceBroken;
  PropertyKind kind;

  constexpr JudgedOn judgedOn() const { return kindInfo(kind).judgedOn; }
  /// A finding of it means the search reached the point (REACHED), which is
  /// reported but is no violation.
  constexpr bool isUnspecifiedPoint() const { return kind == PropertyKind::UnspecifiedPoint; }
};

/// Every property, in the order of Properties.def (= PropertyId order).
inline constexpr std::array<PropertyInfo, kPropertyCount> kProperties = {{
#define KSIM_PROPERTY(id_, name_, kind_, meaning_, broken_) \
  {.id = PropertyId::id_,                                   \
   .name = name_,                                           \
   .meaning = meaning_,                                     \
   .onceBroken = broken_,                                   \
   .kind = PropertyKind::kind_},
#include "spec/Properties.def"
#undef KSIM_PROPERTY
}};

inline const std::array<PropertyInfo, kPropertyCount>& allProperties() { return kProperties; }

/// A property's place in allProperties(), for tables kept in that order.
constexpr std::size_t positionOf(PropertyId id) { return static_cast<std::size_t>(id); }

constexpr const PropertyInfo& propertyInfo(PropertyId id) { return kProperties[positionOf(id)]; }

/// The property with this name, or nullptr.
const PropertyInfo* findProperty(std::string_view name);

/// What a property check reports: the property, by its PropertyId, and a
/// message naming processes.  (The search's sim::Finding carries the
/// property's index among the checked ones instead; CheckedModel
/// translates.)
struct PropertyFinding {
  PropertyId property;
  std::string message;

  bool operator==(const PropertyFinding&) const = default;
};

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
  /// The world's tunables (constant during a run): kern.securelevel above
  /// 0 makes p_candebug() refuse init to everyone, root included;
  /// security.bsd.unprivileged_proc_debug=0 refuses unprivileged callers
  /// every other process; kern.coredump and kern.sugid_coredump decide
  /// whether a core is written.
  ksim_sysctls sysctls = model::kDefaultSysctls;
  /// Root passes p_candebug's P2_NOTRACE test (PRIV_DEBUG_DENIED): a
  /// trace set up by a process with euid 0 is allowed.
  bool privilegeOverridesNotrace() const;
  /// procctl(P_PID, 0, ...) acts on the caller, as its man page says.
  bool pidZeroIsCaller() const;
};


/// Which properties' findings a caller needs, and which messages: a search counts the causes of
/// every finding of a property it checks, but keeps the message of its first only (unless it
/// keeps one per cause). The step checks leave out the findings of properties not checked, and
/// spare formatting the messages not kept. Default: every finding, with its message.
struct Wanted {
  enum class Level : std::uint8_t {
    Skip,               ///< not checked: leave the finding out
    Report,             ///< report the finding; its message is not kept
    ReportWithMessage,  ///< report it with its message
  };
  Level (*fn)(const void* context, PropertyId id) = nullptr;
  const void* context = nullptr;
  Level operator()(PropertyId id) const { return fn == nullptr ? Level::ReportWithMessage : fn(context, id); }
};

/// Appends the finding as `wanted` asks, formatting its message (message() returns it) only if
/// it is kept.
template <class Message>
void reportFinding(std::vector<PropertyFinding>& out, const Wanted& wanted, PropertyId id, Message&& message) {
  switch (wanted(id)) {
    case Wanted::Level::Skip:
      return;
    case Wanted::Level::Report:
      out.push_back({id, {}});
      return;
    case Wanted::Level::ReportWithMessage:
      out.push_back({id, message()});
      return;
  }
}

/// Appends a finding for every wanted state invariant s violates.
void checkState(const model::State& s, std::vector<PropertyFinding>& out, Namer namer = {},
                Design design = {}, Wanted wanted = {});

/// Appends a finding for every wanted transition property the step violates.
void checkStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               std::vector<PropertyFinding>& out, Namer namer = {}, Design design = {}, Wanted wanted = {});

/// The procctl(2) contract clauses and unspecified points (Contract.cpp).
void checkProcctlContract(const model::State& before, const model::Action& a, const model::StepResult& r,
                          std::vector<PropertyFinding>& out, const Namer& pid, Design design = {},
                          Wanted wanted = {});

/// What a term of the procctl(2) page is, as the page's mdoc shows it:
/// a request (an item of the command list), a value of a request's integer
/// argument (an item of a list nested in the request's item), what
/// PROC_TRACE_STATUS reports ("... is set to X"), an error (an ERRORS
/// entry), or another interface the page says tracing covers (.Xr).
enum class PageTermKind { Command, Value, StatusValue, Error, Interface };

std::string_view pageTermKindName(PageTermKind kind);

/// One term of the page that the properties check: the contract's
/// vocabulary.  It is the one list of the commands, values and errors the
/// contract checks; checkProcctlContract takes its errors and values from
/// it, and `ksim patch` compares it with what the patched page documents.
struct PageTerm {
  PageTermKind kind;
  std::string_view name;  ///< as the page writes it: "PROC_TRACE_ENABLE", "-1", "EBUSY", "ptrace 2"
  /// Error: the names its ERRORS entry mentions ("" a generic entry, one
  /// that names no request); Value: the request it is a value of.
  std::string_view context;
  int number;  ///< the command, value or errno; 0 where none
  PropertyId checkedBy;
};

/// Every term the properties check, in the order the page presents them.
std::span<const PageTerm> contractVocabulary();

/// The slot a procctl P_PID request names in this design: pid 0 is the
/// caller where the design says so; otherwise a.target.
unsigned procctlTarget(const model::Action& a, Design design);

/// A Namer over a run's process names.
Namer namesOf(const model::ProcessNames& names);

}  // namespace properties
