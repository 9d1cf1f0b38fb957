// sim::forEachIndex: every job runs once, whatever the number of threads, jobs really run at
// once when there are threads for them, and a job's exception reaches the caller.

#include "sim/Parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sim::test {
namespace {

TEST(ParallelTest, EveryIndexRunsExactlyOnceForAnyThreadCount) {
  for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{100}}) {
      std::vector<std::atomic<int>> runs(count);
      forEachIndex(count, threads, [&](std::size_t i) { runs[i].fetch_add(1); });
      for (std::size_t i = 0; i < count; ++i)
        EXPECT_EQ(runs[i].load(), 1) << "index " << i << " of " << count << " with " << threads << " threads";
    }
  }
}

TEST(ParallelTest, TwoThreadsRunTwoJobsAtOnce) {
  // Each job waits until the other has started: with one thread this would never end, so the
  // wait is bounded and its outcome asserted.
  std::atomic<int> started{0};
  std::atomic<bool> sawBoth[2] = {false, false};
  forEachIndex(2, 2, [&](std::size_t i) {
    started.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (started.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    sawBoth[i] = started.load() == 2;
  });
  EXPECT_TRUE(sawBoth[0].load());
  EXPECT_TRUE(sawBoth[1].load());
}

TEST(ParallelTest, TheLowestFailingIndexIsRethrownAfterEveryJobRan) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> runs(10);
    try {
      forEachIndex(10, threads, [&](std::size_t i) {
        runs[i].fetch_add(1);
        if (i == 3 || i == 7) throw std::runtime_error("job " + std::to_string(i));
      });
      ADD_FAILURE() << "no exception with " << threads << " threads";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "job 3") << threads << " threads";
    }
    for (std::size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].load(), 1) << "index " << i;
  }
}

}  // namespace
}  // namespace sim::test
