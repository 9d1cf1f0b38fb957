// The kernel model as the explorer sees it (properties checked on every
// state and step), and the way back from the explorer's canonical paths to
// concrete, replayable scenarios.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/Kernel.hpp"
#include "model/Scenario.hpp"
#include "sim/Explorer.hpp"
#include "spec/Cover.hpp"
#include "spec/Properties.hpp"

namespace properties {

/// A sim::ExplorableModel: the kernel model with a chosen set of
/// properties.  States are canonical (Kernel::canonicalize); a panicked
/// state is terminal.
///
/// It is a sim::ModelWithExpander: each search thread expands states with
/// its own Expander (its own scratch), and what an expansion learns (the
/// cover goals its steps reach, its renaming self-loops) comes back to the
/// search, which absorbs it in order on its own thread.  The other members (stateFindings, stepFindings,
/// expand) use scratch of the model's own: one thread at a time.
///
/// The search numbers the chosen properties: its sim::PropertyIndex (in
/// sim::Finding, sim::Counterexample and the verdicts) is a position in
/// selected(), never a PropertyId.  propertyAt and indexOf convert.
class CheckedModel {
 public:
  using State = model::State;
  using Action = model::Action;

  CheckedModel(const model::Kernel& kernel, std::vector<PropertyId> selected);
  // Its own expander points at it.
  CheckedModel(const CheckedModel&) = delete;
  CheckedModel& operator=(const CheckedModel&) = delete;

  /// A step of an expanded state whose canonical successor is that state
  /// itself with its users renamed: the search records no edge for it, yet
  /// it hands the acting process's user's role to another user (what
  /// owner-can-leave-trace-state follows, see Progress.cpp).
  struct RenamingSelfLoop {
    std::uint64_t expansion = 0;   ///< ordinal of the expansion among those absorbed
    std::uint64_t stateHash = 0;   ///< hashState of the expanded state, to check the ordinal
    std::uint16_t actorUid = 0;    ///< real uid of the acting process (0: root's, which renames others)
    std::uint16_t renamedUid = 0;  ///< that uid renamed as the successor was
    std::uint8_t userRenaming = 0; ///< the renaming (Kernel::userRenamings(), never 0, the identity)
  };
  /// What one expansion leaves behind.
  struct ExpansionEffects {
    CoverSet reached;                         ///< cover goals its steps reached
    std::vector<RenamingSelfLoop> selfLoops;  ///< its renaming self-loops (expansion not yet set)
  };

  /// One search thread's expansion: scratch buffers, and what the steps of
  /// one expansion leave behind.
  class Expander {
   public:
    explicit Expander(const CheckedModel& model) : model_(&model) {}
    /// Emits every step of s, as CheckedModel::expand does, each action
    /// carrying the user renaming of its successor (Action::userRenaming);
    /// returns the cover goals the steps reached and the renaming self-loops.
    /// Only the processes in `actingSlots` (bit i: slot i) act.
    ExpansionEffects expand(const State& s, sim::Emitter<Action, State>& emit,
                            std::uint8_t actingSlots = 0xff);

   private:
    const CheckedModel* model_;
    std::vector<Action> actions_;
    std::vector<sim::Finding> findings_;
    std::vector<PropertyFinding> found_;
  };
  Expander expander() const { return Expander(*this); }
  /// The search hands back what an Expander's expansion left behind, in
  /// the order a one-thread search expands the states.
  void absorb(ExpansionEffects&& effects) const;
  /// A distributed search's absorb (sim::ModelAbsorbingByIndex): each rank absorbs only its own
  /// expansions, so it cannot number them; a self-loop keeps the expanded state's global index
  /// in `expansion` until adoptDistributedEffects numbers it.
  void absorbExpansionOf(sim::StateIndex state, ExpansionEffects&& effects) const;
  /// On rank 0 of a distributed search, once every rank's effects are gathered: the cover goals
  /// all ranks reached, how many expansions they absorbed, and all their self-loops, ordered by
  /// the expanded state's index (in `expansion`, as absorbExpansionOf left it), then as each
  /// expansion reported them.  `graph` is the search's: a self-loop's number is the number of
  /// expanded states before its state (the one a search stopped in is after them all), as
  /// absorb numbers it.  Without a graph no one reads the self-loops: they are dropped.
  void adoptDistributedEffects(const CoverSet& covered, std::uint64_t expansions,
                               std::vector<RenamingSelfLoop> loopsByState,
                               const sim::ExploredGraph<Action, State>* graph);

