#ifndef BAKEN_BENCH_FEED_FIXTURE_H_
#define BAKEN_BENCH_FEED_FIXTURE_H_

// A synthetic Shadowserver "scan_rdp" report in the current 32-column layout, and a
// constituency of 400 members that owns most of its addresses, generated from a fixed seed so
// that every run measures the same data (docs/performance.md).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace baken::bench {

constexpr size_t kMembers = 400;
constexpr uint64_t kSeed = 20261123;

struct MemberBlocks {
  std::string code;
  std::vector<std::pair<uint32_t, int>> netblocks;  // network (host order), length
};

// 400 members, each with 2 to 5 netblocks of /18 to /22, from 10.0.0.0 upwards with gaps of
// unowned space between them; large enough that random addresses rarely repeat.
inline std::vector<MemberBlocks> MakeConstituency() {
  std::mt19937_64 random(kSeed);
  std::vector<MemberBlocks> members;
  uint32_t next = (10u << 24);
  for (size_t m = 0; m < kMembers; ++m) {
    MemberBlocks member{fmt::format("GM{:04}", m + 1), {}};
    const int blocks = 2 + static_cast<int>(random() % 4);
    for (int b = 0; b < blocks; ++b) {
      const int length = 18 + static_cast<int>(random() % 5);
      const uint32_t size = uint32_t{1} << (32 - length);
      next = (next + size - 1) & ~(size - 1);  // aligned
      member.netblocks.emplace_back(next, length);
      next += size + size * static_cast<uint32_t>(random() % 3);  // gaps: unowned space
    }
    members.push_back(std::move(member));
  }
  return members;
}

// The member file for `baken member import`.
inline std::string MemberFile(const std::vector<MemberBlocks>& members) {
  std::string out = "{\"members\": [\n";
  for (size_t m = 0; m < members.size(); ++m) {
    out += fmt::format(
        "{{\"code\": \"{}\", \"name\": \"Gemeente {}\", \"kind\": \"gemeente\", \"contacts\": "
        "[{{\"name\": \"SOC\", \"email\": \"soc@{}.example.nl\", \"roles\": [\"general\", "
        "\"trusted\"], \"language\": \"nl\"}}], \"netblocks\": [",
        members[m].code, members[m].code, members[m].code);
    for (size_t b = 0; b < members[m].netblocks.size(); ++b) {
      const auto [network, length] = members[m].netblocks[b];
      out += fmt::format("{}\"{}.{}.{}.{}/{}\"", b ? ", " : "", network >> 24,
                         (network >> 16) & 255, (network >> 8) & 255, network & 255, length);
    }
    out += fmt::format("]}}{}\n", m + 1 < members.size() ? "," : "");
  }
  out += "]}\n";
  return out;
}

inline const char* kRdpHeader =
    "\"timestamp\",\"severity\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\",\"asn\","
    "\"geo\",\"region\",\"city\",\"naics\",\"hostname_source\",\"sector\",\"handshake\","
    "\"rdp_protocol\",\"cert_length\",\"subject_common_name\",\"issuer_common_name\","
    "\"cert_issue_date\",\"cert_expiration_date\",\"sha1_fingerprint\",\"cert_serial_number\","
    "\"ssl_version\",\"signature_algorithm\",\"key_algorithm\",\"sha256_fingerprint\","
    "\"sha512_fingerprint\",\"md5_fingerprint\",\"tlsv13_support\",\"tlsv13_cipher\",\"jarm\"\n";

// Writes `rows` rows: 90% of the addresses inside a member's netblock, 10% elsewhere; a few
// percent repeat an earlier row (duplicates), as real reports do.
template <typename Sink>
void GenerateRdpReport(const std::vector<MemberBlocks>& members, size_t rows, Sink&& write) {
  std::mt19937_64 random(kSeed + 1);
  // Addresses are drawn uniformly from all owned space (a block is picked by its size), so
  // that they rarely repeat except where a row repeats on purpose.
  std::vector<std::pair<uint32_t, int>> blocks;
  std::vector<uint64_t> ends;  // cumulative sizes
  uint64_t total = 0;
  for (const MemberBlocks& member : members) {
    for (const auto& block : member.netblocks) {
      blocks.push_back(block);
      total += uint64_t{1} << (32 - block.second);
      ends.push_back(total);
    }
  }
  write(std::string_view(kRdpHeader));
  std::string row;
  uint32_t last_ip = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint32_t ip = 0;
    if (i > 0 && random() % 50 == 0) {
      ip = last_ip;
    } else if (random() % 10 != 0) {
      const uint64_t offset = random() % total;
      const size_t b =
          static_cast<size_t>(std::upper_bound(ends.begin(), ends.end(), offset) - ends.begin());
      const uint64_t start = ends[b] - (uint64_t{1} << (32 - blocks[b].second));
      ip = blocks[b].first + static_cast<uint32_t>(offset - start);
    } else {
      ip = (172u << 24) | (16u << 16) | static_cast<uint32_t>(random() % (1u << 20));
    }
    last_ip = ip;
    const unsigned second = static_cast<unsigned>(i % 86400);
    row.clear();
    fmt::format_to(std::back_inserter(row),
                   "\"2026-11-22 {:02}:{:02}:{:02}\",\"medium\",\"{}.{}.{}.{}\",\"tcp\",3389,"
                   "\"host-{}.example.nl\",\"rdp\",{},\"NL\",\"NOORD-HOLLAND\",\"AMSTERDAM\","
                   "517311,\"ptr\",\"Government\",\"CredSSP\",\"RDP\",2048,\"WIN-{}\","
                   "\"WIN-{}\",\"2026-01-01 00:00:00\",\"2027-01-01 00:00:00\","
                   "\"5f3c6a1b2e4d8f90a1b2c3d4e5f60718293a4b5c\",\"1a2b3c4d\",\"TLSv1.2\","
                   "\"sha256WithRSAEncryption\",\"rsaEncryption\",,,,\"Y\",,"
                   "\"3fd21b20d00000021c43d21b21b43de0a012c76cf5b2cfd1\"\n",
                   second / 3600, second / 60 % 60, second % 60, ip >> 24, (ip >> 16) & 255,
                   (ip >> 8) & 255, ip & 255, i, 64496 + i % 16, i % 1000, i % 1000);
    write(std::string_view(row));
  }
}

}  // namespace baken::bench

#endif  // BAKEN_BENCH_FEED_FIXTURE_H_
