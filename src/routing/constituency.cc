#include "routing/constituency.h"

#include <algorithm>
#include <array>
#include <bit>
#include <numeric>
#include <tuple>

#include "common/quote.h"
#include "net/as_number.h"
#include "net/domain.h"

namespace baken::routing {
namespace {

constexpr size_t kMaxNetblocks = size_t{1} << 31;
constexpr int kNetblockBlockBits = 6;
constexpr uint32_t kMixedBlock = UINT32_MAX;

std::string V4Text(uint32_t network, int length) {
  return net::Prefix{net::IpAddress::V4(network), length}.ToString();
}

std::string V6Text(uint64_t high, uint64_t low, int length) {
  return net::Prefix{net::IpAddress::V6(high, low), length}.ToString();
}

tl::unexpected<Error> ClaimedTwice(const std::string& claim, const std::string& first_member,
                                   const std::string& second_member) {
  return Conflict(claim + " is claimed by both " + first_member + " and " + second_member);
}

// first[m] = number of the first claim of member m (claims sorted by member, numbered from
// `offset`), with one more entry for the end; a member without claims gets the next one's start.
template <typename Claim>
std::vector<uint32_t> MemberFirstClaims(const std::vector<Claim>& claims, size_t member_count,
                                        size_t offset) {
  std::vector<uint32_t> first(member_count + 1);
  size_t next = 0;
  for (size_t member = 0; member <= member_count; ++member) {
    while (next < claims.size() && claims[next].member < member) ++next;
    first[member] = static_cast<uint32_t>(offset + next);
  }
  return first;
}

// The member of each block of 2^kNetblockBlockBits netblock numbers, or kMixedBlock for a block
// shared by two members (or by the IPv4 and IPv6 numbering).
std::vector<uint32_t> BlockMembers(const std::vector<uint32_t>& v4_member_first,
                                   const std::vector<uint32_t>& v6_member_first, size_t count) {
  constexpr size_t kBlockSize = size_t{1} << kNetblockBlockBits;
  std::vector<uint32_t> members((count + kBlockSize - 1) / kBlockSize, kMixedBlock);
  for (const std::vector<uint32_t>* first : {&v4_member_first, &v6_member_first}) {
    for (size_t member = 0; member + 1 < first->size(); ++member) {
      // Blocks wholly inside [begin, end) belong to this member.
      const size_t begin = ((*first)[member] + kBlockSize - 1) / kBlockSize;
      const size_t end = (*first)[member + 1] / kBlockSize;
      for (size_t block = begin; block < end; ++block) {
        members[block] = static_cast<uint32_t>(member);
      }
    }
  }
  return members;
}

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view EvidenceName(Evidence evidence) {
  switch (evidence) {
    case Evidence::kNetblock:
      return "netblock";
    case Evidence::kAsn:
      return "asn";
    case Evidence::kDomain:
      return "domain";
  }
  return "unknown";
}

// Builder.

uint32_t Constituency::Builder::MemberIndex(std::string_view member_code) {
  if (member_code.empty()) NoteProblem("a claim has an empty member code");
  const auto found = member_indexes_.find(member_code);
  if (found != member_indexes_.end()) return found->second;
  const auto index = static_cast<uint32_t>(member_codes_.size());
  member_codes_.emplace_back(member_code);
  member_indexes_.emplace(member_code, index);
  return index;
}

void Constituency::Builder::NoteProblem(std::string message) {
  if (first_problem_.empty()) first_problem_ = std::move(message);
}

void Constituency::Builder::AddNetblock(const net::Prefix& prefix, std::string_view member_code) {
  const uint32_t member = MemberIndex(member_code);
  if (!prefix.IsValid()) {
    NoteProblem("the netblock " + prefix.ToString() + " of " + Quote(member_code) +
                " has host bits set or a bad length");
    return;
  }
  if (prefix.network.is_v4()) {
    v4_claims_.push_back({prefix.network.v4(), prefix.length, member});
  } else {
    v6_claims_.push_back(
        {prefix.network.v6_high(), prefix.network.v6_low(), prefix.length, member});
  }
}

void Constituency::Builder::AddAsn(uint32_t asn, std::string_view member_code) {
  asn_claims_.push_back({asn, MemberIndex(member_code)});
}

void Constituency::Builder::AddDomain(std::string_view normalized_domain,
                                      std::string_view member_code) {
  const uint32_t member = MemberIndex(member_code);
  if (!net::IsNormalizedDomain(normalized_domain)) {
    NoteProblem("the domain " + Quote(normalized_domain) + " of " + Quote(member_code) +
                " is not a normalised host name");
    return;
  }
  domain_claims_.push_back({std::string(normalized_domain), member});
}

Result<std::shared_ptr<const Constituency>> Constituency::Builder::Build() && {
  if (!first_problem_.empty()) return InvalidArgument(first_problem_);
  // Netblock numbers are 32 bits and the prefix index counts ranges in 32 bits.
  if (v4_claims_.size() + v6_claims_.size() >= kMaxNetblocks) {
    return InvalidArgument("a constituency holds at most " + std::to_string(kMaxNetblocks - 1) +
                           " netblocks");
  }
  std::shared_ptr<Constituency> snapshot(new Constituency());

  // Renumber members in sorted order, so that indexes and messages are deterministic.
  std::vector<uint32_t> sorted(member_codes_.size());
  std::iota(sorted.begin(), sorted.end(), 0u);
  std::sort(sorted.begin(), sorted.end(),
            [this](uint32_t a, uint32_t b) { return member_codes_[a] < member_codes_[b]; });
  std::vector<uint32_t> renumbered(member_codes_.size());
  for (size_t position = 0; position < sorted.size(); ++position) {
    renumbered[sorted[position]] = static_cast<uint32_t>(position);
    snapshot->member_codes_.push_back(std::move(member_codes_[sorted[position]]));
  }
  member_codes_.clear();
  member_indexes_.clear();
  const std::vector<std::string>& codes = snapshot->member_codes_;

  // Netblocks: sorted by prefix to keep one of each and refuse one prefix for two members, then
  // numbered in (member, prefix) order, so that the claim number alone gives the member.
  for (V4Claim& claim : v4_claims_) claim.member = renumbered[claim.member];
  std::sort(v4_claims_.begin(), v4_claims_.end(), [](const V4Claim& a, const V4Claim& b) {
    return std::tie(a.network, a.length, a.member) < std::tie(b.network, b.length, b.member);
  });
  size_t kept = 0;
  for (const V4Claim& claim : v4_claims_) {
    if (kept > 0 && v4_claims_[kept - 1].network == claim.network &&
        v4_claims_[kept - 1].length == claim.length) {
      if (v4_claims_[kept - 1].member == claim.member) continue;
      return ClaimedTwice("the netblock " + V4Text(claim.network, claim.length),
                          codes[v4_claims_[kept - 1].member], codes[claim.member]);
    }
    v4_claims_[kept++] = claim;
  }
  v4_claims_.resize(kept);
  std::sort(v4_claims_.begin(), v4_claims_.end(), [](const V4Claim& a, const V4Claim& b) {
    return std::tie(a.member, a.network, a.length) < std::tie(b.member, b.network, b.length);
  });
  snapshot->v4_member_first_ = MemberFirstClaims(v4_claims_, codes.size(), 0);
  std::vector<PrefixIndex::V4Entry> v4_entries;
  v4_entries.reserve(v4_claims_.size());
  snapshot->v4_netblocks_.reserve(v4_claims_.size());
  for (const V4Claim& claim : v4_claims_) {
    const auto number = static_cast<uint32_t>(snapshot->v4_netblocks_.size());
    snapshot->v4_netblocks_.push_back({claim.network, claim.length});
    v4_entries.push_back({claim.network, claim.length, number});
  }
  v4_claims_.clear();
  v4_claims_.shrink_to_fit();

  for (V6Claim& claim : v6_claims_) claim.member = renumbered[claim.member];
  std::sort(v6_claims_.begin(), v6_claims_.end(), [](const V6Claim& a, const V6Claim& b) {
    return std::tie(a.high, a.low, a.length, a.member) <
           std::tie(b.high, b.low, b.length, b.member);
  });
  kept = 0;
  for (const V6Claim& claim : v6_claims_) {
    const V6Claim* previous = kept > 0 ? &v6_claims_[kept - 1] : nullptr;
    if (previous != nullptr && previous->high == claim.high && previous->low == claim.low &&
        previous->length == claim.length) {
      if (previous->member == claim.member) continue;
      return ClaimedTwice("the netblock " + V6Text(claim.high, claim.low, claim.length),
                          codes[previous->member], codes[claim.member]);
    }
    v6_claims_[kept++] = claim;
  }
  v6_claims_.resize(kept);
  std::sort(v6_claims_.begin(), v6_claims_.end(), [](const V6Claim& a, const V6Claim& b) {
    return std::tie(a.member, a.high, a.low, a.length) <
           std::tie(b.member, b.high, b.low, b.length);
  });
  const size_t v4_count = snapshot->v4_netblocks_.size();
  snapshot->v6_member_first_ = MemberFirstClaims(v6_claims_, codes.size(), v4_count);
  std::vector<PrefixIndex::V6Entry> v6_entries;
  v6_entries.reserve(v6_claims_.size());
  snapshot->v6_netblocks_.reserve(v6_claims_.size());
  for (const V6Claim& claim : v6_claims_) {
    const auto number = static_cast<uint32_t>(v4_count + snapshot->v6_netblocks_.size());
    snapshot->v6_netblocks_.push_back({claim.high, claim.low, claim.length});
    v6_entries.push_back({claim.high, claim.low, claim.length, number});
  }
  v6_claims_.clear();
  v6_claims_.shrink_to_fit();
  snapshot->prefixes_ = PrefixIndex(std::move(v4_entries), std::move(v6_entries));
  snapshot->netblock_block_members_ =
      BlockMembers(snapshot->v4_member_first_, snapshot->v6_member_first_,
                   v4_count + snapshot->v6_netblocks_.size());

  // AS numbers.
  for (AsnClaim& claim : asn_claims_) claim.member = renumbered[claim.member];
  std::sort(asn_claims_.begin(), asn_claims_.end(), [](const AsnClaim& a, const AsnClaim& b) {
    return std::tie(a.asn, a.member) < std::tie(b.asn, b.member);
  });
  for (size_t i = 0; i < asn_claims_.size(); ++i) {
    const AsnClaim& claim = asn_claims_[i];
    if (i > 0 && asn_claims_[i - 1].asn == claim.asn) {
      if (asn_claims_[i - 1].member == claim.member) continue;
      return ClaimedTwice("AS" + std::to_string(claim.asn), codes[asn_claims_[i - 1].member],
                          codes[claim.member]);
    }
    snapshot->asns_.push_back(claim.asn);
    snapshot->asn_members_.push_back(claim.member);
  }

  // Domains.
  for (DomainClaim& claim : domain_claims_) claim.member = renumbered[claim.member];
  std::sort(domain_claims_.begin(), domain_claims_.end(),
            [](const DomainClaim& a, const DomainClaim& b) {
              return std::tie(a.domain, a.member) < std::tie(b.domain, b.member);
            });
  for (DomainClaim& claim : domain_claims_) {
    if (!snapshot->domains_.empty() && snapshot->domains_.back() == claim.domain) {
      if (snapshot->domain_members_.back() == claim.member) continue;
      return ClaimedTwice("the domain " + claim.domain, codes[snapshot->domain_members_.back()],
                          codes[claim.member]);
    }
    snapshot->domains_.push_back(std::move(claim.domain));
    snapshot->domain_members_.push_back(claim.member);
  }
  // Only now that domains_ is complete may views into its strings be taken.
  snapshot->domain_claims_.reserve(snapshot->domains_.size());
  for (size_t i = 0; i < snapshot->domains_.size(); ++i) {
    snapshot->domain_claims_.emplace(snapshot->domains_[i], static_cast<uint32_t>(i));
  }
  return std::shared_ptr<const Constituency>(std::move(snapshot));
}

// Constituency.

std::shared_ptr<const Constituency> Constituency::Empty() {
  static const std::shared_ptr<const Constituency> empty = *Builder().Build();
  return empty;
}

std::optional<Match> Constituency::LookupIp(const net::IpAddress& address) const {
  return NetblockMatch(prefixes_.Find(address));
}

std::optional<Match> Constituency::LookupNetwork(const net::Prefix& network) const {
  uint32_t claim = PrefixIndex::kNoValue;
  if (network.network.is_v4()) {
    const int length = std::clamp(network.length, 0, 32);
    const uint32_t host_bits = length == 32 ? 0 : ~uint32_t{0} >> length;
    const uint32_t first = network.network.v4() & ~host_bits;
    claim = prefixes_.FindWholeV4(first, first | host_bits);
  } else {
    const int length = std::clamp(network.length, 0, 128);
    const auto host_bits = [](int prefix_bits) -> uint64_t {
      if (prefix_bits <= 0) return ~uint64_t{0};
      if (prefix_bits >= 64) return 0;
      return ~uint64_t{0} >> prefix_bits;
    };
    const uint64_t high_host = host_bits(length);
    const uint64_t low_host = host_bits(length - 64);
    const uint64_t high = network.network.v6_high() & ~high_host;
    const uint64_t low = network.network.v6_low() & ~low_host;
    claim = prefixes_.FindWholeV6(high, low, high | high_host, low | low_host);
  }
  return NetblockMatch(claim);
}

std::optional<Match> Constituency::NetblockMatch(uint32_t claim) const {
  if (claim == PrefixIndex::kNoValue) return std::nullopt;
  uint32_t member = netblock_block_members_[claim >> kNetblockBlockBits];
  if (member == kMixedBlock) [[unlikely]] {
    // Netblocks are numbered by member, so the member is the last one whose first netblock
    // number is not above this one.
    const std::vector<uint32_t>& first =
        claim < v4_netblocks_.size() ? v4_member_first_ : v6_member_first_;
    member = static_cast<uint32_t>(
        CountNotAbove(first.data(), first.size(), std::bit_floor(first.size()),
                      [claim](uint32_t start) { return start <= claim; }) -
        1);
  }
  return Match{Evidence::kNetblock, member, claim};
}

std::optional<Match> Constituency::LookupAsn(uint32_t asn) const {
  const auto found = std::lower_bound(asns_.begin(), asns_.end(), asn);
  if (found == asns_.end() || *found != asn) return std::nullopt;
  const auto claim = static_cast<uint32_t>(found - asns_.begin());
  return Match{Evidence::kAsn, asn_members_[claim], claim};
}

std::optional<Match> Constituency::LookupDomain(std::string_view domain) const {
  if (domain_claims_.empty()) return std::nullopt;
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.size() > net::kMaxDomainLength) return std::nullopt;
  // Normalise into a buffer on the stack, so that the lookup allocates nothing.
  std::array<char, net::kMaxDomainLength> buffer;
  std::transform(domain.begin(), domain.end(), buffer.begin(), ToLower);
  std::string_view name(buffer.data(), domain.size());
  if (!net::IsNormalizedDomain(name)) return std::nullopt;
  // The longest suffix first: the name itself, then without its first label, and so on.
  while (true) {
    const auto found = domain_claims_.find(name);
    if (found != domain_claims_.end()) {
      return Match{Evidence::kDomain, domain_members_[found->second], found->second};
    }
    const size_t dot = name.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    name.remove_prefix(dot + 1);
  }
}

std::optional<Match> Constituency::Route(const std::optional<net::IpAddress>& ip,
                                         std::optional<uint32_t> asn,
                                         std::string_view domain) const {
  if (ip) {
    if (std::optional<Match> match = LookupIp(*ip)) return match;
  }
  if (asn) {
    if (std::optional<Match> match = LookupAsn(*asn)) return match;
  }
  if (!domain.empty()) return LookupDomain(domain);
  return std::nullopt;
}

std::string_view Constituency::MemberCode(const Match& match) const {
  if (match.member >= member_codes_.size()) return {};
  return member_codes_[match.member];
}

std::string Constituency::DescribeClaim(const Match& match) const {
  switch (match.reason) {
    case Evidence::kNetblock:
      if (match.claim < v4_netblocks_.size()) {
        const V4Netblock& netblock = v4_netblocks_[match.claim];
        return V4Text(netblock.network, netblock.length);
      }
      if (match.claim - v4_netblocks_.size() < v6_netblocks_.size()) {
        const V6Netblock& netblock = v6_netblocks_[match.claim - v4_netblocks_.size()];
        return V6Text(netblock.high, netblock.low, netblock.length);
      }
      return {};
    case Evidence::kAsn:
      if (match.claim < asns_.size()) return "AS" + std::to_string(asns_[match.claim]);
      return {};
    case Evidence::kDomain:
      if (match.claim < domains_.size()) return domains_[match.claim];
      return {};
  }
  return {};
}

// Queries typed by people.

Result<LookupQuery> ParseLookupQuery(std::string_view value) {
  while (!value.empty() && IsAsciiSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsAsciiSpace(value.back())) value.remove_suffix(1);
  if (value.empty()) {
    return InvalidArgument("give an IP address, an AS number (like AS64500) or a domain name");
  }
  LookupQuery query;
  if (std::optional<net::IpAddress> ip = net::IpAddress::Parse(value)) {
    query.kind = LookupQuery::Kind::kIp;
    query.ip = ip;
    return query;
  }

  const std::string quoted = Quote(value);
  const bool all_digits =
      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (net::LooksLikeAsNumber(value)) {
    BAKEN_ASSIGN_OR_RETURN(query.asn, net::ParseAsNumber(value, net::AsPrefix::kRequired));
    query.kind = LookupQuery::Kind::kAsn;
    return query;
  }

  const std::string not_any = quoted + " is not an IP address, an AS number or a domain name";
  if (all_digits)
    return InvalidArgument(not_any + "; write an AS number as AS" + std::string(value));
  // Digits and dots, or colons: a mistyped address, where a host name reason would confuse.
  const bool address_like = value.find(':') != std::string_view::npos ||
                            std::all_of(value.begin(), value.end(),
                                        [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (address_like) return InvalidArgument(not_any);
  Result<std::string> domain = net::NormalizeDomain(value);
  if (!domain) return InvalidArgument(not_any + " (" + domain.error().message + ")");
  query.kind = LookupQuery::Kind::kDomain;
  query.domain = std::move(*domain);
  return query;
}

std::optional<Match> Lookup(const Constituency& constituency, const LookupQuery& query) {
  switch (query.kind) {
    case LookupQuery::Kind::kIp:
      if (!query.ip) return std::nullopt;
      return constituency.LookupIp(*query.ip);
    case LookupQuery::Kind::kAsn:
      return constituency.LookupAsn(query.asn);
    case LookupQuery::Kind::kDomain:
      return constituency.LookupDomain(query.domain);
  }
  return std::nullopt;
}

// Holder.

ConstituencyHolder::ConstituencyHolder() : current_(Constituency::Empty()) {}

void ConstituencyHolder::Set(std::shared_ptr<const Constituency> snapshot) {
  current_.store(snapshot ? std::move(snapshot) : Constituency::Empty());
}

}  // namespace baken::routing
