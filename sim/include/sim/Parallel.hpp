#pragma once

// forEachIndex: independent jobs, numbered, on up to N threads.  The caller keeps each job's
// result in its own slot and reads the slots in index order afterwards, so what it makes of
// them does not depend on the number of threads (only which thread ran a job does).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace sim {

/// Calls body(i) once for every i in [0, count), on the calling thread and up to threads - 1
/// more (0 counts as 1), each thread taking the lowest index not yet taken.  Returns when every
/// call has returned.  If calls throw, the exception of the lowest such index is rethrown
/// (whatever the number of threads: the others still run, so the same one is chosen); the
/// exceptions of the others are dropped.
template <class Body>
void forEachIndex(std::size_t count, unsigned threads, Body&& body) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) {
      try {
        body(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  {
    const std::size_t helpers = std::min<std::size_t>(std::max(threads, 1u), count) - (count > 0 ? 1 : 0);
    std::vector<std::jthread> pool;
    pool.reserve(helpers);
    for (std::size_t t = 0; t < helpers; ++t) pool.emplace_back(work);
    work();
  }  // joined here
  for (std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace sim
