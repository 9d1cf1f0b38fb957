// Small concurrent programs, explored in every interleaving.
//
// The exhaustive check lets any process make any call, within bounds that
// must stay small.  A program fixes what each process calls, in order, so
// its interleavings are few, and it can be longer and involve more
// processes than the exhaustive bounds allow.  RapidCheck generates the
// programs and shrinks a failing one; the explorer (sim/) enumerates every
// interleaving of each program's steps and checks every property on every
// state and step, so a program fails exactly when some interleaving of it
// violates a property, and the shortest such interleaving is the
// counterexample.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/Checker.hpp"
#include "model/Action.hpp"
#include "model/Config.hpp"
#include "model/Kernel.hpp"
#include "spec/Properties.hpp"

namespace properties::programs {

/// Threads of a program: the initial processes, then the processes that
/// fork calls start.  Each runs its own list of calls.
inline constexpr std::size_t kMaxThreads = model::kMaxUserProcs;

/// The process a call names, resolved when the call runs.
struct ProcessRef {
  enum class Kind : std::uint8_t {
    Thread,   ///< the process running thread `thread` (missing if it has none yet, or is gone)
    Missing,  ///< a pid no process has
    Swapper,  ///< pid 0
    Init,     ///< pid 1
  };
  Kind kind = Kind::Thread;
  std::uint8_t thread = 0;
  friend bool operator==(const ProcessRef&, const ProcessRef&) = default;
};

/// One system call of a thread.  The kernel's continuations (fork-finish,
/// exec-finish, take-signal) are not calls: a thread takes them when the
/// kernel requires them.
struct Op {
  model::Call call = model::Call::Procctl;  ///< any call of CallOrigin::Process (Syscall.def)
  ProcessRef target;        ///< ptrace, ktrace, kill, procctl (for P_PGID: that process's group)
  std::uint8_t op = 0;      ///< as model::Action::op
  std::uint8_t idtype = 0;  ///< procctl: P_PID or P_PGID
  std::int8_t data = 0;     ///< procctl value; ptrace/kill signal
  bool goodAddress = true;  ///< procctl
  std::uint8_t child = 0;   ///< fork/vfork: the thread the child runs
  friend bool operator==(const Op&, const Op&) = default;
};

struct Program {
  /// Users of the initial processes: thread i < initialUsers.size() is
  /// initial process i, named A, B, C...
  std::vector<std::string> initialUsers;
  /// Calls of each thread.  A thread no fork starts never runs; a fork
  /// naming a thread that is already started, or not after the forking
  /// one, starts a child that makes no calls.  So every program is valid,
  /// which lets a failing program shrink freely.
  std::vector<std::vector<Op>> threads;
};

/// The world a program runs in: its initial processes, room for every
/// thread, the default tunables, the kernel built as asked.
model::Config programConfig(const Program& program, model::KernelBuild kernel = model::Config{}.kernel);

/// The program as text, one thread per line.
std::string describe(const Program& program);

struct ProgramVerdict {
  std::uint64_t states = 0;
  bool complete = true;  ///< false if the interleavings exceeded the state bound
  /// The shortest violating interleaving, as a replayable trace; the first
  /// property (in selected order) violated at the shallowest depth.
  std::optional<ConcreteTrace> violation;
};

/// The most states one program's interleavings may take.
inline constexpr std::uint64_t kProgramMaxStates = 200'000;

/// Runs every interleaving of the program on the variant and checks the
/// selected properties (progress properties need the whole graph of the
/// exhaustive check and are skipped).
ProgramVerdict explore(const ksim_variant& variant, const Program& program,
                       const std::vector<PropertyId>& selected, std::uint64_t maxStates = kProgramMaxStates,
                       model::KernelBuild kernel = model::Config{}.kernel);

/// What a RapidCheck campaign found.
struct CampaignResult {
  std::uint64_t seed = 0;
  int programsRun = 0;  ///< programs explored, the shrinking's included
  int shrinks = 0;      ///< shrinking steps RapidCheck kept
  int removals = 0;     ///< threads and calls removed after RapidCheck's shrinking
  bool failed = false;
  Program minimal;            ///< the shrunk failing program
  model::Config config;       ///< its world
  ProgramVerdict verdict;     ///< of the minimal program
  std::string rapidcheckLog;  ///< RapidCheck's own description of the failure
};

struct CampaignOptions {
  std::uint64_t seed = 1;
  int programs = 200;                                         ///< RapidCheck's maxSuccess
  std::vector<std::string> users = {"alice", "bob", "root"};  ///< users initial processes may have
  model::KernelBuild kernel = model::Config{}.kernel;         ///< how the kernel is built (--kernel)
};

/// Generates programs with RapidCheck from the seed and checks each; on a
/// failure, RapidCheck shrinks the program, ksim then removes every thread
/// and call it can while the same property still fails, and the result
/// carries that minimal program with its shortest violating interleaving.
CampaignResult runCampaign(const ksim_variant& variant, const std::vector<PropertyId>& selected,
                           const CampaignOptions& options);

/// options.programs programs drawn from the campaign's generator with
/// options.seed, unexplored: to see what it generates (tests check that it
/// makes every call a process can make).
std::vector<Program> samplePrograms(const CampaignOptions& options);

/// The properties a program run checks by default: every property that is
/// neither a progress property nor an unspecified point.
std::vector<PropertyId> programProperties();

}  // namespace properties::programs
