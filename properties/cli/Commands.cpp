// ksim's command line: check, replay, programs, diff, ablate, patch, repro,
// report and list.  See README.md for the user's view.
//
// Exit codes: 0 all properties hold on a COMPLETE search that reached
// every cover goal (check) or a clean replay; 1 a property is violated, or
// a complete check left a cover goal unreached; 2 usage or input error;
// 3 the search was BOUNDED (depth, states, memory, interrupted), or its
// progress judgement stopped, with no violation (check), or no sampled
// program violated a property (programs), or a replay could not judge a
// graph property; 4 a
// scenario's expectation was not met (replay); 70 an internal error, a bug
// of ksim (cli/Session.hpp).

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>

#include "checker/Checker.hpp"
#include "checker/Diff.hpp"
#include "checker/PatchCheck.hpp"
#include "checker/Programs.hpp"
#include "checker/Progress.hpp"
#include "cli/Ablation.hpp"
#include "cli/Commands.hpp"
#include "cli/Session.hpp"
#include "ksim/registry.h"
#include "model/Scenario.hpp"
#include "report/CiFormats.hpp"
#include "report/DesignReview.hpp"
#include "report/Report.hpp"
#include "report/Reproducer.hpp"
#include "spec/Verdict.hpp"

namespace {

namespace cli = ksim::cli;
using cli::UsageError;

/// The bound on stored states unless --max-states or KSIM_MAX_STATES says otherwise.
constexpr std::uint64_t kDefaultMaxStates = 5'000'000;

/// An option taking a count (cli::parseCount: decimal, no sign), also from
/// the environment variable `env` if one is named; `set` receives it.
template <class Set>
CLI::Option* addCountOption(CLI::App* cmd, const std::string& name, const std::string& help, Set set,
                            const std::string& env = "") {
  const std::string shown = env.empty() ? name : name + " (or " + env + ")";
  CLI::Option* option =
      cmd->add_option_function<std::string>(
             name,
             [shown, set](const std::string& text) {
               auto value = cli::parseCount(text);
               if (!value)
                 throw CLI::ValidationError(shown, "'" + text + "' is not a count (decimal digits)");
               set(*value);
             },
             help)
          ->type_name("N");
  if (!env.empty()) option->envname(env);
  return option;
}

/// The bounds of a search, as the command line and the environment give them.
struct BoundOptions {
  std::uint64_t maxDepth = 0;
  std::uint64_t maxStates = kDefaultMaxStates;
  std::optional<std::uint64_t> maxMemory;  ///< nullopt: cli::defaultMemoryCap()
  unsigned threads = 0;                    ///< 0: cli::availableCores()
};

void addBoundOptions(CLI::App* cmd, BoundOptions& b) {
  addCountOption(
      cmd, "--max-depth", "do not expand states at this depth; 0 = unlimited",
      [&b](std::uint64_t v) { b.maxDepth = v; }, "KSIM_MAX_DEPTH")
      ->default_str(std::to_string(b.maxDepth));
  addCountOption(
      cmd, "--max-states", "stop after storing this many states; 0 = unlimited",
      [&b](std::uint64_t v) { b.maxStates = v; }, "KSIM_MAX_STATES")
      ->default_str(std::to_string(b.maxStates));
  cmd->add_option_function<std::string>(
         "--max-memory",
         [&b](const std::string& text) {
           auto bytes = cli::parseByteSize(text);
           if (!bytes)
             throw CLI::ValidationError("--max-memory (or KSIM_MAX_MEMORY)",
                                        "'" + text + "' is not a size (bytes, or a count with K, M, G or T)");
           b.maxMemory = *bytes;
         },
         "stop before the search's own accounting of what it stores exceeds this, e.g. 3G, 512M; "
         "0 = unlimited (default: " +
             std::to_string(cli::kDefaultMemoryPercent) + " % of the memory available)")
      ->envname("KSIM_MAX_MEMORY")
      ->type_name("SIZE");
  addCountOption(
      cmd, "--threads",
      "threads that expand states (the output is the same for any number); default: every core available",
      [&b](std::uint64_t v) {
        if (v == 0 || v > 1024)
          throw CLI::ValidationError("--threads (or KSIM_THREADS)", "must be 1 to 1024");
        b.threads = static_cast<unsigned>(v);
      },
      "KSIM_THREADS")
      ->default_str("all cores");
}

/// The engine's bounds: the memory cap resolved (and named on stderr), and
/// Ctrl-C or SIGTERM as the stop request. Under mpirun (`distribution`), the
/// cap is each rank's: the default one is the share of the memory available
/// of the ranks on this machine, and rank 0 alone names its own.
sim::Bounds searchBounds(const BoundOptions& b, const sim::Transport* distribution = nullptr) {
  cli::MemoryCap cap = b.maxMemory ? cli::MemoryCap{*b.maxMemory, "--max-memory"} : cli::defaultMemoryCap();
  const bool shared = distribution != nullptr && distribution->size() > 1;
  if (shared && !b.maxMemory && cap.bytes != 0) {
    const auto here = static_cast<std::uint64_t>(distribution->ranksOnThisMachine());
    cap.bytes /= here;
    cap.origin = fmt::format("{}, shared by the {} ranks on this machine", cap.origin, here);
  }
  if (!shared || distribution->rank() == 0)
    std::fprintf(stderr, "memory cap: %s%s (%s)\n", cap.bytes == 0 ? "none" : cli::formatBytes(cap.bytes).c_str(),
                 shared ? " per rank" : "", cap.origin.c_str());
  cli::installInterruptHandlers();
  return sim::Bounds{b.maxDepth, b.maxStates, cap.bytes, &cli::interruptRequested(),
                     b.threads != 0 ? b.threads : cli::availableCores()};
}

/// What a search that did not complete says about the verdicts it left open.
std::string cutShortText(sim::Completion completion) {
  return completion == sim::Completion::Interrupted ? "the search was interrupted"
                                                    : "the search was cut short by a bound";
}

/// Runs an output-file operation (report/OutputFiles.hpp), its failure
/// (std::runtime_error, one line naming the path) being bad input.
template <class Operation>
decltype(auto) asBadInput(Operation operation) {
  try {
    return operation();
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
}

/// Writes an output file; a folder that cannot be written is bad input.
void writeOut(const std::filesystem::path& path, const std::string& content) {
  asBadInput([&] { ksim::writeFileAtomically(path, content); });
}

/// An --out folder held for the run (ksim::OutputFolder), checked before
/// the search: a problem with it is bad input found at once, not after
/// minutes of search.  Empty dir: nothing.
std::optional<ksim::OutputFolder> holdOutputFolder(const std::string& dir,
                                                   const std::vector<std::string>& files,
                                                   const std::vector<std::string>& folders) {
  if (dir.empty()) return std::nullopt;
  return asBadInput([&] { return std::optional<ksim::OutputFolder>(std::in_place, dir, files, folders); });
}

/// An output file named on the command line, checked before the search.
void checkOutputFileOption(const std::string& file) {
  if (!file.empty()) asBadInput([&] { ksim::checkOutputFile(file); });
}

const ksim_variant_entry& findVariant(const std::string& name) {
  if (const ksim_variant_entry* e = ksim_variant_find(name.c_str())) return *e;
  throw UsageError("unknown variant '" + name + "' (ksim list shows the variants)");
}

/// A scenario file, read and parsed (model::parseScenarioFile), its
/// variant line checked: every error is bad input naming FILE[:LINE].
model::Scenario readScenario(const std::string& file) {
  model::Scenario sc;
  try {
    sc = model::parseScenarioFile(file);
  } catch (const model::ScenarioError& e) {
    throw UsageError(e.what());
  }
  if (sc.variant && ksim_variant_find(sc.variant->c_str()) == nullptr)
    throw UsageError(fmt::format("{}:{}: unknown variant '{}' (ksim list shows the variants)", file,
                                 sc.variantLine, *sc.variant));
  return sc;
}

struct WorldOptions {
  std::vector<std::string> omit;
  std::vector<std::string> processes;
  std::optional<unsigned> maxproc;
  std::vector<std::string> sysctls;
  std::optional<std::string> kernel;
  bool noReduction = false;
  /// Whether any option was given (replay then changes its scenario's world).
  bool any() const { return !processes.empty() || maxproc || !sysctls.empty() || kernel || noReduction; }
};

/// --kernel NAME, checked by buildConfig (KSIM_KERNEL_BUILDS names them).
void addKernelOption(CLI::App* cmd, std::optional<std::string>& kernel) {
  cmd->add_option("--kernel", kernel,
                  "how the kernel is built: " + model::kernelBuildNames(" or ") + " (default " +
                      std::string(model::kernelBuildName(model::Config{}.kernel)) +
                      "); production compiles assertions out: a failed one is a finding and the step goes on")
      ->type_name(model::kernelBuildNames("|"));
}

void addWorldOptions(CLI::App* cmd, WorldOptions& w) {
  cmd->add_option("--process", w.processes,
                  "an initial process NAME:USER[:GROUP-LEADER]; repeat; replaces the default A:alice")
      ->type_name("SPEC");
  addCountOption(cmd, "--maxproc", "most user processes at once; fork fails with EAGAIN beyond (default 2)",
                 [&w](std::uint64_t v) {
                   if (v > 1000) throw CLI::ValidationError("--maxproc", std::to_string(v) + " is too many");
                   w.maxproc = static_cast<unsigned>(v);
                 });
  std::string defaultOmitted, optIn;
  auto append = [](std::string& list, std::string_view name) {
    list += (list.empty() ? "" : " ") + std::string(name);
  };
  for (const model::FamilySpec& f : model::kFamilies)
    if (model::Config::defaults().omits(f.family)) append(f.optIn ? optIn : defaultOmitted, f.name);
  cmd->add_option("--omit", w.omit,
                  "leave a family of actions out of the search; repeat; replaces the default (" +
                      defaultOmitted + ", and the opt-in " + optIn +
                      "): a family not named is in; none: leave nothing out")
      ->type_name("FAMILY");
  cmd->add_option("--sysctl", w.sysctls, "set a tunable, e.g. kern.sugid_coredump=1; repeat")
      ->type_name("NAME=VALUE");
  addKernelOption(cmd, w.kernel);
  cmd->add_flag("--no-reduction", w.noReduction,
                "merge no states beyond the process-slot symmetry (today: no user symmetry); "
                "for cross-checking the reductions");
}

model::Config buildConfig(const WorldOptions& w, model::Config base) {
  if (!w.processes.empty()) {
    base.processes.clear();
    for (const std::string& spec : w.processes) {
      auto process = model::parseProcessSpec(spec);
      if (!process) throw UsageError("--process " + spec + ": expected NAME:USER[:GROUP]");
      base.processes.push_back(std::move(*process));
    }
  }
  if (w.maxproc) base.maxUserProcs = *w.maxproc;
  if (w.noReduction) base.reduction = false;
  if (w.kernel) {
    auto build = model::findKernelBuild(*w.kernel);
    if (!build)
      throw UsageError("--kernel: unknown kernel '" + *w.kernel + "' (" + model::kernelBuildNames(" or ") +
                       ")");
    base.kernel = *build;
  }
  if (!w.omit.empty()) base.omitted = 0;
  for (const std::string& name : w.omit) {
    if (name == "none") continue;
    auto family = model::findFamily(name);
    if (!family) throw UsageError("--omit: unknown family '" + name + "' (ksim list shows them)");
    base.omitted |= model::familyBit(*family);
  }
  for (const std::string& s : w.sysctls) {
    auto eq = s.find('=');
    auto parsed = eq == std::string::npos ? std::nullopt : model::parseDecimalInt(s.substr(eq + 1));
    if (!parsed) throw UsageError("--sysctl " + s + ": expected NAME=NUMBER (decimal, no leading zero)");
    const int value = *parsed;
    if (!base.setSysctl(s.substr(0, eq), value))
      throw UsageError("--sysctl: unknown tunable '" + s.substr(0, eq) + "'");
  }
  if (auto why = base.validate()) throw UsageError(*why);
  return base;
}

struct CheckOptions {
  std::string variant = "rfc-2014";
  WorldOptions world;
  BoundOptions bounds;
  std::vector<std::string> properties;
  std::string outDir;
  std::string jsonFile;
  std::string junitFile;
  std::string sarifFile;
  std::uint64_t progressEvery = 250'000;
  bool quiet = false;
  bool noCover = false;
  bool fingerprint = false;
  bool allCauses = false;
};

std::vector<properties::PropertyId> selectProperties(const std::vector<std::string>& names,
                                                     std::vector<properties::PropertyId> all) {
  if (names.empty()) return all;
  std::vector<properties::PropertyId> out;
  for (const std::string& name : names) {
    const auto* p = properties::findProperty(name);
    if (p == nullptr) throw UsageError("unknown property '" + name + "' (ksim list shows the properties)");
    out.push_back(p->id);
  }
  return out;
}

// `distribution`: the ranks of the MPI job this process is one of (main.cpp), or null. With two
// or more, they share the search and rank 0 alone prints and writes (README: "Under mpirun").
int runCheck(const CheckOptions& o, sim::Transport* distribution = nullptr) {
  ksim::CheckRun run;
  run.variant = &findVariant(o.variant);
  run.config = buildConfig(o.world, model::Config::defaults());
  run.fingerprint = o.fingerprint;
  run.allCauses = o.allCauses;
  run.distribution = distribution;
  const bool shared = ksim::distributed(run);
  const bool speaks = !shared || distribution->rank() == 0;
  if (shared && o.fingerprint)
    throw UsageError("--fingerprint is not supported under mpirun with more than one rank");
  if (shared && o.bounds.threads > 1)
    throw UsageError("--threads is not supported under mpirun with more than one rank (each rank expands on one thread)");
  std::vector<properties::PropertyId> all;
  for (const auto& p : properties::allProperties()) all.push_back(p.id);
  run.selected = selectProperties(o.properties, all);
  // Only the speaking rank writes. Whether it can is settled before the search, on every rank:
  // a rank that gave up alone would leave the others waiting for it.
  std::exception_ptr unusableOutput;
  auto holdIfSpeaking = [&]() -> std::optional<ksim::OutputFolder> {
    if (!speaks) return std::nullopt;
    try {
      for (const std::string* file : {&o.jsonFile, &o.junitFile, &o.sarifFile}) checkOutputFileOption(*file);
      return holdOutputFolder(o.outDir, {"summary.txt", "summary.json", "timing.txt"},
                              {"counterexamples", "unspecified", "reproducers"});
    } catch (...) {
      unusableOutput = std::current_exception();
      return std::nullopt;
    }
  };
  const auto outFolder = holdIfSpeaking();
  if (shared && sim::allgatherValue<std::uint8_t>(*distribution, unusableOutput ? 1 : 0)[0] != 0 && !speaks)
    return cli::kExitUsage;  // rank 0 says why
  if (unusableOutput) std::rethrow_exception(unusableOutput);
  cli::Activity activity("checking " + o.variant);
  run.bounds = searchBounds(o.bounds, distribution);
  if (speaks) std::cout << ksim::renderConfiguration(run) << std::flush;
  // A hook for the tests only (properties/tests/mpi): the rank it names dies at once, as a
  // killed process does, while the others wait for it in the search's first exchange.
  if (const char* dying = std::getenv("KSIM_TEST_RANK_DIES");
      shared && dying != nullptr && std::to_string(distribution->rank()) == dying)
    std::raise(SIGKILL);

  auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  double elapsed = ksim::performCheck(
      run, !o.noCover,
      [&](const sim::Progress& p) {
        if (o.quiet) return;
        if (p.violated) {
          const auto& info = properties::propertyInfo(run.selected[*p.violated]);
          std::fprintf(stderr, "ksim: found %s %s at depth %llu (%llu states)\n",
                       info.isUnspecifiedPoint() ? "a path to the unspecified point" : "a violation of",
                       std::string(info.name).c_str(), static_cast<unsigned long long>(p.violationLength),
                       static_cast<unsigned long long>(p.states));
          return;
        }
        double t = seconds();
        std::fprintf(stderr, "progress: %llu states, %llu transitions, depth %llu, %.0f states/s, %s\n",
                     static_cast<unsigned long long>(p.states),
                     static_cast<unsigned long long>(p.transitions), static_cast<unsigned long long>(p.depth),
                     t > 0 ? static_cast<double>(p.states) / t : 0.0,
                     cli::formatBytes(p.memoryBytes).c_str());
      },
      o.quiet ? 0 : o.progressEvery, {},
      // Judging a large graph takes a while after the last progress line: say so, and how to stop it.
      [&](std::uint64_t states) {
        if (o.quiet || o.progressEvery == 0 || states < o.progressEvery) return;
        std::fprintf(stderr,
                     "progress: judging the progress properties on %llu states (Ctrl-C to stop: those not "
                     "yet judged are then UNKNOWN)\n",
                     static_cast<unsigned long long>(states));
      });
  // What the ranks sent one another, the graph gathered onto rank 0 included: the communication
  // a cluster's network carries (README: "Under mpirun").
  std::uint64_t bytesBetweenRanks = 0;
  if (shared) {
    bytesBetweenRanks = sim::allreduceSum(*distribution, distribution->bytesSentToOthers());
    // Rank 0 alone judged the progress properties (it holds the graph): its exit code is the job's.
    const int code = sim::allgatherValue<int>(*distribution, speaks ? ksim::checkExitCode(run) : 0)[0];
    if (!speaks) return code;
  }

  // The engine's accounting, never RSS: the same on every run. A distributed search's is the
  // largest rank's, of its own share of the states: no bytes per state then.
  const std::uint64_t memory = run.result.stats.memoryBytes;
  const std::uint64_t bytesPerState =
      run.result.stats.states == 0 || shared ? 0 : memory / run.result.stats.states;
  const std::string memoryText =
      shared ? fmt::format("{} on the largest of {} ranks", cli::formatBytes(memory), distribution->size())
             : fmt::format("{}, {} bytes per state", cli::formatBytes(memory), bytesPerState);
  // The verdicts first: a file that cannot be written loses nothing shown.
  std::cout << ksim::renderVerdicts(run) << std::flush;
  std::fprintf(stderr, "time: %.2f s, %.0f states/s, %.0f transitions/s; memory: %s\n", elapsed,
               static_cast<double>(run.result.stats.states) / elapsed,
               static_cast<double>(run.result.stats.transitions) / elapsed, memoryText.c_str());
  if (run.judgementSeconds)
    std::fprintf(stderr, "time judging the progress properties: %.2f s\n", *run.judgementSeconds);
  const std::uint64_t bytesBetweenRanksPerState =
      run.result.stats.states == 0 ? 0 : bytesBetweenRanks / run.result.stats.states;
  if (shared)
    std::fprintf(stderr, "sent between ranks: %s, %llu bytes per state\n", cli::formatBytes(bytesBetweenRanks).c_str(),
                 static_cast<unsigned long long>(bytesBetweenRanksPerState));
  if (!o.outDir.empty()) {
    namespace fs = std::filesystem;
    fs::path dir(o.outDir);
    for (std::size_t i = 0; i < run.traces.size(); ++i)
      run.files.push_back((properties::findProperty(run.traces[i].property)->isUnspecifiedPoint()
                               ? "unspecified/"
                               : "counterexamples/") +
                          ksim::counterexampleStem(run, i) + ".scenario");
    for (std::size_t i = 0; i < run.traces.size(); ++i)
      writeOut(dir / run.files[i], ksim::counterexampleFile(run, i));
    // A C program per property's first counterexample, to run the scenario on a FreeBSD
    // kernel (untested there: see properties/report/Reproducer.hpp); `ksim repro FILE` makes
    // one for any other cause's scenario.
    for (std::size_t i = 0; i < run.traces.size(); ++i) {
      if (ksim::counterexampleStem(run, i) != run.traces[i].property) continue;
      std::istringstream text(ksim::counterexampleFile(run, i));
      std::string shownPath = run.files[i];
      model::Scenario sc = model::parseScenario(text, shownPath);
      writeOut(dir / "reproducers" / (ksim::counterexampleStem(run, i) + ".c"),
               properties::reproducerSource(sc, shownPath));
    }
    writeOut(dir / "summary.txt", ksim::renderConfiguration(run) + ksim::renderVerdicts(run));
    writeOut(dir / "summary.json", ksim::renderJson(run).dump(2) + "\n");
    writeOut(
        dir / "timing.txt",
        fmt::format("# measured, not reproducible: wall-clock time of this run\n"
                    "seconds {:.2f}\nstates_per_second {:.0f}\n"
                    "transitions_per_second {:.0f}\n"
                    "# the search's own accounting of its memory (deterministic)\n"
                    "memory_bytes {}\nbytes_per_state {}\n{}{}",
                    elapsed, static_cast<double>(run.result.stats.states) / elapsed,
                    static_cast<double>(run.result.stats.transitions) / elapsed, memory, bytesPerState,
                    run.judgementSeconds
                        ? fmt::format("# wall-clock time of the progress judgement after the search\n"
                                      "judgement_seconds {:.2f}\n",
                                      *run.judgementSeconds)
                        : std::string(),
                    shared ? fmt::format("# a distributed search: memory_bytes is the largest rank's "
                                         "(bytes_per_state 0: not measured)\nranks {}\n"
                                         "# the payload the ranks sent one another (deterministic for a "
                                         "number of ranks)\nbytes_between_ranks {}\n"
                                         "bytes_between_ranks_per_state {}\n",
                                         distribution->size(), bytesBetweenRanks, bytesBetweenRanksPerState)
                           : std::string()));
  }
  if (!o.jsonFile.empty()) writeOut(o.jsonFile, ksim::renderJson(run).dump(2) + "\n");
  if (!o.junitFile.empty()) writeOut(o.junitFile, ksim::renderJunit(run));
  if (!o.sarifFile.empty()) writeOut(o.sarifFile, ksim::renderSarif(run).dump(2) + "\n");
  return ksim::checkExitCode(run);
}

int runReplay(const std::string& file, const std::string& variantOverride, const WorldOptions& world,
              std::uint64_t maxContinuations) {
  model::Scenario sc = readScenario(file);
  std::string variantName = !variantOverride.empty() ? variantOverride : sc.variant.value_or("rfc-2014");
  const ksim_variant_entry& entry = findVariant(variantName);
  model::Config config = sc.config;
  if (world.any()) config = buildConfig(world, config);
  model::Kernel kernel(*entry.variant, config);
  cli::Activity activity("replaying " + file);
  std::cout << "ksim replay " << file << " on " << variantName
            << (config.kernel == model::Config{}.kernel
                    ? std::string()
                    : " (" + std::string(model::kernelBuildName(config.kernel)) + " kernel)")
            << "\n";
  try {
    return properties::replayScenario(sc, kernel, std::cout, maxContinuations);
  } catch (const model::ScenarioError& e) {
    std::cout.flush();
    throw UsageError(e.what());
  }
}

struct ProgramsOptions {
  std::string variant = "rfc-2014";
  std::uint64_t seed = 1;
  int programs = 200;
  std::vector<std::string> properties;
  std::vector<std::string> users;
  std::optional<std::string> kernel;
  std::string outFile;
};

// `ksim programs`: RapidCheck programs, each explored in every interleaving.
// Exit 1 with the shrunk program's shortest violating interleaving, or 3:
// a sample of programs without a violation is no proof.
int runPrograms(const ProgramsOptions& o) {
  namespace pg = properties::programs;
  const ksim_variant_entry& entry = findVariant(o.variant);
  pg::CampaignOptions options;
  options.seed = o.seed;
  options.programs = o.programs;
  checkOutputFileOption(o.outFile);
  if (!o.users.empty()) options.users = o.users;
  if (o.kernel) {
    WorldOptions w;
    w.kernel = o.kernel;
    options.kernel = buildConfig(w, model::Config::defaults()).kernel;
  }
  for (const std::string& u : options.users)
    if (!model::findUser(u)) throw UsageError("unknown user '" + u + "'");
  auto selected = selectProperties(o.properties, pg::programProperties());
  for (auto id : selected)
    if (properties::propertyInfo(id).judgedOn() == properties::JudgedOn::Graph)
      throw UsageError("progress properties need the exhaustive check's graph (ksim check)");
  std::string again =
      fmt::format("ksim programs --variant {} --seed {} --programs {}", o.variant, o.seed, o.programs);
  for (const std::string& p : o.properties) again += " --property " + p;
  for (const std::string& u : o.users) again += " --user " + u;
  if (o.kernel) again += " --kernel " + *o.kernel;
  std::cout << fmt::format("variant {}, seed {}, {} programs, {} properties\nreproduce: {}\n", o.variant,
                           o.seed, o.programs, selected.size(), again)
            << std::flush;
  // RapidCheck announces the seed of its configuration when it loads; make
  // that the campaign's seed, so the two never disagree.
  if (std::getenv("RC_PARAMS") == nullptr) setenv("RC_PARAMS", fmt::format("seed={}", o.seed).c_str(), 0);
  cli::Activity activity("running programs on " + o.variant);
  auto result = pg::runCampaign(*entry.variant, selected, options);
  if (!result.failed) {
    std::cout << fmt::format(
        "NO VIOLATION in {} programs (a sample, not a proof: ksim check explores "
        "every behaviour within bounds)\n",
        result.programsRun);
    return 3;
  }
  const properties::ConcreteTrace& trace = *result.verdict.violation;
  std::string scenario = properties::formatScenarioFile(
      trace, result.config, o.variant,
      {fmt::format("{}: {}", trace.property, trace.message), "found by: " + again,
       "the shortest interleaving of the shrunk program:"});
  std::istringstream programText(pg::describe(result.minimal));
  std::cout << fmt::format("VIOLATED {}: {}\n", trace.property, trace.message)
            << fmt::format("after {} programs, {} shrinks and {} removals; the minimal program:\n",
                           result.programsRun, result.shrinks, result.removals);
  for (std::string line; std::getline(programText, line);) std::cout << "  " << line << "\n";
  std::cout << fmt::format("its shortest violating interleaving ({} steps){}:\n", trace.steps.size(),
                           o.outFile.empty() ? "" : ", written to " + o.outFile)
            << scenario;
  if (!o.outFile.empty()) writeOut(o.outFile, scenario);
  return 1;
}

struct DiffOptions {
  std::string variantA, variantB;
  WorldOptions world;
  BoundOptions bounds;
  std::string outDir;
  bool noProperties = false;
};

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), keep = true;
    if (keep)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// `ksim diff A B`: calls that behave differently in the same state, and
// properties whose verdicts differ.  Exit 1 if anything differs, 0 if
// nothing does on a complete search, 3 if nothing does within bounds.
int runDiff(const DiffOptions& o) {
  const ksim_variant_entry& a = findVariant(o.variantA);
  const ksim_variant_entry& b = findVariant(o.variantB);
  model::Config config = buildConfig(o.world, model::Config::defaults());
  const auto outFolder = holdOutputFolder(o.outDir, {"diff.txt", "diff.json"}, {"differences"});
  cli::Activity activity("comparing " + o.variantA + " with " + o.variantB);
  sim::Bounds bounds = searchBounds(o.bounds);
  std::string out = fmt::format("ksim diff {} {}\n", o.variantA, o.variantB);
  {
    ksim::CheckRun shown;
    shown.variant = &a;
    shown.config = config;
    shown.bounds = bounds;
    std::string conf = ksim::renderConfiguration(shown);
    // The world and bounds lines of the check's configuration block.
    std::istringstream lines(conf);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("  kernel", 0) == 0 || line.rfind("  processes", 0) == 0 ||
          line.rfind("  maxproc", 0) == 0 || line.rfind("  omitted", 0) == 0 ||
          line.rfind("  sysctls", 0) == 0 || line.rfind("  bounds", 0) == 0 ||
          line.rfind("  reduction", 0) == 0)
        out += line + "\n";
  }
  auto diff = properties::diffVariants(*a.variant, *b.variant, config, bounds);
  out += fmt::format("search of {}: {}: {} states; {} steps compared with {}\n", o.variantA,
                     sim::to_string(diff.completion), diff.states, diff.comparedSteps, o.variantB);
  if (diff.completion != sim::Completion::Complete)
    out += "  " + cutShortText(diff.completion) + ": differences beyond it are not known\n";
  out += fmt::format("calls whose result or effect differs: {}\n", diff.differences.size());
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < diff.differences.size(); ++i) {
    const auto& d = diff.differences[i];
    out += fmt::format("\n{}. {}\n   {} {}, {} {} ({} steps)\n", i + 1, d.call, o.variantA, d.resultA,
                       o.variantB, d.resultB, d.trace.steps.size());
    if (d.resultA == d.resultB || d.changesA != d.changesB) {
      auto changes = [](const std::vector<std::string>& c) {
        std::string t;
        for (const auto& x : c) t += (t.empty() ? "" : "; ") + x;
        return t.empty() ? std::string("nothing") : t;
      };
      out += fmt::format("   changes in {}: {}\n   changes in {}: {}\n", o.variantA, changes(d.changesA),
                         o.variantB, changes(d.changesB));
    }
    for (const auto& st : d.trace.steps)
      out += "     " + model::formatStep(st) + model::formatExpectation(st.expect) + "\n";
    std::string name = fmt::format("differences/{:02}-{}.scenario", i + 1, slug(d.call));
    files.emplace_back(name, properties::formatScenarioFile(
                                 d.trace, config, o.variantA,
                                 {fmt::format("ksim diff {} {}: {}", o.variantA, o.variantB, d.call),
                                  fmt::format("{} {}; {} {} (replay with --variant {} to see it)", o.variantA,
                                              d.resultA, o.variantB, d.resultB, o.variantB)}));
  }
  nlohmann::json json;
  json["a"] = o.variantA;
  json["b"] = o.variantB;
  json["completion"] = std::string(sim::to_string(diff.completion));
  json["states"] = diff.states;
  json["bounds"] = {{"max_depth", bounds.maxDepth}, {"max_states", bounds.maxStates}};
  json["differences"] = nlohmann::json::array();
  for (std::size_t i = 0; i < diff.differences.size(); ++i)
    json["differences"].push_back({{"call", diff.differences[i].call},
                                   {"result_a", diff.differences[i].resultA},
                                   {"result_b", diff.differences[i].resultB},
                                   {"length", diff.differences[i].trace.steps.size()},
                                   {"file", files[i].first}});
  json["properties"] = nlohmann::json::array();
  bool propertiesDiffer = false, judgementStopped = false;
  if (!o.noProperties) {
    ksim::CheckRun runs[2];
    const ksim_variant_entry* entries[2] = {&a, &b};
    for (int k = 0; k < 2; ++k) {
      runs[k].variant = entries[k];
      runs[k].config = config;
      runs[k].bounds = bounds;
      for (const auto& p : properties::allProperties()) runs[k].selected.push_back(p.id);
      ksim::performCheck(runs[k], false);
      judgementStopped |= runs[k].judgementStopped;
    }
    out += "\nproperties (same world and bounds):\n";
    for (sim::PropertyIndex p = 0; p < runs[0].selected.size(); ++p) {
      const auto& info = properties::propertyInfo(runs[0].selected[p]);
      auto verdict = [&](const ksim::CheckRun& r) {
        const auto* cx = r.result.counterexampleFor(p);
        std::string v(properties::verdictText(properties::propertyVerdict(info, r.result.verdicts[p])));
        return cx ? fmt::format("{} ({} steps)", v, cx->actions.size()) : v;
      };
      std::string va = verdict(runs[0]), vb = verdict(runs[1]);
      // A progress property whose judgement a Ctrl-C stopped is UNKNOWN for want of judging: no difference.
      const bool unjudged = info.judgedOn() == properties::JudgedOn::Graph && judgementStopped;
      bool differs = !unjudged && va.substr(0, va.find(' ')) != vb.substr(0, vb.find(' '));
      propertiesDiffer |= differs;
      json["properties"].push_back(
          {{"property", info.name}, {"verdict_a", va}, {"verdict_b", vb}, {"differs", differs}});
      out += fmt::format("  {} {:<39} {}: {}, {}: {}\n", differs ? "*" : " ", info.name, o.variantA, va,
                         o.variantB, vb);
    }
  }
  std::cout << out << std::flush;
  if (!o.outDir.empty()) {
    namespace fs = std::filesystem;
    for (const auto& [name, text] : files) writeOut(fs::path(o.outDir) / name, text);
    writeOut(fs::path(o.outDir) / "diff.txt", out);
    writeOut(fs::path(o.outDir) / "diff.json", json.dump(2) + "\n");
  }
  if (!diff.differences.empty() || propertiesDiffer) return 1;
  return diff.completion == sim::Completion::Complete && !judgementStopped ? 0 : 3;
}

