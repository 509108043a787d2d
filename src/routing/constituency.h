#ifndef BAKEN_ROUTING_CONSTITUENCY_H_
#define BAKEN_ROUTING_CONSTITUENCY_H_

// The constituency snapshot: an immutable in-memory index, built from the member registry, that
// answers "which member owns this IP address / AS number / domain?" for every event routed.
//
// Performance contract: an IP lookup takes no lock and allocates nothing; with a million IPv4
// prefixes it runs at well over ten million lookups a second on one core, and Build takes well
// under two seconds (docs/performance.md, bench/lookup_bench.cc). How: routing/prefix_index.h
// maps an address to a netblock number; netblocks are numbered member by member, so a small
// table over blocks of 64 numbers gives the member without a second trip to main memory. AS
// numbers are a sorted array (binary search); domains a hash table probed once per label.
//
// Snapshots are replaced, never changed: the registry builds a new one after each change and
// swaps it into a ConstituencyHolder, while readers finish with the one they hold.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "net/ip_address.h"
#include "routing/prefix_index.h"

namespace baken::routing {

// Why an event was routed to a member.
enum class Evidence { kNetblock, kAsn, kDomain };

// "netblock", "asn", "domain": the names used in events, the API and the UI.
std::string_view EvidenceName(Evidence evidence);

struct Match {
  Evidence reason = Evidence::kNetblock;
  uint32_t member = 0;  // index into Constituency::member_codes()
  uint32_t claim = 0;   // which netblock, AS number or domain matched, for DescribeClaim

  friend bool operator==(const Match&, const Match&) = default;
};

// Immutable once built; safe for any number of concurrent readers. A Match is only meaningful
// for the snapshot that returned it.
class Constituency {
 public:
  // Collects claims, then builds the index in one go. Not thread-safe; use from one thread.
  class Builder {
   public:
    // The prefix must have zero host bits and a valid length (as ParsePrefix guarantees);
    // otherwise Build fails.
    void AddNetblock(const net::Prefix& prefix, std::string_view member_code);
    void AddAsn(uint32_t asn, std::string_view member_code);
    // The domain must be normalised (net::NormalizeDomain); otherwise Build fails.
    void AddDomain(std::string_view normalized_domain, std::string_view member_code);

    // Fails with kConflict when the same prefix, AS number or domain is given to two different
    // members, naming both; the registry prevents that, so this is a last line of defence. The
    // same claim twice for the same member is fine (kept once). Fails with kInvalidArgument
    // for a malformed claim, an empty member code, or 2^31 netblocks or more. About half a
    // second for 1.2 million netblocks (docs/performance.md).
    Result<std::shared_ptr<const Constituency>> Build() &&;

   private:
    struct V4Claim {
      uint32_t network;
      int length;
      uint32_t member;  // index into member_codes_, in order of first use
    };
    struct V6Claim {
      uint64_t high;
      uint64_t low;
      int length;
      uint32_t member;
    };
    struct AsnClaim {
      uint32_t asn;
      uint32_t member;
    };
    struct DomainClaim {
      std::string domain;
      uint32_t member;
    };
    struct StringHash {
      using is_transparent = void;
      size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    uint32_t MemberIndex(std::string_view member_code);
    void NoteProblem(std::string message);

    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> member_indexes_;
    std::vector<std::string> member_codes_;
    std::vector<V4Claim> v4_claims_;
    std::vector<V6Claim> v6_claims_;
    std::vector<AsnClaim> asn_claims_;
    std::vector<DomainClaim> domain_claims_;
    std::string first_problem_;  // the first malformed claim, reported by Build
  };

  // A snapshot with no members, for start-up before the registry has loaded.
  static std::shared_ptr<const Constituency> Empty();

  Constituency(const Constituency&) = delete;
  Constituency& operator=(const Constituency&) = delete;

