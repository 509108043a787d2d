#ifndef BAKEN_ROUTING_PREFIX_INDEX_H_
#define BAKEN_ROUTING_PREFIX_INDEX_H_

// The longest-prefix-match structure behind Constituency::LookupIp. Private to the routing
// module; its own header so that the design can be read and tested apart from the registry
// concerns in constituency.h.
//
// Design. A set of CIDR prefixes is laminar: two prefixes are either disjoint or nested. So the
// address space splits into disjoint ranges, each owned by the longest prefix that covers it
// (or by nobody). The constructor sorts the prefixes (outer before inner) and sweeps them with a
// stack of open prefixes, writing the start of every range where the owner changes. n prefixes
// give at most 2n + 1 ranges. Each range stores the 32-bit value of its prefix (for the
// constituency: the netblock number).
//
// A lookup is then "find the last range start <= address". A first-level table indexed by the
// top 16 bits of the address gives the slice of ranges starting in that /16 of the IPv4 or
// IPv6 space; a binary search inside the slice finds the range, and when no range in the slice
// starts at or before the address, the answer is the range that began before the slice. For
// IPv4 the slice only needs the low 16 bits of each start. With a million IPv4 prefixes a slice
// holds about 30 starts, one or two cache lines.
//
// What makes it fast is memory, not comparisons: a lookup costs about one trip to main memory.
// The values of the whole slice are prefetched while the starts are searched, and the search
// runs the same number of steps for every address, without branches, so that the CPU keeps
// several independent lookups in flight instead of flushing them on a mispredicted branch.
// Memory: 2 + 4 bytes per IPv4 range and 16 + 4 per IPv6 range, plus 256 KiB per family for
// the first level; about 12 MB for a million IPv4 prefixes.
//
// A built index is immutable; Find takes no lock and allocates nothing.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "net/ip_address.h"

namespace baken::routing {

// How many of the sorted values base[0..count) satisfy not_above, a test such as "value <= key"
// that holds for a leading part of the array. top_step must be a power of two no smaller than
// half the largest count passed: the loop then runs the same number of times for every lookup,
// which the CPU predicts, and its body has no branch. A search whose length follows the count
// would be mispredicted whenever the count changes, discarding the work of the lookups behind
// it that were already waiting on memory.
template <typename T, typename NotAbove>
size_t CountNotAbove(const T* base, size_t count, size_t top_step, NotAbove not_above) {
  if (count == 0) return 0;
  size_t found = 0;
  for (size_t step = top_step; step > 0; step /= 2) {
    const size_t probe = found + step < count ? found + step : count;
    found = not_above(base[probe - 1]) ? probe : found;
  }
  return found;
}

class PrefixIndex {
 public:
  // What a lookup returns for addresses that no prefix covers. Not a valid entry value.
  static constexpr uint32_t kNoValue = UINT32_MAX;

  struct V4Entry {
    uint32_t network = 0;
    int length = 0;
    uint32_t value = 0;
  };
  struct V6Entry {
    uint64_t high = 0;
    uint64_t low = 0;
    int length = 0;
    uint32_t value = 0;
  };

  // An index that owns no address.
  PrefixIndex();
  // Entries must be distinct prefixes with zero host bits and lengths in range, values other
  // than kNoValue, and fewer than 2^31 of each family (the caller checks); their order does not
  // matter.
  PrefixIndex(std::vector<V4Entry> v4, std::vector<V6Entry> v6);

  // The value of the longest prefix containing the address, or kNoValue.
  uint32_t Find(const net::IpAddress& address) const {
    return address.is_v4() ? FindV4(address.v4()) : FindV6(address.v6_high(), address.v6_low());
  }
  uint32_t FindV4(uint32_t address) const;
  uint32_t FindV6(uint64_t high, uint64_t low) const;
  // The value of the longest prefix containing every address from `first` to `last` (of one
  // family, first <= last), when that one prefix is the longest for each of them; kNoValue
  // when no prefix covers them all or a more specific prefix covers some of them. For
  // networks, which are rarely looked up: slower than Find.
  uint32_t FindWholeV4(uint32_t first, uint32_t last) const;
  uint32_t FindWholeV6(uint64_t first_high, uint64_t first_low, uint64_t last_high,
                       uint64_t last_low) const;

  size_t v4_range_count() const { return v4_values_.size(); }
  size_t v6_range_count() const { return v6_values_.size(); }

 private:
  struct V6Start {
    uint64_t high;
    uint64_t low;
  };

  // bucket_first[t] is the first range whose start has top 16 bits >= t; 2^16 + 1 entries.
  std::vector<uint32_t> v4_bucket_first_;
  std::vector<uint16_t> v4_start_low_bits_;
  std::vector<uint32_t> v4_values_;
  std::vector<uint32_t> v6_bucket_first_;
  std::vector<V6Start> v6_starts_;
  std::vector<uint32_t> v6_values_;
  // CountNotAbove's top_step for the largest bucket of each family.
  size_t v4_top_step_ = 1;
  size_t v6_top_step_ = 1;
};

}  // namespace baken::routing

#endif  // BAKEN_ROUTING_PREFIX_INDEX_H_