struct AblateOptions {
  std::string variant;
  WorldOptions world;
  BoundOptions bounds;
  std::string outDir;
  /// Try a guard no search of the world needs in each sysctl variation of it.
  bool varySysctls = false;
};

// `ksim ablate V`: V without each of its guards.  Exit 0 when every guard
// prevents a failure on a complete search, 1 when some guard is redundant
// (a finding about the design), 3 when the search was bounded.
int runAblate(const AblateOptions& o) {
  ksim::CheckRun base;
  base.variant = &findVariant(o.variant);
  base.config = buildConfig(o.world, model::Config::defaults());
  for (const auto& p : properties::allProperties()) base.selected.push_back(p.id);
  if (ksim::guardsOf(o.variant).empty())
    throw UsageError("variant '" + o.variant + "' has no generated guard ablations (kernel/ablations/)");
  const auto outFolder = holdOutputFolder(o.outDir, {"ablation.txt", "ablation.json"}, {"counterexamples"});
  cli::Activity activity("ablating the guards of " + o.variant);
  base.bounds = searchBounds(o.bounds);
  std::cout << ksim::renderConfiguration(base) << std::flush;
  ksim::performCheck(base, false);
  std::cout << fmt::format("{}: {}, {} states; its violations are not counted against a guard\n", o.variant,
                           sim::to_string(base.result.completion), base.result.stats.states)
            << std::flush;
  namespace fs = std::filesystem;
  std::string table =
      fmt::format("guard ablation of {} ({} guards)\n", o.variant, ksim::guardsOf(o.variant).size());
  const std::vector<std::string> settings =
      o.varySysctls ? model::sysctlSettings(base.config.sysctlVariations()) : std::vector<std::string>{};
  if (!settings.empty())
    table += fmt::format("a guard no search of this world needs is tried again with one of {} set: {}\n",
                         settings.size(), fmt::join(settings, ", "));
  bool redundant = false,
       bounded = base.result.completion != sim::Completion::Complete || base.judgementStopped;
  auto outcomes =
      ksim::runAblations(base, o.varySysctls, [&](const std::string& line) { std::cerr << line << "\n"; });
  // A guard found redundant by a search that was cut short proves little,
  // and an interrupted run leaves guards out.
  if (outcomes.size() < ksim::guardsOf(o.variant).size()) bounded = true;
  for (const auto& outcome : outcomes)
    if (!outcome.prevented && outcome.completion != sim::Completion::Complete) bounded = true;
  nlohmann::json json;
  json["variant"] = o.variant;
  json["completion"] = std::string(sim::to_string(base.result.completion));
  json["bounds"] = {{"max_depth", base.bounds.maxDepth}, {"max_states", base.bounds.maxStates}};
  json["sysctl_variations"] = settings;
  json["guards"] = nlohmann::json::array();
  for (const auto& outcome : outcomes) {
    const ksim::Guard& g = outcome.guard;
    table += fmt::format("  {:<28} {}:{} in {}: {}\n    {}\n", g.ablation->variant->name, g.file, g.line,
                         g.function, g.code, ksim::outcomeText(outcome));
    redundant |= !outcome.prevented;
    nlohmann::json row = {{"ablation", g.ablation->variant->name},
                          {"file", g.file},
                          {"line", g.line},
                          {"function", g.function},
                          {"code", g.code},
                          {"outcome", ksim::outcomeText(outcome)}};
    if (outcome.prevented) {
      row["property"] = outcome.prevented->property;
      row["length"] = outcome.prevented->steps.size();
      row["counterexample"] = "counterexamples/" + std::string(g.ablation->variant->name) + ".scenario";
      if (outcome.variation) row["sysctl"] = outcome.variation->setting;
    }
    json["guards"].push_back(row);
    if (outcome.prevented) {
      const auto& trace = *outcome.prevented;
      for (const auto& st : trace.steps)
        table += "      " + model::formatStep(st) + model::formatExpectation(st.expect) + "\n";
      table += "      " + trace.message + "\n";
      if (!o.outDir.empty()) {
        writeOut(
            fs::path(o.outDir) / "counterexamples" / (std::string(g.ablation->variant->name) + ".scenario"),
            properties::formatScenarioFile(
                trace, outcome.variation ? outcome.variation->config : base.config, g.ablation->variant->name,
                {fmt::format("ksim ablate {}: without {}:{} ({}), {} fails{}", o.variant, g.file, g.line,
                             g.code, trace.property,
                             outcome.variation ? " with " + outcome.variation->setting : ""),
                 trace.message, "replay: ksim replay <this file>"}));
      }
    }
  }
  std::cout << table << std::flush;
  if (!o.outDir.empty()) {
    writeOut(fs::path(o.outDir) / "ablation.txt", table);
    writeOut(fs::path(o.outDir) / "ablation.json", json.dump(2) + "\n");
  }
  if (bounded) return 3;
  return redundant ? 1 : 0;
}