  State initial() const;
  std::uint64_t hash(const State& s) const { return model::hashState(s); }
  void expand(const State& s, sim::Emitter<Action, State>& emit) const {
    absorb(ownExpander_.expand(s, emit));
  }
  /// The steps of the processes in `actingSlots` alone (bit i: slot i), as expand emits them: a
  /// search that keeps only some processes' steps spares taking the others'.
  void expandActing(const State& s, sim::Emitter<Action, State>& emit, std::uint8_t actingSlots) const {
    absorb(ownExpander_.expand(s, emit, actingSlots));
  }
  void stateFindings(const State& s, std::vector<sim::Finding>& out) const;
  /// sim::ModelClassifyingStateFindings: a state invariant's violation is caused by the step
  /// that broke it (Causes.hpp); one the parent state had already is dropped.
  void classifyStateFindings(const State* parent, const Action* action, const State& s,
                             std::vector<sim::Finding>& findings) const;
  /// The selected transition properties a step violates, and the cover
  /// goals it reaches.
  void stepFindings(const State& before, const Action& a, const model::StepResult& r,
                    std::vector<sim::Finding>& out) const;
  std::size_t propertyCount() const { return selected_.size(); }
  std::string propertyName(sim::PropertyIndex i) const;
  /// How the search cuts a state for its compressed storage (sim/Storage.hpp): each process
  /// record (a step changes one or two of them), and the group heads with the panicked flag. The
  /// storage pairs neighbours in this order: the slots alternate between the two halves, so that
  /// the user processes (slots 2 onwards), which change, are spread over both.
  std::vector<sim::StateComponent> stateComponents() const {
    static_assert(KSIM_NSLOTS == 8, "the order below interleaves eight slots");
    constexpr std::uint32_t record = sizeof(ksim_proc_rec);
    constexpr std::uint32_t first = offsetof(State, world) + offsetof(ksim_world, proc);
    constexpr std::uint32_t rest = first + KSIM_NSLOTS * record;
    auto slot = [](std::uint32_t i) { return sim::StateComponent{first + i * record, record}; };
    return {
        slot(2), slot(0), slot(4), slot(6), slot(3), slot(1), slot(5), slot(7), {rest, sizeof(State) - rest}};
  }

  /// The property the search numbers i.
  PropertyId propertyAt(sim::PropertyIndex i) const { return selected_.at(i); }
  /// The search's number for a property, if it is selected.
  std::optional<sim::PropertyIndex> indexOf(PropertyId id) const { return indexOf_[positionOf(id)]; }

  const model::Kernel& kernel() const { return kernel_; }
  /// The variant's design facts, as the properties read them.
  Design design() const { return Design{kernel_.variant().design, kernel_.config().sysctls}; }
  /// The cover goals the steps expanded (or absorbed) so far have reached.
  const CoverSet& covered() const { return covered_; }
  /// The expansions absorbed so far, and their renaming self-loops in
  /// absorption order.  The engine absorbs exactly the states a one-thread
  /// search expands, in BFS order: after one search recording its graph,
  /// the k-th expansion is the graph's k-th expanded state in index order
  /// (only a search stopped mid-expansion absorbs one expansion more).
  std::uint64_t expansionsAbsorbed() const { return expansionsAbsorbed_; }
  const std::vector<RenamingSelfLoop>& renamingSelfLoops() const { return renamingSelfLoops_; }
  const std::vector<PropertyId>& selected() const { return selected_; }

