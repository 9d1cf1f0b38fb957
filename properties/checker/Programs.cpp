#include "checker/Programs.hpp"

#include <fmt/format.h>
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>

#include "ksim/flags.h"
#include "model/Format.hpp"
#include "model/Scenario.hpp"
#include "model/TargetedCalls.hpp"
#include "sim/Explorer.hpp"
#include "sim/Hash.hpp"

namespace properties::programs {

namespace {

using model::Action;
using model::Call;
using model::CallArguments;

// A call whose child runs a thread of its own (fork, vfork): genProgram
// places these, so that each starts a different thread.
bool makesChild(Call call) { return model::callSpec(call).arguments == CallArguments::ChildName; }

constexpr std::uint8_t kUnstarted = 0xff;  // no fork has started the thread (yet)
constexpr std::uint8_t kGone = 0xfe;       // its process was reaped

std::string threadName(std::size_t thread, std::size_t initialCount) {
  if (thread < initialCount) return std::string(1, static_cast<char>('A' + thread));
  return fmt::format("t{}", thread);
}

// The explored state: the kernel's state, how far each thread got, and
// which slot runs it.  Not canonicalised: a thread is tied to its slot.
struct ProgramState {
  model::State kernel;
  std::array<std::uint8_t, kMaxThreads> pc{};
  std::array<std::uint8_t, kMaxThreads> slot{};
  friend bool operator==(const ProgramState&, const ProgramState&) = default;
};

class ProgramModel {
 public:
  using State = ProgramState;
  using Action = model::Action;

  ProgramModel(const CheckedModel& checked, const Program& program) : checked_(checked), program_(program) {}

  State initial() const {
    State s;
    s.kernel = checked_.kernel().initial();
    s.slot.fill(kUnstarted);
    for (std::size_t t = 0; t < program_.initialUsers.size(); ++t)
      s.slot[t] = static_cast<std::uint8_t>(KSIM_FIRST_USER_SLOT + t);
    return s;
  }

  std::uint64_t hash(const State& s) const {
    std::uint64_t h = model::hashState(s.kernel);
    h = sim::hashObject(s.pc, h);
    return sim::hashObject(s.slot, h);
  }

  void expand(const State& s, sim::Emitter<Action, State>& emit) const {
    if (s.kernel.panicked) return;
    const model::Kernel& kernel = checked_.kernel();
    for (std::size_t t = 0; t < program_.threads.size(); ++t) {
      std::uint8_t slot = s.slot[t];
      if (slot >= KSIM_NSLOTS) continue;
      const ksim_proc_rec& p = s.kernel.proc(slot);
      if (!model::isRunnable(p)) continue;
      // The kernel's own continuation of a call comes first and is not one
      // of the thread's calls.
      std::optional<Call> continuation;
      if (p.pc == KSIM_PC_EXEC_PLAIN || p.pc == KSIM_PC_EXEC_SETUID)
        continuation = Call::ExecFinish;
      else if (p.pc == KSIM_PC_FORK || p.pc == KSIM_PC_VFORK)
        continuation = Call::ForkFinish;
      else if (model::signalsToTake(p) != 0)
        continuation = Call::TakeSignal;
      candidates_.clear();
      if (continuation) {
        candidates_.push_back({.actor = slot, .call = *continuation});
      } else if (s.pc[t] < program_.threads[t].size()) {
        addCandidates(s, slot, program_.threads[t][s.pc[t]]);
      }
      for (const Action& a : candidates_) {
        if (!kernel.canAct(s.kernel, a)) continue;
        model::StepResult r = kernel.step(s.kernel, a);
        findings_.clear();
        checked_.stepFindings(s.kernel, a, r, findings_);
        State next = s;
        next.kernel = r.next;
        if (!continuation) {
          ++next.pc[t];
          const Op& op = program_.threads[t][s.pc[t]];
          if (makesChild(op.call) && r.value) startChild(next, t, op, *r.value);
        }
        for (auto& ts : next.slot)
          if (ts < KSIM_NSLOTS && next.kernel.proc(ts).state == KSIM_PRS_FREE) ts = kGone;
        bool terminal = next.kernel.panicked != 0;
        emit(a, std::move(next), std::vector<sim::Finding>(findings_), terminal);
      }
    }
    // init runs no program, but takes the signals sent to it, as in the
    // explorer (Kernel::canAct).
    Action initTakes{.actor = KSIM_SLOT_INIT, .call = Call::TakeSignal};
    if (kernel.canAct(s.kernel, initTakes)) {
      model::StepResult r = kernel.step(s.kernel, initTakes);
      findings_.clear();
      checked_.stepFindings(s.kernel, initTakes, r, findings_);
      State next = s;
      next.kernel = r.next;
      bool terminal = next.kernel.panicked != 0;
      emit(initTakes, std::move(next), std::vector<sim::Finding>(findings_), terminal);
    }
  }