// `ksim repro FILE`: the scenario as a C program for FreeBSD, on stdout;
// it includes the runtime, properties/report/repro/ksim_repro.c, unless
// standalone, which inlines it.
int runRepro(const std::string& file, bool standalone) {
  model::Scenario sc = readScenario(file);
  cli::Activity activity("writing a reproducer for " + file);
  try {
    std::cout << properties::reproducerSource(
        sc, file,
        standalone ? properties::ReproducerForm::Standalone : properties::ReproducerForm::IncludesRuntime);
  } catch (const model::ScenarioError& e) {
    throw UsageError(e.what());
  }
  return 0;
}

struct PatchOptions {
  std::string seed, page;  ///< "" : the copies built into ksim
  std::string outDir;
};

/// The most `ksim patch` reads of a --seed or --page file: far more than a
/// patch or a man page, far less than a mistake such as a disk image.
constexpr std::uintmax_t kMaxPatchInputBytes = 16u << 20;

/// A --seed or --page file's text; anything but a readable regular file of
/// at most kMaxPatchInputBytes is bad input naming it.
std::string readPatchInput(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw UsageError(file + ": not a regular file");
  if (fs::file_size(file, ec) > kMaxPatchInputBytes)
    throw UsageError(fmt::format("{}: larger than {} bytes", file, kMaxPatchInputBytes));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw UsageError(file + ": cannot read");
  return text.str();
}

