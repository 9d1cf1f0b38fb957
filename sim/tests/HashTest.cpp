// sim/Hash.hpp: deterministic hashing helpers for models.

#include "sim/Hash.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace sim::test {
namespace {

template <class T>
concept RawHashable = requires(const T& value) {
  hashObject(value);
};

struct Packed {
  std::uint32_t a;
  std::uint32_t b;
};

// Equal values hash equally, different values (almost surely) differently, and the seed matters.
TEST(HashTest, ObjectHashDependsOnValueAndSeed) {
  EXPECT_EQ(hashObject(Packed{1, 2}), hashObject(Packed{1, 2}));
  EXPECT_NE(hashObject(Packed{1, 2}), hashObject(Packed{2, 1}));
  EXPECT_NE(hashObject(std::uint64_t{7}, 1), hashObject(std::uint64_t{7}, 2));
}

// The same bytes hash to the same fixed value in every run (XXH3 is specified, not salted).
TEST(HashTest, HashIsStableAcrossRuns) {
  const std::array<std::uint8_t, 3> bytes{1, 2, 3};
  EXPECT_EQ(hashBytes(bytes.data(), bytes.size()), 0xEBCE9B7632AE733Bull);  // golden XXH3-64 value
  EXPECT_EQ(hashBytes(nullptr, 0), hashBytes("", 0));
}

// A range hash covers the length: a prefix of zeros hashes differently from the whole.
TEST(HashTest, RangeHashIncludesLength) {
  const std::vector<std::uint32_t> zeros(4, 0);
  EXPECT_NE(hashRange(std::span<const std::uint32_t>(zeros.data(), 2)),
            hashRange(std::span<const std::uint32_t>(zeros.data(), 4)));
  EXPECT_EQ(hashRange(std::span<const std::uint32_t>(zeros)),
            hashRange(std::span<const std::uint32_t>(zeros)));
}

// Types with padding bytes cannot be hashed as raw objects.
TEST(HashTest, PaddedTypesAreRejectedAtCompileTime) {
  struct Padded {
    std::uint8_t a;
    std::uint32_t b;
  };
  static_assert(!RawHashable<Padded>);
  static_assert(RawHashable<Packed>);
  static_assert(!RawHashable<int*>);
  SUCCEED();
}

}  // namespace
}  // namespace sim::test
