// Writes the benchmark data set (bench/feed_fixture.h) to files, for bench/ingest_e2e.sh:
//   make_feed OUT_DIR [ROWS]  ->  OUT_DIR/members.json, OUT_DIR/2026-11-22-scan_rdp-bench.csv

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/feed_fixture.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_feed OUT_DIR [ROWS]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const size_t rows = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
  const auto members = baken::bench::MakeConstituency();
  std::FILE* member_file = std::fopen((dir + "/members.json").c_str(), "wb");
  std::FILE* report = std::fopen((dir + "/2026-11-22-scan_rdp-bench.csv").c_str(), "wb");
  if (member_file == nullptr || report == nullptr) {
    std::fprintf(stderr, "make_feed: cannot write to %s\n", dir.c_str());
    return 1;
  }
  const std::string text = baken::bench::MemberFile(members);
  std::fwrite(text.data(), 1, text.size(), member_file);
  baken::bench::GenerateRdpReport(members, rows, [&](std::string_view chunk) {
    std::fwrite(chunk.data(), 1, chunk.size(), report);
  });
  std::fclose(member_file);
  std::fclose(report);
  return 0;
}