// `ksim patch`: every hunk of the seed (checker/PatchCheck.hpp).  Exit 0
// when nothing is found, 1 when something is (a hunk that does not
// compile, a mandoc message, a term documented but not checked or checked
// but not documented), 3 when nothing is found but mandoc could not lint
// the page (not judged, never a pass), 2 for bad input (a hunk that does
// not apply to the page).
int runPatch(const PatchOptions& o) {
  namespace fs = std::filesystem;
  ksim::patch::Inputs in = ksim::patch::builtInInputs();
  if (!o.seed.empty()) {
    in.seedName = o.seed;
    in.seedText = readPatchInput(o.seed);
  }
  if (!o.page.empty()) {
    in.basePageName = o.page;
    in.basePageText = readPatchInput(o.page);
  }
  const auto outFolder =
      holdOutputFolder(o.outDir, {"patch.txt", "patch.json", "procctl.2", "mandoc-lint.txt"}, {});
  cli::Activity activity("checking the hunks of " + in.seedName);
  ksim::patch::Result r;
  try {
    r = ksim::patch::checkPatch(in);
  } catch (const ksim::patch::InputError& e) {
    throw UsageError(e.what());
  }
  std::cout << r.text << std::flush;
  if (!o.outDir.empty()) {
    writeOut(fs::path(o.outDir) / "patch.txt", r.text);
    writeOut(fs::path(o.outDir) / "patch.json", r.json.dump(2) + "\n");
    writeOut(fs::path(o.outDir) / "procctl.2", r.patchedPage);
    writeOut(
        fs::path(o.outDir) / "mandoc-lint.txt",
        r.lintJudged ? r.lintOutput : std::string("not judged: mandoc is not installed or did not run\n"));
  }
  if (!r.findings.empty()) return 1;
  return r.lintJudged ? 0 : 3;
}