 private:
  /// Appends to `out` the findings of selected properties, numbered as
  /// the search numbers them.
  void keepSelected(std::vector<PropertyFinding>& found, std::vector<sim::Finding>& out,
                    std::uint64_t cause) const;
  void stepFindings(const State& before, const Action& a, const model::StepResult& r,
                    std::vector<sim::Finding>& out, std::vector<PropertyFinding>& found, CoverSet& reached,
                    Wanted wanted = {}) const;

  const model::Kernel& kernel_;
  std::vector<PropertyId> selected_;
  std::array<std::optional<sim::PropertyIndex>, kPropertyCount> indexOf_{};
  mutable Expander ownExpander_{*this};
  mutable std::vector<PropertyFinding> found_;
  mutable CoverSet covered_;
  mutable std::uint64_t expansionsAbsorbed_ = 0;
  mutable std::vector<RenamingSelfLoop> renamingSelfLoops_;
};

/// A counterexample replayed on concrete states, with process names.
struct ConcreteTrace {
  std::vector<model::ScenarioStep> steps;  ///< with the observed results as expectations
  std::vector<model::Action> actions;      ///< the concrete actions, from the real initial state
  std::string property;
  std::string message;
  /// The kernel source line the violating step last passed ("FILE:LINE",
  /// sourceSite), or of the latest earlier step that ran kernel C code;
  /// empty if none did.  siteStep is that step's number (1-based).
  std::string site;
  std::size_t siteStep = 0;
};

/// A kernel source location as the compiler named it, made the same on
/// every machine: the path from the variant's folder on
/// ("kernel/variants/rfc-2014/sys_process.c:412"); a design generated from
/// patches ("kernel-variants/<design>/" in the build) is named as its
/// logical folder "kernel/variants/<design>/".  Empty for a null file.
std::string sourceSite(const char* file, int line);

/// Replays the explorer's path from the real initial state, renumbering
/// each canonical action back to concrete slots.  Verifies at every step
/// that the concrete state canonicalises to the explorer's state.
ConcreteTrace concretize(const CheckedModel& model,
                         const sim::Counterexample<model::Action, model::State>& cx);

/// The same for a path of concrete actions from the real initial state (a
/// search that does not canonicalise, such as a program's interleavings).
/// `property` is the search's number (model.propertyAt gives the
/// property); the last step (viaTransition) or the state it reaches
/// violates it.
ConcreteTrace concretizeActions(const CheckedModel& model, sim::PropertyIndex property,
                                const std::vector<model::Action>& actions, bool viaTransition);

/// The scenario file for a trace: a comment header, the configuration and
/// the steps.
std::string formatScenarioFile(const ConcreteTrace& trace, const model::Config& config,
                               const std::string& variant, const std::vector<std::string>& headerComments);

/// Exit codes of `ksim replay`.
enum ReplayExit : int {
  kReplayClean = 0,      ///< every expectation met, no property violated
  kReplayViolation = 1,  ///< a property was violated (expectations met up to there)
  kReplayUnjudged = 3,   ///< no violation, but a graph property could not be judged within the bound
  kReplayUnmet = 4,      ///< a step's expectation or precondition failed
};

/// Runs a scenario step by step, printing each step, its result and what
/// it changed, and every property it violates.  Stops at the first unmet
/// expectation.  Throws model::ScenarioError for names that resolve to no
/// process.
/// maxContinuations bounds the exploration that judges the progress
/// properties on the last state (beyond it they are reported not judged,
/// and without a violation the result is kReplayUnjudged, as any bounded
/// run; 0: they are not judged at all, as asked, which is no bound hit).
int replayScenario(const model::Scenario& scenario, const model::Kernel& kernel, std::ostream& out,
                   std::uint64_t maxContinuations = 200'000);

}  // namespace properties