  void stateFindings(const State& s, std::vector<sim::Finding>& out) const {
    checked_.stateFindings(s.kernel, out);
  }
  std::size_t propertyCount() const { return checked_.propertyCount(); }
  std::string propertyName(sim::PropertyIndex i) const { return checked_.propertyName(i); }

 private:
  std::uint8_t resolve(const State& s, const ProcessRef& ref) const {
    switch (ref.kind) {
      case ProcessRef::Kind::Thread:
        if (ref.thread < kMaxThreads && s.slot[ref.thread] < KSIM_NSLOTS) return s.slot[ref.thread];
        return model::kTargetMissing;
      case ProcessRef::Kind::Missing:
        return model::kTargetMissing;
      case ProcessRef::Kind::Swapper:
        return KSIM_SLOT_SWAPPER;
      case ProcessRef::Kind::Init:
        return KSIM_SLOT_INIT;
    }
    return model::kTargetMissing;
  }

  void addCandidates(const State& s, std::uint8_t slot, const Op& op) const {
    Action a{.actor = slot,
             .call = op.call,
             .target = model::kNoTarget,
             .op = op.op,
             .idtype = op.idtype,
             .data = op.data,
             .goodAddress = static_cast<std::uint8_t>(op.goodAddress)};
    // ptrace, ktrace and kill name init, the swapper and a missing pid only
    // where the explorer does: in their *-system families, and kill never
    // the swapper (pid 0 is the caller's group).
    std::optional<model::CallFamily> systemFamily;
    switch (model::callSpec(op.call).arguments) {
      case CallArguments::OptionalChild:
        // waitpid(-1): whichever child can be reported, or ECHILD.
        for (unsigned c = KSIM_FIRST_USER_SLOT; c < KSIM_NSLOTS; ++c) {
          Action w = a;
          w.target = static_cast<std::uint8_t>(c);
          candidates_.push_back(w);
        }
        candidates_.push_back(a);
        return;
      case CallArguments::PtraceRequest:
        if (op.op != model::kPtTraceMe) {
          a.target = resolve(s, op.target);
          systemFamily = model::CallFamily::PtraceSystem;
        }
        break;
      case CallArguments::KtraceOperation:
        a.target = resolve(s, op.target);
        systemFamily = model::CallFamily::KtraceSystem;
        break;
      case CallArguments::Signal:
        a.target = resolve(s, op.target);
        if (a.target == KSIM_SLOT_SWAPPER) return;
        systemFamily = model::CallFamily::KillSystem;
        break;
      case CallArguments::Procctl:
        a.target = resolve(s, op.target);
        if (op.idtype == KSIM_P_PGID && a.target < KSIM_NSLOTS) a.target = s.kernel.proc(a.target).pgid;
        break;
      case CallArguments::Descriptor:
        a.target = resolve(s, op.target);
        break;
      case CallArguments::None:
      case CallArguments::ChildName:
      case CallArguments::ExecImage:
      case CallArguments::ExitCode:
      case CallArguments::SignalAction:
      case CallArguments::SignalMask:
        break;
    }
    bool systemTarget = a.target < KSIM_FIRST_USER_SLOT || a.target == model::kTargetMissing;
    if (systemFamily && systemTarget && checked_.kernel().config().omits(*systemFamily)) return;
    candidates_.push_back(a);
  }

  void startChild(State& next, std::size_t parent, const Op& op, int childPid) const {
    if (op.child <= parent || op.child >= program_.threads.size() || next.slot[op.child] != kUnstarted)
      return;
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
      if (ksim_slot_pid(i) == childPid) next.slot[op.child] = static_cast<std::uint8_t>(i);
  }