struct ReportOptions {
  std::string results = "results";
  bool run = false;
  std::string only;
  bool listParts = false;
};

// `ksim report`: the design review in results/.  With --run, every search
// it shows is run first (the designs' checks, the diffs, the ablations);
// without, the report is rendered from the files those runs wrote.  Each
// search is a part (design:NAME, production:NAME, diff:A--B, ablation:NAME), and so is the
// whole-patch check (patch); --only runs
// one part and renders nothing, so that parts can be checked apart.
int runReport(const ReportOptions& o) {
  namespace fs = std::filesystem;
  const ksim::ReviewPlan& plan = ksim::reviewPlan();
  fs::path results(o.results);
  // A part: its name, the folder it owns, and how it writes that folder.
  struct Part {
    std::string name;
    fs::path folder;
    std::function<void(const std::string& outDir)> write;
  };
  std::vector<Part> parts;
  WorldOptions world;
  world.processes = plan.processes;
  world.maxproc = plan.maxproc;
  // Depth is the review's only bound: no state cap that would cut a search
  // short on one machine and not on another.
  auto bounds = [](std::uint64_t depth) {
    BoundOptions b;
    b.maxDepth = depth;
    b.maxStates = 0;
    return b;
  };
  for (const std::string& design : plan.designs)
    parts.push_back({"design:" + design, results / design, [&, design](const std::string& outDir) {
                       CheckOptions c;
                       c.variant = design;
                       c.world = world;
                       c.bounds = bounds(plan.checkDepth);
                       c.outDir = outDir;
                       c.quiet = true;
                       c.allCauses = true;  // the review lists every cause of each property
                       runCheck(c);
                     }});
  if (!plan.productionFolder.empty())
    for (const std::string& design : plan.designs)
      parts.push_back({plan.productionFolder + ":" + design, results / plan.productionFolder / design,
                       [&, design](const std::string& outDir) {
                         CheckOptions c;
                         c.variant = design;
                         c.world = world;
                         c.world.kernel = std::string(model::kernelBuildName(model::KernelBuild::Production));
                         c.bounds = bounds(plan.productionDepth);
                         c.outDir = outDir;
                         c.quiet = true;
                         runCheck(c);
                       }});
  for (const auto& pair : plan.diffs)
    parts.push_back({"diff:" + pair.first + "--" + pair.second,
                     results / "diff" / (pair.first + "--" + pair.second),
                     [&, a = pair.first, b = pair.second](const std::string& outDir) {
                       DiffOptions d;
                       d.variantA = a;
                       d.variantB = b;
                       d.world = world;
                       d.bounds = bounds(plan.diffDepth);
                       d.outDir = outDir;
                       runDiff(d);
                     }});
  for (const std::string& variant : plan.ablated)
    parts.push_back(
        {"ablation:" + variant, results / "ablation" / variant, [&, variant](const std::string& outDir) {
           AblateOptions ab;
           ab.variant = variant;
           ab.world = world;
           ab.bounds = bounds(plan.ablationDepth);
           ab.varySysctls = true;
           ab.outDir = outDir;
           runAblate(ab);
         }});
  if (!plan.patchFolder.empty())
    parts.push_back({"patch", results / plan.patchFolder, [&](const std::string& outDir) {
                       PatchOptions p;
                       p.outDir = outDir;
                       runPatch(p);
                     }});
  if (o.listParts) {
    for (const Part& part : parts) std::cout << part.name << "\n";
    return 0;
  }
  // Each part writes a fresh folder beside its own, which then takes the old one's place in one
  // step: no file of an earlier run stays, and a run cut short (Ctrl-C, SIGTERM, a crash) leaves
  // the part as it was. A part interrupted ends the report.
  auto runPart = [](const Part& part) {
    const fs::path staging = part.folder.parent_path() / ("." + part.folder.filename().string() + ".partial");
    asBadInput([&] {
      fs::remove_all(staging);  // left by a run that crashed
      fs::create_directories(part.folder.parent_path());
    });
    part.write(staging.string());
    if (cli::interruptRequested().load()) {
      asBadInput([&] { fs::remove_all(staging); });
      std::cerr << fmt::format("ksim report: interrupted: {} is left as it was, and no later part ran\n",
                               part.folder.string());
      return false;
    }
    asBadInput([&] { ksim::replaceFolder(staging, part.folder); });
    return true;
  };
  if (!o.only.empty()) {
    for (const Part& part : parts)
      if (part.name == o.only) return runPart(part) ? 0 : 3;
    throw UsageError("--only: no part '" + o.only + "' (ksim report --list-parts)");
  }
  if (o.run)
    for (const Part& part : parts)
      if (!runPart(part)) return 3;
  ksim::review::Review review;
  try {
    review = ksim::loadReview(results);
  } catch (const std::exception& e) {
    throw UsageError(std::string(e.what()) + (o.run ? "" : " (ksim report --run writes it)"));
  }
  cli::Activity activity("rendering the design review");
  writeOut(results / "report.md", ksim::review::renderMarkdown(review));
  writeOut(results / "report.html", ksim::review::renderHtml(review));
  std::cout << fmt::format("wrote {} and {}: {} designs, {} counterexamples, {} differences, {} guards\n",
                           (results / "report.md").string(), (results / "report.html").string(),
                           review.variants.size(), review.counterexamples.size(), review.diffs.size(),
                           review.ablations.size());
  return 0;
}

