// Feed intake speed on one core: parsing a Shadowserver report and routing every event, in
// memory, for 1,000,000 rows over a constituency of 400 members (bench/feed_fixture.h). Target
// (docs/performance.md): >= 1,000,000 events a second. The end-to-end run into SQLite is
// measured by bench/ingest_e2e.sh with the real `baken ingest`.

#include <benchmark/benchmark.h>

#include "bench/feed_fixture.h"
#include "common/byte_source.h"
#include "common/csv_reader.h"
#include "feeds/dedup.h"
#include "feeds/shadowserver.h"
#include "net/ip_address.h"
#include "routing/constituency.h"

namespace baken::bench {
namespace {

constexpr size_t kRows = 1'000'000;

struct Fixture {
  std::string report;
  std::shared_ptr<const routing::Constituency> constituency;
};

const Fixture& GetFixture() {
  static const Fixture* const fixture = [] {
    auto* made = new Fixture;
    const auto members = MakeConstituency();
    made->report.reserve(kRows * 400);
    GenerateRdpReport(members, kRows, [&](std::string_view text) { made->report += text; });
    routing::Constituency::Builder builder;
    for (const auto& member : members) {
      for (const auto& [network, length] : member.netblocks) {
        builder.AddNetblock({net::IpAddress::V4(network), length}, member.code);
      }
    }
    made->constituency = *std::move(builder).Build();
    return made;
  }();
  return *fixture;
}

// Counts and routes: what ingest does before the store.
struct RouteSink final : feeds::ParseSink {
  explicit RouteSink(const routing::Constituency& c) : constituency(c) {}
  void OnEvent(feeds::Event& event, size_t) override {
    const auto ip = net::IpAddress::Parse(event.Get("source.ip"));
    const auto match = constituency.Route(ip, std::nullopt, {});
    routed += match.has_value();
    key = feeds::DedupKey(match ? constituency.MemberCode(*match) : "", event);
    ++events;
  }
  void OnReject(size_t, std::string) override { ++rejected; }
  const routing::Constituency& constituency;
  std::string key;
  int64_t events = 0;
  int64_t routed = 0;
  int64_t rejected = 0;
};

void BM_ParseAndRoute(benchmark::State& state) {
  const Fixture& fixture = GetFixture();
  const auto& schema = feeds::ShadowserverSchema::BuiltIn();
  const feeds::ParseContext context{"2026-11-23T12:00:00+00:00"};
  int64_t events = 0;
  for (auto _ : state) {
    StringSource source(fixture.report);
    RouteSink sink(*fixture.constituency);
    if (!feeds::ParseShadowserver(source, schema, "scan_rdp", context, sink)) {
      state.SkipWithError("the report did not parse");
      return;
    }
    if (sink.rejected != 0) state.SkipWithError("rows were rejected");
    events += sink.events;
    benchmark::DoNotOptimize(sink.routed);
  }
  state.SetItemsProcessed(events);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(fixture.report.size()));
}
BENCHMARK(BM_ParseAndRoute)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CsvOnly(benchmark::State& state) {
  const Fixture& fixture = GetFixture();
  int64_t records = 0;
  for (auto _ : state) {
    StringSource source(fixture.report);
    CsvReader reader(source);
    CsvRecord record;
    while (reader.Next(&record)) ++records;
  }
  state.SetItemsProcessed(records);
}
BENCHMARK(BM_CsvOnly)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace baken::bench
