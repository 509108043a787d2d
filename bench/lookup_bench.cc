// Constituency lookup speed at national scale: 1,000,000 IPv4 and 200,000 IPv6 prefixes over
// 400 members, generated from a fixed seed so that every run measures the same table. The
// targets (docs/performance.md): >= 10 million IPv4 lookups a second on one core, and a build
// of the whole table in under 2 seconds.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include <benchmark/benchmark.h>

#include "net/ip_address.h"
#include "routing/constituency.h"

namespace baken::routing {
namespace {

constexpr size_t kMembers = 400;
constexpr size_t kV4Prefixes = 1'000'000;
constexpr size_t kV6Prefixes = 200'000;
constexpr size_t kProbes = size_t{1} << 20;  // a power of two, to wrap with a mask
constexpr uint64_t kSeed = 20261123;

struct Claim {
  net::Prefix prefix;
  uint32_t member;
};

struct Tables {
  std::vector<std::string> member_codes;
  std::vector<Claim> claims;
  std::vector<net::IpAddress> v4_probes;  // half inside a random prefix, half anywhere
  std::vector<net::IpAddress> v6_probes;
  std::shared_ptr<const Constituency> snapshot;
};

// Picks a prefix length from a weighted table {length, weight}.
int PickLength(std::mt19937_64& random, const std::vector<std::pair<int, int>>& weights) {
  int total = 0;
  for (const auto& [length, weight] : weights) total += weight;
  int pick = static_cast<int>(random() % static_cast<uint64_t>(total));
  for (const auto& [length, weight] : weights) {
    if (pick < weight) return length;
    pick -= weight;
  }
  return weights.back().first;
}

uint32_t Mask32(int length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }
uint64_t Mask64(int length) { return length == 0 ? 0 : ~uint64_t{0} << (64 - length); }

// IPv4: about 3% aggregates (/16 to /23) and the rest /24 to /32, mostly /24 to /29 as real
// assignments are. A fifth of the small prefixes sit inside an aggregate, usually of another
// member, so that the longest-prefix rule is exercised across members.
void GenerateV4(std::mt19937_64& random, Tables& tables) {
  const std::vector<std::pair<int, int>> aggregate_lengths = {
      {16, 5}, {17, 5}, {18, 10}, {19, 15}, {20, 20}, {21, 15}, {22, 15}, {23, 15}};
  const std::vector<std::pair<int, int>> assignment_lengths = {
      {24, 40}, {25, 8}, {26, 10}, {27, 12}, {28, 12}, {29, 10}, {30, 4}, {31, 1}, {32, 3}};
  std::unordered_set<uint64_t> seen;
  std::vector<net::Prefix> aggregates;
  const auto unicast_address = [&random] {
    // 1.0.0.0 up to 223.255.255.255: unicast space.
    return 0x0100'0000u + static_cast<uint32_t>(random() % (0xe000'0000ull - 0x0100'0000ull));
  };
  while (tables.claims.size() < kV4Prefixes) {
    const bool aggregate = random() % 100 < 3;
    const int length = PickLength(random, aggregate ? aggregate_lengths : assignment_lengths);
    uint32_t base = unicast_address();
    if (!aggregate && !aggregates.empty() && random() % 5 == 0) {
      const net::Prefix& outer = aggregates[random() % aggregates.size()];
      base = outer.network.v4() | (unicast_address() & ~Mask32(outer.length));
    }
    const uint32_t network = base & Mask32(length);
    if (!seen.insert((uint64_t{network} << 8) | static_cast<uint64_t>(length)).second) continue;
    const net::Prefix prefix{net::IpAddress::V4(network), length};
    if (aggregate) aggregates.push_back(prefix);
    tables.claims.push_back({prefix, static_cast<uint32_t>(random() % kMembers)});
  }
}

// IPv6: /32 to /64 in 2000::/3, a third of them inside an earlier /32 or /40 allocation.
void GenerateV6(std::mt19937_64& random, Tables& tables) {
  const std::vector<std::pair<int, int>> lengths = {{32, 5}, {36, 3},  {40, 5}, {44, 10}, {48, 55},
                                                    {52, 2}, {56, 15}, {60, 1}, {64, 4}};
  struct SeenHash {
    size_t operator()(const std::pair<uint64_t, int>& key) const {
      return std::hash<uint64_t>{}(key.first * 131 + static_cast<uint64_t>(key.second));
    }
  };
  std::unordered_set<std::pair<uint64_t, int>, SeenHash> seen;
  std::vector<net::Prefix> allocations;
  const size_t target = tables.claims.size() + kV6Prefixes;
  while (tables.claims.size() < target) {
    const int length = PickLength(random, lengths);
    uint64_t high = 0x2000'0000'0000'0000ull | (random() >> 3);
    if (length > 40 && !allocations.empty() && random() % 3 == 0) {
      const net::Prefix& outer = allocations[random() % allocations.size()];
      high = outer.network.v6_high() | (random() & ~Mask64(outer.length));
    }
    high &= Mask64(length);
    if (!seen.insert({high, length}).second) continue;
    const net::Prefix prefix{net::IpAddress::V6(high, 0), length};
    if (length <= 40) allocations.push_back(prefix);
    tables.claims.push_back({prefix, static_cast<uint32_t>(random() % kMembers)});
  }
}

// A random address inside the prefix.
net::IpAddress AddressIn(std::mt19937_64& random, const net::Prefix& prefix) {
  if (prefix.network.is_v4()) {
    const uint32_t host = static_cast<uint32_t>(random()) & ~Mask32(prefix.length);
    return net::IpAddress::V4(prefix.network.v4() | host);
  }
  const uint64_t host_high = random() & ~Mask64(prefix.length);
  return net::IpAddress::V6(prefix.network.v6_high() | host_high, random());
}

std::shared_ptr<const Constituency> BuildSnapshot(const Tables& tables) {
  Constituency::Builder builder;
  for (const Claim& claim : tables.claims) {
    builder.AddNetblock(claim.prefix, tables.member_codes[claim.member]);
  }
  Result<std::shared_ptr<const Constituency>> built = std::move(builder).Build();
  if (!built) {
    std::fprintf(stderr, "build failed: %s\n", built.error().message.c_str());
    std::abort();
  }
  return *std::move(built);
}

const Tables& GetTables() {
  static const Tables tables = [] {
    Tables generated;
    std::mt19937_64 random(kSeed);
    for (size_t i = 0; i < kMembers; ++i) {
      generated.member_codes.push_back("MEMBER-" + std::to_string(1000 + i));
    }
    generated.claims.reserve(kV4Prefixes + kV6Prefixes);
    GenerateV4(random, generated);
    GenerateV6(random, generated);
    for (size_t i = 0; i < kProbes; ++i) {
      const bool hit = random() % 2 == 0;
      const net::Prefix& v4 = generated.claims[random() % kV4Prefixes].prefix;
      generated.v4_probes.push_back(hit ? AddressIn(random, v4)
                                        : net::IpAddress::V4(static_cast<uint32_t>(random())));
      const net::Prefix& v6 = generated.claims[kV4Prefixes + random() % kV6Prefixes].prefix;
      generated.v6_probes.push_back(
          hit ? AddressIn(random, v6)
              : net::IpAddress::V6(0x2000'0000'0000'0000ull | (random() >> 3), random()));
    }
    generated.snapshot = BuildSnapshot(generated);
    return generated;
  }();
  return tables;
}

void BM_BuildSnapshot(benchmark::State& state) {
  const Tables& tables = GetTables();
  for (auto _ : state) {
    std::shared_ptr<const Constituency> snapshot = BuildSnapshot(tables);
    benchmark::DoNotOptimize(snapshot.get());
  }
  state.counters["prefixes"] = static_cast<double>(tables.claims.size());
}
BENCHMARK(BM_BuildSnapshot)->Unit(benchmark::kSecond)->Iterations(3)->UseRealTime();

void LookupLoop(benchmark::State& state, const std::vector<net::IpAddress>& probes) {
  const Constituency& constituency = *GetTables().snapshot;
  size_t next = 0;
  uint64_t hits = 0;
  for (auto _ : state) {
    const std::optional<Match> match = constituency.LookupIp(probes[next++ & (kProbes - 1)]);
    hits += match.has_value() ? 1u : 0u;
    benchmark::DoNotOptimize(match);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hit_ratio"] =
      static_cast<double>(hits) / static_cast<double>(std::max<int64_t>(state.iterations(), 1));
}

void BM_LookupIpv4(benchmark::State& state) { LookupLoop(state, GetTables().v4_probes); }
BENCHMARK(BM_LookupIpv4);

void BM_LookupIpv6(benchmark::State& state) { LookupLoop(state, GetTables().v6_probes); }
BENCHMARK(BM_LookupIpv6);

}  // namespace
}  // namespace baken::routing
