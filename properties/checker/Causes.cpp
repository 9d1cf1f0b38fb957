#include "checker/Causes.hpp"

#include <fmt/format.h>

#include "checker/Progress.hpp"
#include "ksim/flags.h"
#include "ksim/kernel.h"
#include "model/Calls.hpp"
#include "model/Scenario.hpp"

namespace properties {

namespace {

// What the target of a step is to its caller, first match wins.
enum class Relation : std::uint8_t {
  NoTarget,   // the call names none (fork, PT_TRACE_ME, exit, ...)
  Self,       // the caller itself
  Swapper,    // pid 0
  Init,       // pid 1
  NoProcess,  // a pid no process has (never used, or reaped)
  Debuggee,   // a process the caller traces
  Debugger,   // the process that traces the caller
  Child,      // a child of the caller (its real parent is the caller)
  Parent,     // the caller's real parent
  SameUser,   // another process of the caller's real user
  Roots,      // a process of root's, the caller being unprivileged
  OtherUser,  // a process of another user
};

constexpr const char* kRelationWords[] = {
    "",
    "itself",
    "the swapper (pid 0)",
    "init (pid 1)",
    "no process",
    "its debuggee",
    "its debugger",
    "its child",
    "its parent",
    "another process of its user",
    "a process of root's",
    "a process of another user",
};

// The real parent: a traced process's debugger is its p_pptr, and
// p_oppid keeps the parent it had.
unsigned realParent(const ksim_proc_rec& p) { return (p.flag & KSIM_P_TRACED) != 0 ? p.oppid : p.pptr; }

Relation relationOf(const model::State& s, const model::Action& a) {
  if (a.target == model::kNoTarget) return Relation::NoTarget;
  if (a.target == a.actor) return Relation::Self;
  if (a.target == KSIM_SLOT_SWAPPER) return Relation::Swapper;
  if (a.target == KSIM_SLOT_INIT) return Relation::Init;
  if (a.target >= KSIM_NSLOTS || !model::isLive(s.world.proc[a.target])) return Relation::NoProcess;
  const ksim_proc_rec& caller = s.world.proc[a.actor];
  const ksim_proc_rec& target = s.world.proc[a.target];
  if ((target.flag & KSIM_P_TRACED) != 0 && target.pptr == a.actor) return Relation::Debuggee;
  if ((caller.flag & KSIM_P_TRACED) != 0 && caller.pptr == a.target) return Relation::Debugger;
  if (realParent(target) == a.actor) return Relation::Child;
  if (realParent(caller) == a.target) return Relation::Parent;
  if (target.ruid == caller.ruid) return Relation::SameUser;
  if (caller.euid != 0 && (target.ruid == 0 || target.euid == 0)) return Relation::Roots;
  return Relation::OtherUser;
}

// The key's fields, low bit first: call 6, request 8, value 8, P_PGID 1,
// bad address 1, root caller 1, relation 4, outcome 2, errno 8; the kind
// in the top two bits.
struct StepShape {
  model::Call call;
  std::uint8_t op;
  std::uint8_t data;
  bool byGroup;
  bool badAddress;
  bool rootCaller;
  Relation relation;
  model::Outcome outcome;
  std::uint8_t error;

  std::uint64_t key() const {
    std::uint64_t k = static_cast<std::uint64_t>(call);
    k |= std::uint64_t{op} << 6;
    k |= std::uint64_t{data} << 14;
    k |= std::uint64_t{byGroup} << 22;
    k |= std::uint64_t{badAddress} << 23;
    k |= std::uint64_t{rootCaller} << 24;
    k |= std::uint64_t{static_cast<std::uint8_t>(relation)} << 25;
    k |= std::uint64_t{static_cast<std::uint8_t>(outcome)} << 29;
    k |= std::uint64_t{error} << 31;
    return k | std::uint64_t{static_cast<std::uint8_t>(CauseKind::Step)} << 62;
  }

