#pragma once

// The model side of the engine contract: Finding, Emitter and the ExplorableModel concept.
// See sim/README.md for the full contract and sim/Explorer.hpp for the search itself.

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sim {

/// Index of a property in [0, model.propertyCount()).
using PropertyIndex = std::uint32_t;

/// A property violated by a state (invariant) or by a transition. `message` must be
/// deterministic text (e.g. a KASSERT message): no pointer values, no times. `cause` is the
/// model's classification of the violation: two findings of one property with the same cause are
/// the same defect to the model (0 when the model does not classify). The search counts the
/// causes of each property and, with Options::allCauses, keeps a first (shortest) counterexample
/// of each.
struct Finding {
  PropertyIndex property = 0;
  std::string message;
  std::uint64_t cause = 0;

  bool operator==(const Finding&) const = default;
};

/// The tag of a transition that leaves the expanded state as it was (Emitter::unchanged).
struct Unchanged {};

/// One handler made of several lambdas, e.g. one for transitions and one for Unchanged ones.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

/// The callback a model's expand() reports successors through: a non-owning, non-allocating
/// reference to the engine's transition handler (one indirect call per transition).
///
///     emit(action, next);                              // plain transition
///     emit(action, next, {Finding{p, "msg"}});         // the transition itself violates p
///     emit(action, next, {}, /*terminal=*/true);       // nothing may be explored from `next`
///
/// `next` must already be canonical. Emitters cannot be copied; models receive them by reference
/// and must not keep them beyond the expand() call.
///
///     emit.unchanged(action, expanded, findings, terminal);  // `next` is the expanded state itself
///
/// says the same as emit(action, expanded, ...), for a step that leaves the state being expanded
/// as it was (most failing calls do). A handler that can take it as such, invocable as
/// handler(Unchanged{}, action, findings, terminal), is spared the copy of the state and the
/// comparison that would find it equal; any other handler receives the copy.
///
/// `emit.wanted(p)` is false once the search keeps a counterexample for property p and wants no
/// further one (Options::allCauses is off): a model may then spare formatting the messages of
/// later findings of p (they are not kept), but still reports them with their causes, which the
/// search counts. It may say true where false would do, never the reverse; an Emitter made
/// without `settled` always says true.
template <class Action, class State>
class Emitter {
 public:
  /// `settled[p]` is set once a finding of property p can no longer matter (see wanted()).
  template <class F>
  requires(!std::same_as<std::remove_cvref_t<F>, Emitter> &&
           std::invocable<F&, Action&&, State&&, std::vector<Finding>&&,
                          bool>) explicit Emitter(F& handler,
                                                  std::span<const std::atomic<bool>> settled = {}) noexcept
      : object_(static_cast<void*>(std::addressof(handler))),
        settled_(settled),
        call_(
            [](void* object, Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal) {
              (*static_cast<F*>(object))(std::move(action), std::move(next), std::move(findings), terminal);
            }),
        unchangedCall_([](void* object, Action&& action, const State& expanded,
                          std::vector<Finding>&& findings, bool terminal) {
          F& handler = *static_cast<F*>(object);
          if constexpr (std::invocable<F&, Unchanged, Action&&, std::vector<Finding>&&, bool>) {
            handler(Unchanged{}, std::move(action), std::move(findings), terminal);
          } else {
            handler(std::move(action), State(expanded), std::move(findings), terminal);
          }
        }) {}

  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  void operator()(Action action, State next, std::vector<Finding> transitionFindings = {},
                  bool terminal = false) const {
    call_(object_, std::move(action), std::move(next), std::move(transitionFindings), terminal);
  }
  /// A transition from `expanded`, the state being expanded, back to it (see above).
  void unchanged(Action action, const State& expanded, std::vector<Finding> transitionFindings = {},
                 bool terminal = false) const {
    unchangedCall_(object_, std::move(action), expanded, std::move(transitionFindings), terminal);
  }

  /// Whether a finding of `property` emitted now can still matter (see above).
  bool wanted(PropertyIndex property) const noexcept {
    return property >= settled_.size() || !settled_[property].load(std::memory_order_relaxed);
  }

 private:
  void* object_;
  std::span<const std::atomic<bool>> settled_;
  void (*call_)(void*, Action&&, State&&, std::vector<Finding>&&, bool);
  void (*unchangedCall_)(void*, Action&&, const State&, std::vector<Finding>&&, bool);
};

/// The shape a model must have (semantic requirements are in sim/README.md):
///
///   using State  = ...;  // copyable, equality-comparable value; already canonical
///   using Action = ...;  // copyable, equality-comparable value
///   State initial() const;
///   std::uint64_t hash(const State&) const;          // deterministic; no pointer values
///   void expand(const State&, sim::Emitter<Action, State>&) const;   // or a template taking Emit&
///   void stateFindings(const State&, std::vector<sim::Finding>& out) const;  // appends
///   std::size_t propertyCount() const;
///   std::string propertyName(sim::PropertyIndex) const;
///
/// All members are const and pure: the same input always gives the same output, in the same order.
///
/// With Bounds::threads > 1 the engine calls expand() and hash() from several threads at once
/// (stateFindings and everything else only from the thread that called explore()). A model whose
/// expansion needs scratch memory or leaves something behind (e.g. the goals its steps reached)
/// provides, instead of relying on expand() being callable concurrently, a per-thread expander:
///
///   using Expander = ...;                 // one per search thread, used by that thread only
///   Expander expander() const;
///   Effects Expander::expand(const State&, sim::Emitter<Action, State>&);   // like expand()
///   void absorb(Effects&&) const;         // called by the engine, see ModelWithExpander
template <class M>
concept ExplorableModel = std::copyable<typename M::State> && std::equality_comparable<typename M::State> &&
    std::copyable<typename M::Action> && std::equality_comparable<typename M::Action> &&
    requires(const M& model, const typename M::State& state,
             Emitter<typename M::Action, typename M::State>& emit, std::vector<Finding>& out,
             PropertyIndex property) {
  { model.initial() } -> std::convertible_to<typename M::State>;
  { model.hash(state) } -> std::convertible_to<std::uint64_t>;
  model.expand(state, emit);
  model.stateFindings(state, out);
  { model.propertyCount() } -> std::convertible_to<std::size_t>;
  { model.propertyName(property) } -> std::convertible_to<std::string>;
};

/// A model that classifies the findings of a state by the step that reached it. The engine calls
/// it after stateFindings() on a new state with findings, with the state's parent in the
/// breadth-first tree and the action that first reached it (both nullptr for the initial
/// state). The model sets each finding's cause, and removes a finding that the parent state has
/// too: that violation was met, and counted, where it began. (Removing one never changes a
/// verdict or a first counterexample: the parent was checked before.)
template <class M>
concept ModelClassifyingStateFindings = ExplorableModel<M> &&
    requires(const M& model, const typename M::State* parent, const typename M::Action* action,
             const typename M::State& state, std::vector<Finding>& findings) {
  model.classifyStateFindings(parent, action, state, findings);
};

/// A model with a per-thread expander (see above). The engine then never calls model.expand():
/// every expansion goes through an Expander, and the engine hands what it returns (its Effects)
/// to model.absorb() on the thread that called explore(), for exactly the states a one-thread
/// search expands, in BFS order. So the absorbed effects are the same for any number of threads.
template <class M>
concept ModelWithExpander = ExplorableModel<M> &&
    requires(const M& model, typename M::Expander& expander, const typename M::State& state,
             Emitter<typename M::Action, typename M::State>& emit) {
  { model.expander() } -> std::same_as<typename M::Expander>;
  model.absorb(expander.expand(state, emit));
};

}  // namespace sim
