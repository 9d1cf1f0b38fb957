#pragma once

// Deterministic hashing helpers for models (xxHash XXH3). Only types whose bytes are exactly
// their value (no padding, no pointers to follow) may be hashed as raw objects; anything else
// must be hashed field by field, e.g. h = sim::hashObject(field, h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include <xxhash.h>

namespace sim {

inline std::uint64_t hashBytes(const void* data, std::size_t size, std::uint64_t seed = 0) noexcept {
  return XXH3_64bits_withSeed(data, size, seed);
}

/// Hash of an object's bytes. Rejected at compile time for types with padding bits, whose
/// bytes would not be deterministic. (Do not hash pointers: their values are not deterministic.)
template <class T>
requires(std::has_unique_object_representations_v<T> && !std::is_pointer_v<T>) std::uint64_t
    hashObject(const T& value, std::uint64_t seed = 0)
noexcept { return hashBytes(&value, sizeof value, seed); }

/// Hash of a contiguous range of such objects (the length is part of the hash).
template <class T>
requires(std::has_unique_object_representations_v<T> && !std::is_pointer_v<T>) std::uint64_t
    hashRange(std::span<const T> values, std::uint64_t seed = 0)
noexcept {
  const std::uint64_t count = values.size();
  return hashBytes(values.data(), values.size_bytes(), hashObject(count, seed));
}

}  // namespace sim