int runList() {
  std::cout << "variants:\n";
  for (unsigned i = 0; i < ksim_variant_count; ++i)
    std::cout << fmt::format("  {:<38} {:<8} {}\n", ksim_variant_table[i].variant->name,
                             ksim_variant_table[i].kind, ksim_variant_table[i].description);
  std::cout << "properties:\n";
  for (const auto& p : properties::allProperties())
    std::cout << fmt::format("  {:<39} {:<11} {}\n  {:<51} once broken: {}\n", p.name,
                             properties::kindInfo(p.kind).listed, p.meaning, "", p.onceBroken);
  std::cout << "kernels (--kernel):\n";
  for (const auto& k : model::kKernelBuilds) std::cout << fmt::format("  {:<39} {}\n", k.name, k.meaning);
  std::cout << "cover goals:\n";
  for (const auto& g : properties::coverGoals())
    std::cout << fmt::format("  {:<39} {}\n", g.name, g.description);
  std::cout << "action families (--omit):\n";
  for (const model::FamilySpec& f : model::kFamilies)
    std::cout << "  " << f.name << (f.optIn ? " (opt-in: in only when an --omit list does not name it)" : "")
              << "\n";
  std::cout << "calls (scenario keywords):\n";
  for (std::size_t i = 0; i < model::kCallCount; ++i)
    std::cout << "  " << model::callKeyword(static_cast<model::Call>(i)) << "\n";
  return 0;
}