  const CheckedModel& checked_;
  const Program& program_;
  mutable std::vector<Action> candidates_;
  mutable std::vector<sim::Finding> findings_;
};

std::string describeRef(const ProcessRef& ref, std::size_t initialCount) {
  switch (ref.kind) {
    case ProcessRef::Kind::Thread:
      return threadName(ref.thread, initialCount);
    case ProcessRef::Kind::Missing:
      return fmt::format("pid {}", model::kMissingPid);
    case ProcessRef::Kind::Swapper:
      return "pid 0";
    case ProcessRef::Kind::Init:
      return "init";
  }
  return "?";
}

std::string describeOp(const Op& op, std::size_t initialCount) {
  std::string ref = describeRef(op.target, initialCount);
  std::string_view keyword = model::callKeyword(op.call);
  switch (model::callSpec(op.call).arguments) {
    case CallArguments::ChildName:
      return fmt::format("{} -> {}", keyword, threadName(op.child, initialCount));
    case CallArguments::ExecImage:
      return fmt::format("{}{}", keyword, op.op == model::kImageSetuidRoot ? " setuid" : "");
    case CallArguments::None:
    case CallArguments::OptionalChild:
    case CallArguments::ExitCode:
      return std::string(keyword);
    case CallArguments::PtraceRequest:
    case CallArguments::KtraceOperation:
    case CallArguments::Signal:
    case CallArguments::SignalAction:
    case CallArguments::SignalMask:
    case CallArguments::Descriptor:
      // As a scenario writes the step, without its actor.
    {
      model::ScenarioStep step;
      step.call = op.call;
      step.target = ref;
      step.op = op.op;
      step.data = op.data;
      return model::formatStep(step).substr(1);
    }
    case CallArguments::Procctl:
      return fmt::format("{} {} {} {} {}{}", keyword, op.idtype == KSIM_P_PGID ? "P_PGID" : "P_PID", ref,
                         op.op == model::kProcTraceStatus ? "STATUS" : "ENABLE", static_cast<int>(op.data),
                         op.goodAddress ? "" : " bad-address");
  }
  return std::string(keyword);
}

}  // namespace

void showValue(const Program& program, std::ostream& os) { os << describe(program); }

std::string describe(const Program& program) {
  std::string out;
  for (std::size_t t = 0; t < program.threads.size(); ++t) {
    out += threadName(t, program.initialUsers.size());
    if (t < program.initialUsers.size()) out += " (" + program.initialUsers[t] + ")";
    out += ":";
    for (const Op& op : program.threads[t]) out += " " + describeOp(op, program.initialUsers.size()) + ";";
    out += "\n";
  }
  return out;
}

model::Config programConfig(const Program& program, model::KernelBuild kernel) {
  model::Config config = model::Config::defaults();
  config.kernel = kernel;
  config.processes.clear();
  for (std::size_t i = 0; i < program.initialUsers.size(); ++i) {
    std::string name = threadName(i, program.initialUsers.size());
    config.processes.push_back({name, program.initialUsers[i], name});
  }
  config.maxUserProcs = static_cast<unsigned>(kMaxThreads);
  // Every family the programs draw from; the opt-in ones (the reaper)
  // they do not draw.
  config.omitted = model::kOptInFamilies;
  return config;
}

std::vector<PropertyId> programProperties() {
  std::vector<PropertyId> out;
  for (const PropertyInfo& p : allProperties())
    if (p.judgedOn() != JudgedOn::Graph && !p.isUnspecifiedPoint()) out.push_back(p.id);
  return out;
}

ProgramVerdict explore(const ksim_variant& variant, const Program& program,
                       const std::vector<PropertyId>& selected, std::uint64_t maxStates,
                       model::KernelBuild build) {
  model::Kernel kernel(variant, programConfig(program, build));
  CheckedModel checked(kernel, selected);
  ProgramModel model(checked, program);
  sim::Options options;
  options.bounds.maxStates = maxStates;
  auto result = sim::explore(model, options);
  ProgramVerdict verdict;
  verdict.states = result.stats.states;
  verdict.complete = result.completion == sim::Completion::Complete;
  const sim::Counterexample<Action, ProgramState>* shortest = nullptr;
  for (const auto& cx : result.counterexamples)
    if (shortest == nullptr || cx.actions.size() < shortest->actions.size()) shortest = &cx;
  if (shortest != nullptr)
    verdict.violation =
        concretizeActions(checked, shortest->property, shortest->actions, shortest->viaTransition);
  return verdict;
}

namespace {

// Any thread index, whether or not the program has that thread (then the
// reference names no process): so dropping a thread while shrinking does
// not change what the other calls name.
rc::Gen<ProcessRef> genRef() {
  return rc::gen::weightedOneOf<ProcessRef>(
      {{12, rc::gen::map(rc::gen::inRange<std::size_t>(0, kMaxThreads),
                         [](std::size_t t) {
                           return ProcessRef{ProcessRef::Kind::Thread, static_cast<std::uint8_t>(t)};
                         })},
       {1, rc::gen::just(ProcessRef{ProcessRef::Kind::Missing, 0})},
       {1, rc::gen::just(ProcessRef{ProcessRef::Kind::Swapper, 0})},
       {1, rc::gen::just(ProcessRef{ProcessRef::Kind::Init, 0})}});
}

// One of weighted choices, as rc::gen::weightedElement draws it, from a list
// built at run time (weightedElement takes only an initializer list).
template <typename T>
rc::Gen<T> weightedChoice(std::vector<std::pair<std::size_t, T>> choices) {
  std::vector<std::size_t> weights;
  std::vector<T> values;
  for (auto& [weight, value] : choices) {
    weights.push_back(weight);
    values.push_back(std::move(value));
  }
  return rc::gen::detail::WeightedElementGen<T>(std::move(weights), std::move(values));
}

// The calls of one argument grammar (Syscall.def), each with its weight:
// the first, native entry (procctl, fork) `first` times as often as any
// other (procctl32, vfork).
std::vector<std::pair<std::size_t, Call>> callsOf(CallArguments grammar, std::size_t first) {
  std::vector<std::pair<std::size_t, Call>> out;
  // Not a call whose families the default search all leaves out (pdfork,
  // opt-in): the generator draws what the default search tries.
  const model::Config defaults = model::Config::defaults();
  for (const model::CallSpec& c : model::kCalls)
    if (c.origin == model::CallOrigin::Process && c.arguments == grammar && !defaults.omitsEveryFamilyOf(c.call))
      out.push_back({out.empty() ? first : 1, c.call});
  return out;
}

// How often a targeted call is drawn: attaching most (it is how a process
// becomes traced), then what undoes or uses it; the rest once each.
std::size_t targetedWeight(const model::TargetedCall& t) {
  if (t.call == Call::Ptrace && t.op == model::kPtAttach) return 4;
  if (t.call == Call::Ptrace && (t.op == model::kPtDetach || t.op == model::kPtContinue) && t.data == 0) return 2;
  if (t.call == Call::Ktrace && t.op == model::kKtrSet) return 2;
  if (t.call == Call::Kill && t.family == model::CallFamily::Kill) return 2;
  return 1;
}

// One call other than fork (forks are placed by genProgram, so that each
// starts a thread of its own).  The choices follow Syscall.def: procctl's
// calls, the subject, first and with most weight; then every other call a
// process makes, in table order, weighted by its arguments.
rc::Gen<Op> genCall() {
  auto simple = [](Call call, std::uint8_t op = 0) {
    return rc::gen::just(Op{.call = call, .target = {}, .op = op});
  };
  auto targeted = [](Call call, std::uint8_t op, std::int8_t data = 0) {
    return rc::gen::map(
        genRef(), [=](ProcessRef ref) { return Op{.call = call, .target = ref, .op = op, .data = data}; });
  };
  auto procctl = rc::gen::exec([] {
    Op op{.call = *weightedChoice(callsOf(CallArguments::Procctl, 6)), .target = {}};
    op.target = *genRef();
    bool status = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
    op.op = static_cast<std::uint8_t>(status ? model::kProcTraceStatus : model::kProcTraceEnable);
    op.idtype =
        static_cast<std::uint8_t>(*rc::gen::weightedElement<int>({{6, KSIM_P_PID}, {1, KSIM_P_PGID}}));
    if (!status)
      op.data =
          static_cast<std::int8_t>(*rc::gen::weightedElement<int>({{4, KSIM_PROC_TRACE_SET_DISABLED},
                                                                   {3, KSIM_PROC_TRACE_SET_ENABLED},
                                                                   {3, KSIM_PROC_TRACE_SET_DISABLED_EXEC},
                                                                   {1, 0}}));
    op.goodAddress = *rc::gen::weightedElement<bool>({{12, true}, {1, false}});
    return op;
  });
  std::vector<std::pair<std::size_t, rc::Gen<Op>>> choices = {{12, procctl}};
  // A call whose families the default search all leaves out (getppid,
  // which changes nothing) is not drawn either.
  const model::Config defaults = model::Config::defaults();
  for (const model::CallSpec& c : model::kCalls) {
    if (c.origin != model::CallOrigin::Process || defaults.omitsEveryFamilyOf(c.call)) continue;
    switch (c.arguments) {
      case CallArguments::None:
      case CallArguments::ExitCode:  // exit 0: the explorer's
        choices.push_back({1, simple(c.call)});
        break;
      case CallArguments::ChildName:   // genProgram's
      case CallArguments::Procctl:     // the first choice
      case CallArguments::Descriptor:  // pdfork's, which is opt-in
        break;
      // Only in opt-in families, which the default search leaves out:
      // skipped above.
      case CallArguments::SignalAction:
      case CallArguments::SignalMask:
        break;
      case CallArguments::ExecImage:
        choices.push_back({3, simple(c.call, model::kImagePlain)});
        choices.push_back({1, simple(c.call, model::kImageSetuidRoot)});
        break;
      case CallArguments::OptionalChild:
        choices.push_back({2, simple(c.call)});
        break;
      case CallArguments::PtraceRequest:
        choices.push_back({3, simple(c.call, model::kPtTraceMe)});
        [[fallthrough]];
      case CallArguments::KtraceOperation:
      case CallArguments::Signal:
        // Every request and signal the explorer aims at a target, from
        // its table, unless the default search leaves its family out.
        for (const model::TargetedCall& t : model::kTargetedCalls)
          if (t.call == c.call && !defaults.omits(t.family) && !defaults.omits(t.needs))
            choices.push_back({targetedWeight(t), targeted(t.call, t.op, t.data)});
        break;
    }
  }
  return rc::gen::join(weightedChoice(std::move(choices)));
}

// Programs are bounded by their shape (at most kMaxThreads threads of at
// most six calls each), not by RapidCheck's growing size parameter, which
// would keep most of them trivial: generate every program at full size.
rc::Gen<Program> genProgram(std::vector<std::string> users) {
  return rc::gen::resize(
      100, rc::gen::exec([users] {
        Program program;
        std::size_t initial = *rc::gen::inRange<std::size_t>(1, 4);
        for (std::size_t i = 0; i < initial; ++i) program.initialUsers.push_back(*rc::gen::elementOf(users));
        std::size_t forked = *rc::gen::inRange<std::size_t>(0, kMaxThreads - initial + 1);
        std::size_t threads = initial + forked;
        program.threads.resize(threads);
        // A container of unfixed length shrinks by dropping any of its calls;
        // its length follows the size (at most six calls), its calls do not.
        for (auto& calls : program.threads)
          calls = *rc::gen::resize(6, rc::gen::container<std::vector<Op>>(rc::gen::resize(100, genCall())));
        for (std::size_t child = initial; child < threads; ++child) {
          std::size_t parent = *rc::gen::inRange<std::size_t>(0, child);
          auto& calls = program.threads[parent];
          std::size_t at = *rc::gen::inRange<std::size_t>(0, calls.size() + 1);
          Call kind = *weightedChoice(callsOf(CallArguments::ChildName, 3));
          calls.insert(calls.begin() + static_cast<std::ptrdiff_t>(at),
                       Op{.call = kind, .target = {}, .child = static_cast<std::uint8_t>(child)});
        }
        return program;
      }));
}

// Counts the shrinks RapidCheck keeps, and keeps its own reporting (which
// names a reproduction string for its test runner) out of ksim's output.
class ShrinkCounter : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool accepted) override { shrinks += accepted; }
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
  int shrinks = 0;
};

