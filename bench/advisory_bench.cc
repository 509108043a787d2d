// Rematching at national scale: 10,000 advisories against 100,000 assets of 400 members, the
// work Baken does when its matching rules or a member's inventory change. Generated from a
// fixed seed. The target (docs/performance.md): a whole rematch in under 2 seconds on one core.
//
// The generated data is shaped like the fixtures: 2,000 vendors with 5 products each, assets
// spread over them with a few popular vendors (a fifth of the assets on 1% of the vendors);
// advisories of 1 to 3 vulnerabilities and 3 to 8 products each, a third of the products with a
// vers range, the rest exact versions, a fifth with a CPE, statuses affected and fixed.

#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "advisories/matcher.h"

namespace baken::advisories {
namespace {

constexpr size_t kMembers = 400;
constexpr size_t kAssets = 100'000;
constexpr size_t kAdvisories = 10'000;
constexpr size_t kVendors = 2'000;
constexpr size_t kProductsPerVendor = 5;
constexpr uint64_t kSeed = 20261123;

std::string VendorName(size_t vendor) { return fmt::format("Vendor {:04d} B.V.", vendor); }
std::string ProductName(size_t product) { return fmt::format("Product {}", product); }
std::string CpeOf(size_t vendor, size_t product, const std::string& version) {
  return fmt::format("cpe:2.3:a:vendor_{:04d}:product_{}:{}:*:*:*:*:*:*:*", vendor, product,
                     version);
}

// A few vendors are everywhere (Microsoft, Cisco); most are in few municipalities.
size_t PickVendor(std::mt19937_64& random) {
  std::uniform_int_distribution<size_t> any(0, kVendors - 1);
  std::uniform_int_distribution<size_t> popular(0, kVendors / 100 - 1);
  return random() % 5 == 0 ? popular(random) : any(random);
}

std::string PickVersion(std::mt19937_64& random) {
  return fmt::format("{}.{}.{}", random() % 10, random() % 20, random() % 30);
}

struct Data {
  std::vector<Advisory> advisories;
  std::vector<MemberAssets> members;
};

const Data& Generated() {
  static const Data* data = [] {
    auto* out = new Data;
    std::mt19937_64 random(kSeed);
    out->members.resize(kMembers);
    for (size_t m = 0; m < kMembers; ++m) out->members[m].member = fmt::format("GM{:04d}", m);
    for (size_t a = 0; a < kAssets; ++a) {
      const size_t vendor = PickVendor(random);
      const size_t product = random() % kProductsPerVendor;
      registry::Asset asset;
      asset.name = fmt::format("asset {}", a);
      asset.vendor = VendorName(vendor);
      asset.product = ProductName(product);
      asset.version = PickVersion(random);
      if (random() % 5 == 0) asset.cpe = CpeOf(vendor, product, asset.version);
      asset.criticality = static_cast<registry::Criticality>(random() % 4);
      asset.internet_facing = random() % 3 == 0;
      out->members[random() % kMembers].assets.push_back(std::move(asset));
    }
    for (size_t n = 0; n < kAdvisories; ++n) {
      Advisory advisory;
      advisory.id = fmt::format("BENCH-{}", n);
      const size_t vendor = PickVendor(random);
      const size_t products = 3 + random() % 6;
      for (size_t p = 0; p < products; ++p) {
        Product product;
        product.id = fmt::format("CSAFPID-{:04d}", p);
        product.vendor = VendorName(vendor);
        const size_t which = random() % kProductsPerVendor;
        product.product_name = ProductName(which);
        if (random() % 3 == 0) {
          product.range = ParseRange(
              fmt::format("vers:generic/>={}|<{}", PickVersion(random), PickVersion(random)));
        } else {
          product.version = PickVersion(random);
        }
        if (random() % 5 == 0)
          product.cpe = CpeOf(vendor, which, product.version.empty() ? "*" : product.version);
        product.name = product.vendor + " " + product.product_name;
        advisory.products.push_back(std::move(product));
      }
      const size_t vulnerabilities = 1 + random() % 3;
      for (size_t v = 0; v < vulnerabilities; ++v) {
        Vulnerability vulnerability;
        vulnerability.cve = fmt::format("CVE-2026-{}", n * 3 + v);
        for (const Product& product : advisory.products) {
          vulnerability.status[product.id].push_back(
              random() % 4 == 0 ? ProductStatus::kFixed : ProductStatus::kKnownAffected);
        }
        Score score;
        score.cvss_version = "3.1";
        score.base_score = static_cast<double>(random() % 100) / 10.0;
        score.vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        vulnerability.scores.push_back(score);
        advisory.vulnerabilities.push_back(std::move(vulnerability));
      }
      out->advisories.push_back(std::move(advisory));
    }
    return out;
  }();
  return *data;
}

void BM_BuildInventory(benchmark::State& state) {
  const Data& data = Generated();
  for (auto _ : state) {
    Inventory inventory(data.members);
    benchmark::DoNotOptimize(inventory);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kAssets));
}
BENCHMARK(BM_BuildInventory)->Unit(benchmark::kMillisecond)->Iterations(3);

// state.range(0): 1 writes a row for every asset whose version is not listed (what `advisory
// matches` shows), 0 only the rows that warn (what `baken notify` asks for).
void BM_Rematch(benchmark::State& state) {
  const Data& data = Generated();
  const Inventory inventory(data.members);
  const MatchOptions options{.explain_not_affected = state.range(0) != 0};
  size_t rows = 0;
  size_t affected = 0;
  size_t unknown = 0;
  for (auto _ : state) {
    rows = 0;
    affected = 0;
    unknown = 0;
    for (const Advisory& advisory : data.advisories) {
      const std::vector<Match> matches = MatchAdvisory(advisory, inventory, options);
      rows += matches.size();
      for (const Match& match : matches) {
        affected += match.outcome == Outcome::kAffected;
        unknown += match.outcome == Outcome::kUnknown;
      }
    }
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["affected_rows"] = static_cast<double>(affected);
  state.counters["unknown_rows"] = static_cast<double>(unknown);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kAdvisories));
}
BENCHMARK(BM_Rematch)
    ->ArgName("explain_not_affected")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace baken::advisories
