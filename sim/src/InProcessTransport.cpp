// The in-process transport (sim/Transport.hpp): K ranks as K threads.

#include "sim/Transport.hpp"

#include <thread>
#include <utility>

namespace sim {

class InProcessTransport final : public Transport {
 public:
  InProcessTransport(InProcessGroup& group, int rank) noexcept : group_(group), rank_(rank) {}

  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return group_.size(); }

  std::vector<Bytes> exchange(std::vector<Bytes> outgoing) override {
    KSIM_VERIFY(outgoing.size() == static_cast<std::size_t>(size()), "exchange: one buffer per rank");
    for (std::size_t to = 0; to < outgoing.size(); ++to)
      if (to != static_cast<std::size_t>(rank_)) countSent(outgoing[to].size());
    mine() = std::move(outgoing);
    group_.arrive();
    std::vector<Bytes> incoming(static_cast<std::size_t>(size()));
    // Only this rank touches column rank_ of the parts between the two rendezvous.
    for (std::size_t from = 0; from < incoming.size(); ++from)
      incoming[from] = std::move(group_.parts_[from][static_cast<std::size_t>(rank_)]);
    group_.arrive();
    return incoming;
  }

  std::vector<Bytes> allgather(std::span<const std::byte> part) override {
    countSent(part.size() * static_cast<std::size_t>(size() - 1));
    mine().assign(1, Bytes(part.begin(), part.end()));
    group_.arrive();
    std::vector<Bytes> all;
    all.reserve(static_cast<std::size_t>(size()));
    for (const auto& parts : group_.parts_) all.push_back(parts[0]);  // read by every rank: copied
    group_.arrive();
    return all;
  }

  void barrier() override { group_.arrive(); }

  void abort(std::string_view why) noexcept override { group_.abortAll(rank_, why); }

 private:
  std::vector<Bytes>& mine() noexcept { return group_.parts_[static_cast<std::size_t>(rank_)]; }

  InProcessGroup& group_;
  int rank_;
};

InProcessGroup::InProcessGroup(int size) : size_(size), parts_(static_cast<std::size_t>(size)) {
  KSIM_VERIFY(size >= 1, "an in-process group needs at least one rank");
  for (int r = 0; r < size; ++r) transports_.push_back(std::make_unique<InProcessTransport>(*this, r));
}

void InProcessGroup::arrive() {
  std::unique_lock lock(mutex_);
  if (aborted_) throw TransportAborted(abortReason_);
  const std::uint64_t generation = generation_;
  if (++waiting_ == size_) {
    waiting_ = 0;
    ++generation_;
    arrived_.notify_all();
    return;
  }
  arrived_.wait(lock, [&] { return generation_ != generation || aborted_; });
  if (generation_ == generation) throw TransportAborted(abortReason_);
}

void InProcessGroup::abortAll(int rank, std::string_view why) noexcept {
  const std::lock_guard lock(mutex_);
  if (!aborted_) {
    aborted_ = true;
    abortReason_ = "rank " + std::to_string(rank) + " failed: " + std::string(why);
  }
  arrived_.notify_all();
}

void runInProcess(int ranks, const std::function<void(Transport&)>& body) {
  InProcessGroup group(ranks);
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(ranks));
  std::vector<bool> causedElsewhere(static_cast<std::size_t>(ranks), false);
  {
    std::vector<std::jthread> threads;
    threads.reserve(static_cast<std::size_t>(ranks));
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        const auto at = static_cast<std::size_t>(r);
        try {
          body(group.transport(r));
        } catch (const TransportAborted&) {
          errors[at] = std::current_exception();
          causedElsewhere[at] = true;
        } catch (const std::exception& e) {
          errors[at] = std::current_exception();
          group.transport(r).abort(e.what());
        } catch (...) {
          errors[at] = std::current_exception();
          group.transport(r).abort("an exception that is not a std::exception");
        }
      });
    }
  }  // joins
  for (std::size_t r = 0; r < errors.size(); ++r)
    if (errors[r] && !causedElsewhere[r]) std::rethrow_exception(errors[r]);
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace sim