// The program without thread k: its process is never created, a fork that
// started it starts nothing, and calls that named it name no process.
Program withoutThread(const Program& program, std::size_t k) {
  Program out = program;
  if (k < out.initialUsers.size())
    out.initialUsers.erase(out.initialUsers.begin() + static_cast<std::ptrdiff_t>(k));
  out.threads.erase(out.threads.begin() + static_cast<std::ptrdiff_t>(k));
  for (auto& calls : out.threads) {
    std::erase_if(calls, [&](const Op& op) { return makesChild(op.call) && op.child == k; });
    for (Op& op : calls) {
      if (op.child > k) --op.child;
      if (op.target.kind != ProcessRef::Kind::Thread) continue;
      if (op.target.thread == k)
        op.target = {ProcessRef::Kind::Missing, 0};
      else if (op.target.thread > k)
        --op.target.thread;
    }
  }
  return out;
}

// After RapidCheck's shrinking, which works on the generator's choices and
// can stop at a local minimum, remove whole threads and single calls while
// the program still violates the same property: a removal that keeps the
// failure is kept, until none does.
Program minimizeCalls(const ksim_variant& variant, Program program, const std::vector<PropertyId>& selected,
                      const std::string& property, ProgramVerdict& verdict, int& removals,
                      model::KernelBuild build) {
  auto stillFails = [&](const Program& candidate) {
    ProgramVerdict v = explore(variant, candidate, selected, kProgramMaxStates, build);
    if (!v.violation || v.violation->property != property) return false;
    verdict = std::move(v);
    return true;
  };
  for (bool removed = true; removed;) {
    removed = false;
    for (std::size_t k = program.threads.size(); k-- > 0 && !removed;) {
      if (program.initialUsers.size() == 1 && k == 0) continue;
      Program candidate = withoutThread(program, k);
      if (stillFails(candidate)) program = std::move(candidate), removed = true;
    }
    for (std::size_t t = 0; t < program.threads.size() && !removed; ++t)
      for (std::size_t i = program.threads[t].size(); i-- > 0 && !removed;) {
        Program candidate = program;
        candidate.threads[t].erase(candidate.threads[t].begin() + static_cast<std::ptrdiff_t>(i));
        if (stillFails(candidate)) program = std::move(candidate), removed = true;
      }
    removals += removed;
  }
  return program;
}

}  // namespace

