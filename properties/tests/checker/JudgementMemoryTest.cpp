// JudgementReserve (checker/Progress.hpp) against what judgeProgress really
// allocates: this executable replaces operator new and delete to count the
// bytes the heap holds, and each test judges a graph between two readings.
// The reserve is what the search's memory accounting keeps for the
// judgement, so a memory cap bounds the whole check only if the
// judgement never needs more.

#include <gtest/gtest.h>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "checker/Checker.hpp"
#include "checker/Progress.hpp"
#include "model/Config.hpp"
#include "model/Kernel.hpp"
#include "ModelTestSupport.hpp"

namespace {

// The bytes the heap holds for operator new, and the most since the last reset.
std::atomic<std::uint64_t> heldBytes{0};
std::atomic<std::uint64_t> peakBytes{0};

void* allocated(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  const std::uint64_t held = heldBytes.fetch_add(malloc_usable_size(p)) + malloc_usable_size(p);
  std::uint64_t peak = peakBytes.load();
  while (held > peak && !peakBytes.compare_exchange_weak(peak, held)) {
  }
  return p;
}

void freed(void* p) noexcept {
  if (p == nullptr) return;
  heldBytes.fetch_sub(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return allocated(std::malloc(std::max<std::size_t>(n, 1))); }
void* operator new[](std::size_t n) { return allocated(std::malloc(std::max<std::size_t>(n, 1))); }
void* operator new(std::size_t n, std::align_val_t a) {
  const auto align = static_cast<std::size_t>(a);
  return allocated(std::aligned_alloc(align, (std::max<std::size_t>(n, 1) + align - 1) / align * align));
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { freed(p); }
void operator delete[](void* p) noexcept { freed(p); }
void operator delete(void* p, std::size_t) noexcept { freed(p); }
void operator delete[](void* p, std::size_t) noexcept { freed(p); }
void operator delete(void* p, std::align_val_t) noexcept { freed(p); }
void operator delete[](void* p, std::align_val_t) noexcept { freed(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { freed(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { freed(p); }

namespace {

using properties::PropertyId;

// What does not grow with the graph and the reserve leaves out (the causes,
// the counterexamples, the verdicts), and the heap's rounding of the large
// vectors to pages.
constexpr std::uint64_t kUnreservedBytes = 256 * 1024;

struct World {
  std::string name;
  model::Config config;
  std::uint64_t maxDepth = 0;  // 0: the whole graph
  bool withRootCanUndo = true;
};

model::Config worldOf(std::vector<model::ProcessSpec> processes, unsigned maxUserProcs,
                      std::vector<model::CallFamily> omitted) {
  model::Config config = model::Config::defaults();
  config.processes = std::move(processes);
  config.maxUserProcs = maxUserProcs;
  for (model::CallFamily f : omitted) config.omitted |= model::familyBit(f);
  return config;
}

// Every way a property is judged: the default world, complete (one user:
// each owner's own search, root-can-undo's undo searches, the traps); the
// review world's users, renamed (the pair graph), bounded without
// root-can-undo, whose confirming searches on a bounded graph are left
// out of the reserve, and complete with it; root and alice, bounded.
std::vector<World> worlds() {
  using F = model::CallFamily;
  model::Config small = model::Config::defaults();
  small.omitted |= model::familyBit(F::Ktrace);
  return {
      {"default world without ktrace", small, 0, true},
      {"review world to depth 4", worldOf({{"R", "root", "R"}, {"A", "alice", "A"}, {"M", "bob", "M"}}, 4, {}), 4,
       false},
      {"alice and bob without fork, exec or ktrace",
       worldOf({{"A", "alice", "A"}, {"B", "bob", "B"}}, 2, {F::Ktrace, F::KtraceInherit, F::Exec, F::BadArguments}),
       0, true},
      {"root and alice to depth 5", worldOf({{"R", "root", "R"}, {"A", "alice", "A"}}, 4, {}), 5, false},
  };
}

// For each world, judged on 1, 2 and 4 threads (which judge no more than
// kJudgementsAtOnce properties at once): the most the heap held above
// what it held before the judgement is within the reserve for the graph's
// states and edges (and the small unreserved rest), and the reserve is
// not idle: on some number of threads the judgement used at least a third
// of it (one thread judges one property at a time, so it uses about half
// of what two at once do; and the reserve counts each answer as if every
// state were stuck).
TEST(JudgementMemoryTest, JudgementStaysWithinTheReserve) {
  for (const World& world : worlds()) {
    SCOPED_TRACE(world.name);
    model::Kernel kernel(model::test::variantNamed("rfc-2014"), world.config);
    std::vector<PropertyId> ids;
    for (const properties::PropertyInfo& p : properties::allProperties())
      if (world.withRootCanUndo || p.id != PropertyId::RootCanUndo) ids.push_back(p.id);
    properties::CheckedModel checked(kernel, ids);
    sim::Options options;
    options.recordGraph = true;
    options.bounds.maxDepth = world.maxDepth;
    const auto searched = sim::explore(checked, options);
    ASSERT_EQ(searched.completion == sim::Completion::Complete, world.maxDepth == 0);
    const std::uint64_t states = searched.graph->stateCount(), edges = searched.graph->edgeCount();
    const std::uint64_t reserve = properties::JudgementReserve(checked)(states, edges);
    std::uint64_t mostUsed = 0;
    for (const unsigned threads : {1u, 2u, 4u}) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      auto result = searched;  // the graph is shared, not copied
      const std::uint64_t before = heldBytes.load();
      peakBytes.store(before);
      properties::judgeProgress(checked, result, /*allCauses=*/true, threads);
      const std::uint64_t used = peakBytes.load() - before;
      EXPECT_LE(used, reserve + kUnreservedBytes) << states << " states, " << edges << " edges";
      mostUsed = std::max(mostUsed, used);
    }
    EXPECT_GE(mostUsed * 3, reserve) << states << " states, " << edges << " edges";
  }
}

}  // namespace
