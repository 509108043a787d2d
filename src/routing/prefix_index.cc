#include "routing/prefix_index.h"

#include <algorithm>
#include <bit>

namespace baken::routing {
namespace {

__extension__ using Uint128 = unsigned __int128;

constexpr size_t kBucketBits = 16;
constexpr size_t kBucketCount = size_t{1} << kBucketBits;
constexpr uintptr_t kCacheLine = 64;
constexpr uintptr_t kPrefetchLines = 3;

template <typename Key>
struct Interval {
  Key first;
  Key last;  // inclusive, so that a prefix ending at the top of the space needs no wider type
  uint32_t value;
};

// Ranges as parallel arrays: range i covers [starts[i], starts[i + 1]) and belongs to values[i].
template <typename Key>
struct Ranges {
  std::vector<Key> starts;
  std::vector<uint32_t> values;

  void Add(Key start, uint32_t value) {
    if (starts.back() == start) {
      // A prefix starting where another one ends, or an inner prefix sharing its outer
      // prefix's start: the later value is the right one.
      values.back() = value;
      if (values.size() >= 2 && values[values.size() - 2] == value) {
        starts.pop_back();
        values.pop_back();
      }
      return;
    }
    if (values.back() == value) return;
    starts.push_back(start);
    values.push_back(value);
  }
};

template <typename Key>
Ranges<Key> Flatten(std::vector<Interval<Key>>& intervals) {
  // Outer prefixes first: by start, then the wider (later end) first.
  std::sort(intervals.begin(), intervals.end(), [](const Interval<Key>& a, const Interval<Key>& b) {
    return a.first != b.first ? a.first < b.first : a.last > b.last;
  });
  Ranges<Key> ranges;
  ranges.starts.reserve(2 * intervals.size() + 1);
  ranges.values.reserve(2 * intervals.size() + 1);
  ranges.starts.push_back(Key{0});
  ranges.values.push_back(PrefixIndex::kNoValue);
  std::vector<Interval<Key>> open;  // nested prefixes covering the sweep position, outer first
  const auto close = [&]() {
    const Key resume = open.back().last + 1;
    open.pop_back();
    ranges.Add(resume, open.empty() ? PrefixIndex::kNoValue : open.back().value);
  };
  for (const Interval<Key>& interval : intervals) {
    while (!open.empty() && open.back().last < interval.first) close();
    ranges.Add(interval.first, interval.value);
    open.push_back(interval);
  }
  // A prefix reaching the top of the space leaves nothing after it (and last + 1 would wrap).
  while (!open.empty() && open.back().last != static_cast<Key>(~Key{0})) close();
  ranges.starts.shrink_to_fit();
  ranges.values.shrink_to_fit();
  return ranges;
}

// The top_step CountNotAbove needs for the largest bucket.
size_t TopStep(const std::vector<uint32_t>& bucket_first) {
  size_t largest = 1;
  for (size_t bucket = 0; bucket + 1 < bucket_first.size(); ++bucket) {
    largest = std::max<size_t>(largest, bucket_first[bucket + 1] - bucket_first[bucket]);
  }
  return std::bit_floor(largest);
}

// bucket_first[t] = index of the first start whose top 16 bits are >= t.
template <typename Key, typename TopBits>
std::vector<uint32_t> BucketIndex(const std::vector<Key>& starts, TopBits top_bits) {
  std::vector<uint32_t> bucket_first(kBucketCount + 1);
  size_t next = 0;
  for (size_t bucket = 0; bucket < kBucketCount; ++bucket) {
    while (next < starts.size() && top_bits(starts[next]) < bucket) ++next;
    bucket_first[bucket] = static_cast<uint32_t>(next);
  }
  bucket_first[kBucketCount] = static_cast<uint32_t>(starts.size());
  return bucket_first;
}

Uint128 ToUint128(uint64_t high, uint64_t low) { return (Uint128{high} << 64) | low; }

Uint128 LastOf(Uint128 first, int length) {
  if (length <= 0) return ~Uint128{0};
  if (length >= 128) return first;
  return first | (~Uint128{0} >> length);
}

uint32_t LastOf(uint32_t first, int length) {
  if (length <= 0) return ~uint32_t{0};
  if (length >= 32) return first;
  return first | (~uint32_t{0} >> length);
}

}  // namespace

PrefixIndex::PrefixIndex() : PrefixIndex({}, {}) {}

PrefixIndex::PrefixIndex(std::vector<V4Entry> v4, std::vector<V6Entry> v6) {
  {
    std::vector<Interval<uint32_t>> intervals;
    intervals.reserve(v4.size());
    for (const V4Entry& entry : v4) {
      intervals.push_back({entry.network, LastOf(entry.network, entry.length), entry.value});
    }
    v4.clear();
    v4.shrink_to_fit();
    Ranges<uint32_t> ranges = Flatten(intervals);
    v4_bucket_first_ =
        BucketIndex(ranges.starts, [](uint32_t start) { return size_t{start >> kBucketBits}; });
    v4_start_low_bits_.reserve(ranges.starts.size());
    for (const uint32_t start : ranges.starts) {
      v4_start_low_bits_.push_back(static_cast<uint16_t>(start));
    }
    v4_values_ = std::move(ranges.values);
    v4_top_step_ = TopStep(v4_bucket_first_);
  }
  {
    std::vector<Interval<Uint128>> intervals;
    intervals.reserve(v6.size());
    for (const V6Entry& entry : v6) {
      const Uint128 first = ToUint128(entry.high, entry.low);
      intervals.push_back({first, LastOf(first, entry.length), entry.value});
    }
    v6.clear();
    v6.shrink_to_fit();
    Ranges<Uint128> ranges = Flatten(intervals);
    v6_bucket_first_ = BucketIndex(ranges.starts, [](Uint128 start) {
      return static_cast<size_t>(start >> (128 - kBucketBits));
    });
    v6_starts_.reserve(ranges.starts.size());
    for (const Uint128 start : ranges.starts) {
      v6_starts_.push_back({static_cast<uint64_t>(start >> 64), static_cast<uint64_t>(start)});
    }
    v6_values_ = std::move(ranges.values);
    v6_top_step_ = TopStep(v6_bucket_first_);
  }
}

uint32_t PrefixIndex::FindV4(uint32_t address) const {
  const uint32_t bucket = address >> kBucketBits;
  const uint32_t begin = v4_bucket_first_[bucket];
  const uint32_t end = v4_bucket_first_[bucket + 1];
  // The answer is one of values[begin - 1 .. end - 1]. Fetching their (usually two or three)
  // cache lines while the search runs takes a memory round trip off the lookup. Always the same
  // number of lines, so that no branch depends on the bucket; a prefetch never faults, so one
  // past the end of the array is harmless (computed as an integer, not a pointer, for that).
  const auto candidates =
      reinterpret_cast<uintptr_t>(v4_values_.data() + begin - (begin > 0 ? 1 : 0));
  for (uintptr_t line = 0; line < kPrefetchLines; ++line) {
    __builtin_prefetch(reinterpret_cast<const void*>(candidates + line * kCacheLine));
  }
  const auto low_bits = static_cast<uint16_t>(address);
  const size_t below = CountNotAbove(v4_start_low_bits_.data() + begin, end - begin, v4_top_step_,
                                     [low_bits](uint16_t start) { return start <= low_bits; });
  // below == 0 means the range started in an earlier bucket. begin >= 1 then, because range 0
  // starts at address 0 and so counts as "not above" in bucket 0.
  return v4_values_[begin + below - 1];
}

uint32_t PrefixIndex::FindV6(uint64_t high, uint64_t low) const {
  const size_t bucket = high >> (64 - kBucketBits);
  const uint32_t begin = v6_bucket_first_[bucket];
  const uint32_t end = v6_bucket_first_[bucket + 1];
  const size_t below = CountNotAbove(
      v6_starts_.data() + begin, end - begin, v6_top_step_, [high, low](const V6Start& start) {
        return start.high < high || (start.high == high && start.low <= low);
      });
  return v6_values_[begin + below - 1];
}

uint32_t PrefixIndex::FindWholeV4(uint32_t first, uint32_t last) const {
  const uint32_t bucket = first >> kBucketBits;
  const uint32_t begin = v4_bucket_first_[bucket];
  const uint32_t end = v4_bucket_first_[bucket + 1];
  const auto low_bits = static_cast<uint16_t>(first);
  // Range 0 starts at address 0, so at least one start is not above `first`.
  const size_t range = size_t{begin} +
                       CountNotAbove(v4_start_low_bits_.data() + begin, end - begin, v4_top_step_,
                                     [low_bits](uint16_t start) { return start <= low_bits; }) -
                       1;
  const size_t next = range + 1;
  if (next < v4_values_.size()) {
    // The next range's bucket is the last one whose first range is not after it.
    const auto after = std::upper_bound(v4_bucket_first_.begin(), v4_bucket_first_.end(), next);
    const auto next_bucket = static_cast<uint32_t>(after - v4_bucket_first_.begin() - 1);
    const uint32_t next_start = (next_bucket << kBucketBits) | v4_start_low_bits_[next];
    if (next_start <= last) return kNoValue;  // the owner changes within first..last
  }
  return v4_values_[range];
}

uint32_t PrefixIndex::FindWholeV6(uint64_t first_high, uint64_t first_low, uint64_t last_high,
                                  uint64_t last_low) const {
  const size_t bucket = first_high >> (64 - kBucketBits);
  const uint32_t begin = v6_bucket_first_[bucket];
  const uint32_t end = v6_bucket_first_[bucket + 1];
  const size_t range = size_t{begin} +
                       CountNotAbove(v6_starts_.data() + begin, end - begin, v6_top_step_,
                                     [first_high, first_low](const V6Start& start) {
                                       return start.high < first_high ||
                                              (start.high == first_high && start.low <= first_low);
                                     }) -
                       1;
  const size_t next = range + 1;
  if (next < v6_values_.size() &&
      ToUint128(v6_starts_[next].high, v6_starts_[next].low) <= ToUint128(last_high, last_low)) {
    return kNoValue;
  }
  return v6_values_[range];
}

}  // namespace baken::routing