  // The most specific netblock containing the address. IPv4-mapped IPv6 addresses are IPv4
  // (net::IpAddress stores them so) and find IPv4 netblocks.
  std::optional<Match> LookupIp(const net::IpAddress& address) const;
  // The netblock that holds a whole network: the longest prefix containing the network's
  // first address, when it contains the whole network and no more specific netblock (of the
  // same or another member) lies inside it. nullopt otherwise, so that a network spanning
  // several netblocks is never given to one of their members. Host bits of the network are
  // ignored.
  std::optional<Match> LookupNetwork(const net::Prefix& network) const;
  std::optional<Match> LookupAsn(uint32_t asn) const;
  // Label-aligned suffix match, the longest suffix wins: "www.example.nl" matches "example.nl",
  // "badexample.nl" does not. Case-insensitive and one trailing dot is ignored; a name that is
  // not a valid host name matches nothing. Allocates nothing.
  std::optional<Match> LookupDomain(std::string_view domain) const;
  // The order of evidence used for events: netblock, then AS number, then domain. Absent
  // evidence (nullopt, empty domain) is skipped.
  std::optional<Match> Route(const std::optional<net::IpAddress>& ip, std::optional<uint32_t> asn,
                             std::string_view domain) const;

  // Empty when the match does not come from this snapshot.
  std::string_view MemberCode(const Match& match) const;
  // The matched claim as a person writes it: "192.0.2.0/24", "AS64500", "example.nl". Empty
  // when the match does not come from this snapshot.
  std::string DescribeClaim(const Match& match) const;

  // Sorted, so that member indexes do not depend on the order claims were added.
  const std::vector<std::string>& member_codes() const { return member_codes_; }
  size_t netblock_count() const { return v4_netblocks_.size() + v6_netblocks_.size(); }
  size_t asn_count() const { return asns_.size(); }
  size_t domain_count() const { return domains_.size(); }

 private:
  // Netblock claims, sorted by member and then prefix; claim numbers count the IPv4 ones first,
  // then the IPv6 ones.
  struct V4Netblock {
    uint32_t network;
    int length;
  };
  struct V6Netblock {
    uint64_t high;
    uint64_t low;
    int length;
  };

  Constituency() = default;

  // The match for a netblock claim number from prefixes_; nullopt for kNoValue.
  std::optional<Match> NetblockMatch(uint32_t claim) const;

  std::vector<std::string> member_codes_;
  std::vector<V4Netblock> v4_netblocks_;
  std::vector<V6Netblock> v6_netblocks_;
  // v4_member_first_[m]: the first IPv4 netblock number of member m; one entry more than there
  // are members. v6_member_first_ likewise, in the numbers after the IPv4 ones.
  std::vector<uint32_t> v4_member_first_;
  std::vector<uint32_t> v6_member_first_;
  PrefixIndex prefixes_;  // prefix -> netblock claim number
  // The member owning each block of 64 netblock numbers, or UINT32_MAX when the block spans
  // two members. Turns a netblock number into its member with one load from a small table;
  // only numbers at member boundaries need a search of the *_member_first_ tables.
  std::vector<uint32_t> netblock_block_members_;
  std::vector<uint32_t> asns_;  // sorted; the claim number is the position
  std::vector<uint32_t> asn_members_;
  std::vector<std::string> domains_;  // sorted; the claim number is the position
  std::vector<uint32_t> domain_members_;
  // Views into domains_, which is never changed after Build.
  std::unordered_map<std::string_view, uint32_t> domain_claims_;
};

// What a person typed into a lookup box, recognised: an IP address, an AS number written
// "AS64500" (any case), or a domain name (normalised).
struct LookupQuery {
  enum class Kind { kIp, kAsn, kDomain };
  Kind kind = Kind::kDomain;
  std::optional<net::IpAddress> ip;  // set for kIp
  uint32_t asn = 0;                  // set for kAsn
  std::string domain;                // set for kDomain
};

// Surrounding white space is ignored. kInvalidArgument, quoting the value, when it is none of
// the three.
Result<LookupQuery> ParseLookupQuery(std::string_view value);
std::optional<Match> Lookup(const Constituency& constituency, const LookupQuery& query);

// Holds the current snapshot. Set swaps it atomically; Get returns the snapshot current at the
// time, which stays alive as long as the caller holds it. Neither blocks for longer than a
// reference-count update. Starts with Constituency::Empty().
class ConstituencyHolder {
 public:
  ConstituencyHolder();
  ConstituencyHolder(const ConstituencyHolder&) = delete;
  ConstituencyHolder& operator=(const ConstituencyHolder&) = delete;

  std::shared_ptr<const Constituency> Get() const { return current_.load(); }
  // A null snapshot is replaced by Constituency::Empty(), so Get never returns null.
  void Set(std::shared_ptr<const Constituency> snapshot);

 private:
  std::atomic<std::shared_ptr<const Constituency>> current_;
};

}  // namespace baken::routing

#endif  // BAKEN_ROUTING_CONSTITUENCY_H_