// CommandLineMode::ParseOnly: what the commands check of their options
// before any work (names, the world), without searching, reading or
// writing a file.
int validateOnly(const CheckOptions* check, const DiffOptions* diff, const AblateOptions* ablate,
                 const ProgramsOptions* programs) {
  if (check != nullptr) {
    findVariant(check->variant);
    buildConfig(check->world, model::Config::defaults());
    selectProperties(check->properties, {});
  }
  if (diff != nullptr) {
    findVariant(diff->variantA);
    findVariant(diff->variantB);
    buildConfig(diff->world, model::Config::defaults());
  }
  if (ablate != nullptr) {
    findVariant(ablate->variant);
    buildConfig(ablate->world, model::Config::defaults());
  }
  if (programs != nullptr) {
    findVariant(programs->variant);
  }
  return 0;
}

}  // namespace

namespace ksim::cli {

int runCommandLine(int argc, char** argv, CommandLineMode mode, sim::Transport* distribution) {
  CLI::App app{"ksim: a deterministic model checker of FreeBSD's procctl(2) PROC_TRACE_ENABLE patch"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ksim 0.1.0");

  CheckOptions check;
  auto* checkCmd =
      app.add_subcommand("check", "explore every interleaving within bounds and check every property");
  checkCmd->add_option("--variant", check.variant, "kernel variant (ksim list)")->capture_default_str();
  addWorldOptions(checkCmd, check.world);
  addBoundOptions(checkCmd, check.bounds);
  checkCmd->add_option("--property", check.properties, "check only this property; repeat (default: all)");
  checkCmd->add_option("--out", check.outDir,
                       "write summary.txt, summary.json, timing.txt, counterexamples/ and unspecified/ here");
  checkCmd->add_option("--json", check.jsonFile, "write the machine-readable summary to this file");
  checkCmd->add_option(
      "--junit", check.junitFile,
      "write JUnit XML to this file: a test case per property, failing with its counterexample");
  checkCmd->add_option(
      "--sarif", check.sarifFile,
      "write SARIF 2.1.0 to this file: a result per counterexample, at the kernel source line");
  addCountOption(checkCmd, "--progress-every", "print a progress line every N states (stderr)",
                 [&](std::uint64_t v) { check.progressEvery = v; })
      ->default_str(std::to_string(check.progressEvery));
  checkCmd->add_flag("--quiet", check.quiet, "no progress lines, no line for a violation when it is found");
  checkCmd->add_flag(
      "--no-cover", check.noCover,
      "do not require every trace_enable/trace_status branch and contract clause to be reached "
      "(they are required only when every property is checked)");
  checkCmd->add_flag(
      "--fingerprint", check.fingerprint,
      "store 64-bit fingerprints instead of states (hash compaction): far less memory, but a "
      "state may be missed (the probability is printed), no verdict is a proof (exit 3 without a "
      "violation), and progress properties are UNKNOWN");
  checkCmd->add_flag("--all-causes", check.allCauses,
                     "print (and write) a shortest counterexample of every cause of each property, not only "
                     "of the first (README: Causes)");

  std::string replayFile, replayVariant;
  WorldOptions replayWorld;
  auto* replayCmd = app.add_subcommand("replay", "run a scenario file step by step");
  replayCmd->add_option("file", replayFile, "scenario file")->required();
  replayCmd->add_option("--variant", replayVariant, "kernel variant (default: the file's, else rfc-2014)");
  addWorldOptions(replayCmd, replayWorld);
  std::uint64_t replayContinuations = 200'000;
  addCountOption(
      replayCmd, "--max-continuations",
      "explore at most this many continuations of the last state to judge the graph properties on it; 0: do "
      "not judge them",
      [&](std::uint64_t v) { replayContinuations = v; })
      ->default_str("200000");

  ProgramsOptions programs;
  auto* programsCmd = app.add_subcommand(
      "programs", "RapidCheck-generated programs, each explored in every interleaving; shrinks a failure");
  programsCmd->add_option("--variant", programs.variant, "kernel variant (ksim list)")->capture_default_str();
  addCountOption(programsCmd, "--seed", "RapidCheck's seed: the same seed, the same programs",
                 [&](std::uint64_t v) { programs.seed = v; })
      ->default_str(std::to_string(programs.seed));
  addCountOption(programsCmd, "--programs", "how many programs to try", [&](std::uint64_t v) {
    if (v < 1) throw CLI::ValidationError("--programs", "must be at least 1");
    if (v > 1'000'000'000) throw CLI::ValidationError("--programs", std::to_string(v) + " is too many");
    programs.programs = static_cast<int>(v);
  })->default_str(std::to_string(programs.programs));
  programsCmd->add_option("--property", programs.properties,
                          "check only this property; repeat (default: all but progress and unspecified)");
  programsCmd->add_option("--user", programs.users,
                          "a user initial processes may run as; repeat (default: alice, bob, root)");
  addKernelOption(programsCmd, programs.kernel);
  programsCmd->add_option("--out", programs.outFile, "write the counterexample scenario to this file");

  DiffOptions diffOpts;
  auto* diffCmd = app.add_subcommand(
      "diff",
      "the calls two variants answer differently in the same state, and their properties side by side");
  diffCmd->add_option("variant-a", diffOpts.variantA, "the first variant")->required();
  diffCmd->add_option("variant-b", diffOpts.variantB, "the second variant")->required();
  addWorldOptions(diffCmd, diffOpts.world);
  addBoundOptions(diffCmd, diffOpts.bounds);
  diffCmd->add_option("--out", diffOpts.outDir, "write diff.txt and differences/*.scenario here");
  diffCmd->add_flag("--no-properties", diffOpts.noProperties, "compare calls only, not property verdicts");

  AblateOptions ablate;
  auto* ablateCmd = app.add_subcommand(
      "ablate",
      "check a variant without each of its guards: what each guard prevents, or that it is redundant");
  ablateCmd->add_option("variant", ablate.variant, "a variant with generated guard ablations")->required();
  addWorldOptions(ablateCmd, ablate.world);
  addBoundOptions(ablateCmd, ablate.bounds);
  ablateCmd->add_option("--out", ablate.outDir, "write ablation.txt and counterexamples/ here");
  ablateCmd->add_flag(
      "--vary-sysctls", ablate.varySysctls,
      fmt::format(
          "try a guard that no search of the world needs again with one sysctl set the other way at a "
          "time ({} from the defaults): what it is for where a tunable asks for it",
          fmt::join(model::sysctlSettings(model::Config::defaults().sysctlVariations()), ", ")));

  PatchOptions patchOpts;
  auto* patchCmd = app.add_subcommand(
      "patch",
      "check every hunk of the seed: the C hunks compile under each ABI they touch; the man page hunk, "
      "applied to the page it patches, passes mandoc -T lint and documents exactly what ksim checks");
  patchCmd
      ->add_option("--seed", patchOpts.seed, "the patch, quoted in a mail as the seed is (default: the seed)")
      ->type_name("FILE");
  patchCmd
      ->add_option("--page", patchOpts.page,
                   "the man page before the patch (default: kernel/patch/procctl.2.base)")
      ->type_name("FILE");
  patchCmd->add_option("--out", patchOpts.outDir,
                       "write patch.txt, patch.json, procctl.2 (the patched page) and mandoc-lint.txt here");

  std::string reproFile;
  auto* reproCmd = app.add_subcommand(
      "repro", "print a scenario as a C program that replays it on a FreeBSD kernel (untested on FreeBSD)");
  reproCmd->add_option("file", reproFile, "scenario file")->required();
  bool reproStandalone = false;
  reproCmd->add_flag("--standalone", reproStandalone,
                     "inline the runtime (ksim_repro.c): one file that builds without the ksim tree");

  ReportOptions reportOpts;
  auto* reportCmd = app.add_subcommand(
      "report", "the design review: report.md and report.html in results/, from the runs' files there");
  reportCmd->add_option("--results", reportOpts.results, "the results folder")->capture_default_str();
  reportCmd->add_flag(
      "--run", reportOpts.run,
      "first run every check, diff and ablation the report shows (minutes), writing their files");
  reportCmd->add_option(
      "--only", reportOpts.only,
      "run this one part (design:NAME, diff:A--B, ablation:NAME, patch), writing its files, and render "
      "nothing");
  reportCmd->add_flag("--list-parts", reportOpts.listParts, "list the parts and exit");

  app.add_subcommand("list", "list variants, properties and calls");

  if (mode == CommandLineMode::Run) cli::installInternalBugHandler();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ksim: " << e.what() << " (ksim --help)\n";
    return cli::kExitUsage;
  }
  try {
    if (mode == CommandLineMode::ParseOnly)
      return validateOnly(*checkCmd ? &check : nullptr, *diffCmd ? &diffOpts : nullptr,
                          *ablateCmd ? &ablate : nullptr, *programsCmd ? &programs : nullptr);
    if (distribution != nullptr && distribution->size() > 1 && !*checkCmd)
      throw UsageError("only `ksim check` runs under mpirun with more than one rank");
    if (*checkCmd) return runCheck(check, distribution);
    if (*replayCmd) return runReplay(replayFile, replayVariant, replayWorld, replayContinuations);
    if (*programsCmd) return runPrograms(programs);
    if (*diffCmd) return runDiff(diffOpts);
    if (*ablateCmd) return runAblate(ablate);
    if (*patchCmd) return runPatch(patchOpts);
    if (*reproCmd) return runRepro(reproFile, reproStandalone);
    if (*reportCmd) return runReport(reportOpts);
    return runList();
  } catch (...) {
    std::cout.flush();
    cli::Failure failure = cli::classifyFailure(std::current_exception(), cli::Activity::current());
    // Bad input is the same on every rank of an MPI job: rank 0 says it for all.
    if (failure.exitCode != kExitUsage || distribution == nullptr || distribution->rank() == 0)
      std::cerr << failure.line << "\n";
    return failure.exitCode;
  }
}

}  // namespace ksim::cli