  static StepShape of(std::uint64_t k) {
    return StepShape{
        .call = static_cast<model::Call>(k & 0x3f),
        .op = static_cast<std::uint8_t>(k >> 6),
        .data = static_cast<std::uint8_t>(k >> 14),
        .byGroup = ((k >> 22) & 1) != 0,
        .badAddress = ((k >> 23) & 1) != 0,
        .rootCaller = ((k >> 24) & 1) != 0,
        .relation = static_cast<Relation>((k >> 25) & 0xf),
        .outcome = static_cast<model::Outcome>((k >> 29) & 0x3),
        .error = static_cast<std::uint8_t>(k >> 31),
    };
  }
};

static_assert(model::kCallCount <= 64, "a call fits the cause key's six bits");
static_assert(static_cast<unsigned>(Relation::OtherUser) < 16, "a relation fits four bits");
static_assert(std::size(kRelationWords) == static_cast<std::size_t>(Relation::OtherUser) + 1);

std::string outcomeWords(model::Outcome outcome, int error) {
  switch (outcome) {
    case model::Outcome::Returned:
      return error == 0 ? "succeeds" : "fails with " + model::errnoName(error);
    case model::Outcome::Sleeping:
      return "sleeps";
    case model::Outcome::Panic:
      return "panics";
    case model::Outcome::Hang:
      return "does not finish";
  }
  return "";
}

// `id`: the property the step violated.  A step that violates it by
// succeeding is worded as what went wrong: debugger-can-kill's PT_KILL
// answered 0 and killed nothing.
std::string describeStepCause(PropertyId id, std::uint64_t cause) {
  const StepShape shape = StepShape::of(cause);
  model::ScenarioStep step;
  step.actor = "P";
  step.call = shape.call;
  step.op = shape.op;
  step.data = static_cast<std::int8_t>(shape.data);
  step.idtype = shape.byGroup ? KSIM_P_PGID : KSIM_P_PID;
  step.goodAddress = !shape.badAddress;
  switch (shape.relation) {
    case Relation::NoTarget:
      break;
    case Relation::Self:
      step.target = "P";
      break;
    case Relation::Swapper:
      step.target = "0";
      break;
    case Relation::Init:
      step.target = "1";
      break;
    default:
      step.target = "Q";
      break;
  }
  const bool lostKill =
      id == PropertyId::DebuggerCanKill && shape.outcome == model::Outcome::Returned && shape.error == 0;
  std::string out = model::formatStep(step) + " " +
                    (lostKill ? "answers 0 but kills nothing" : outcomeWords(shape.outcome, shape.error));
  out += fmt::format("; P is {}", shape.rootCaller ? "root's" : "unprivileged");
  if (shape.relation != Relation::NoTarget && shape.relation != Relation::Self)
    out += fmt::format(", Q is {}", kRelationWords[static_cast<unsigned>(shape.relation)]);
  return out;
}

}  // namespace

std::uint64_t stepCause(const model::State& before, const model::Action& a, const model::StepResult& r) {
  return StepShape{
      .call = a.call,
      .op = a.op,
      .data = static_cast<std::uint8_t>(a.data),
      .byGroup = a.idtype == KSIM_P_PGID,
      .badAddress = a.goodAddress == 0,
      .rootCaller = before.world.proc[a.actor].euid == 0,
      .relation = relationOf(before, a),
      .outcome = r.outcome,
      .error = static_cast<std::uint8_t>(r.outcome == model::Outcome::Returned ? r.error : 0),
  }
      .key();
}

std::string describeCause(PropertyId id, std::uint64_t cause) {
  switch (causeKind(cause)) {
    case CauseKind::Step:
      return describeStepCause(id, cause);
    case CauseKind::Trap:
      return describeTrapCause(id, cause);
    case CauseKind::Unclassified:
      break;
  }
  return "unclassified";
}

}  // namespace properties