std::vector<Program> samplePrograms(const CampaignOptions& options) {
  std::vector<Program> out;
  rc::Random random(options.seed);
  rc::Gen<Program> gen = genProgram(options.users);
  for (int i = 0; i < options.programs; ++i) out.push_back(gen(random.split(), 100).value());
  return out;
}

CampaignResult runCampaign(const ksim_variant& variant, const std::vector<PropertyId>& selected,
                           const CampaignOptions& options) {
  CampaignResult out;
  out.seed = options.seed;
  std::optional<Program> lastFailing;
  std::optional<ProgramVerdict> lastVerdict;
  auto property = [&] {
    Program program = *genProgram(options.users);
    ++out.programsRun;
    ProgramVerdict verdict = explore(variant, program, selected, kProgramMaxStates, options.kernel);
    if (verdict.violation) {
      std::string why = verdict.violation->property + ": " + verdict.violation->message;
      // Shrinking tries smaller programs in turn; the last one that fails
      // is the minimal one RapidCheck reports.
      lastFailing = std::move(program);
      lastVerdict = std::move(verdict);
      RC_FAIL(why);
    }
  };
  rc::detail::TestParams params;
  params.seed = options.seed;
  params.maxSuccess = options.programs;
  rc::detail::TestMetadata metadata{"ksim programs",
                                    "every interleaving of every program keeps every property"};
  ShrinkCounter listener;
  rc::detail::TestResult result =
      rc::detail::checkProperty(rc::detail::toProperty(property), metadata, params, listener);
  out.shrinks = listener.shrinks;
  if (result.is<rc::detail::FailureResult>()) {
    const auto& failure = result.get<rc::detail::FailureResult>();
    out.failed = true;
    std::ostringstream log;
    log << failure.description;
    out.rapidcheckLog = log.str();
    out.verdict = *lastVerdict;
    out.minimal = minimizeCalls(variant, *lastFailing, selected, out.verdict.violation->property, out.verdict,
                                out.removals, options.kernel);
    out.config = programConfig(out.minimal, options.kernel);
  } else if (result.is<rc::detail::Error>()) {
    throw std::runtime_error("RapidCheck: " + result.get<rc::detail::Error>().description);
  } else if (result.is<rc::detail::GaveUpResult>()) {
    throw std::runtime_error("RapidCheck gave up: " + result.get<rc::detail::GaveUpResult>().description);
  }
  return out;
}

}  // namespace properties::programs
