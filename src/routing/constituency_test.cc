#include "routing/constituency.h"

#include <atomic>
#include <functional>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace baken::routing {
namespace {

net::Prefix Net(std::string_view text) {
  const Result<net::Prefix> prefix = net::ParsePrefix(text);
  EXPECT_TRUE(prefix.has_value()) << text;
  return prefix.value_or(net::Prefix{});
}

net::IpAddress Ip(std::string_view text) {
  const std::optional<net::IpAddress> address = net::IpAddress::Parse(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(net::IpAddress{});
}

std::shared_ptr<const Constituency> BuildOrFail(Constituency::Builder builder) {
  Result<std::shared_ptr<const Constituency>> built = std::move(builder).Build();
  EXPECT_TRUE(built.has_value()) << built.error().message;
  return built.value_or(Constituency::Empty());
}

// "MEMBER claim" for the netblock owning the address, or "none".
std::string OwnerOf(const Constituency& constituency, std::string_view address) {
  const std::optional<Match> match = constituency.LookupIp(Ip(address));
  if (!match) return "none";
  EXPECT_EQ(match->reason, Evidence::kNetblock);
  return std::string(constituency.MemberCode(*match)) + " " + constituency.DescribeClaim(*match);
}

std::string DomainOwnerOf(const Constituency& constituency, std::string_view domain) {
  const std::optional<Match> match = constituency.LookupDomain(domain);
  if (!match) return "none";
  EXPECT_EQ(match->reason, Evidence::kDomain);
  return std::string(constituency.MemberCode(*match)) + " " + constituency.DescribeClaim(*match);
}

TEST(ConstituencyTest, LongestPrefixWinsAcrossMembers) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("10.0.0.0/8"), "ALPHA");
  builder.AddNetblock(Net("10.1.0.0/16"), "BETA");
  builder.AddNetblock(Net("10.1.2.3/32"), "GAMMA");
  const auto constituency = BuildOrFail(std::move(builder));

  EXPECT_EQ(OwnerOf(*constituency, "9.255.255.255"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "10.0.0.0"), "ALPHA 10.0.0.0/8");
  EXPECT_EQ(OwnerOf(*constituency, "10.0.255.255"), "ALPHA 10.0.0.0/8");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.0.0"), "BETA 10.1.0.0/16");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.2.2"), "BETA 10.1.0.0/16");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.2.3"), "GAMMA 10.1.2.3/32");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.2.4"), "BETA 10.1.0.0/16");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.255.255"), "BETA 10.1.0.0/16");
  EXPECT_EQ(OwnerOf(*constituency, "10.2.0.0"), "ALPHA 10.0.0.0/8");
  EXPECT_EQ(OwnerOf(*constituency, "10.255.255.255"), "ALPHA 10.0.0.0/8");
  EXPECT_EQ(OwnerOf(*constituency, "11.0.0.0"), "none");
  EXPECT_EQ(constituency->netblock_count(), 3u);
}

// "MEMBER claim" for the netblock holding a whole network, or "none".
std::string NetworkOwnerOf(const Constituency& constituency, std::string_view network) {
  const std::optional<Match> match = constituency.LookupNetwork(Net(network));
  if (!match) return "none";
  EXPECT_EQ(match->reason, Evidence::kNetblock);
  return std::string(constituency.MemberCode(*match)) + " " + constituency.DescribeClaim(*match);
}

TEST(ConstituencyTest, GivesANetworkOnlyToTheNetblockThatHoldsAllOfIt) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("192.0.2.0/24"), "ALPHA");
  builder.AddNetblock(Net("192.0.2.128/25"), "BETA");
  builder.AddNetblock(Net("198.51.0.0/16"), "ALPHA");
  builder.AddNetblock(Net("198.51.100.64/26"), "GAMMA");
  builder.AddNetblock(Net("203.0.113.0/25"), "GAMMA");
  builder.AddNetblock(Net("203.0.113.128/25"), "GAMMA");
  builder.AddNetblock(Net("2001:db8::/32"), "ALPHA");
  builder.AddNetblock(Net("2001:db8:1::/48"), "BETA");
  const auto constituency = BuildOrFail(std::move(builder));

  EXPECT_EQ(NetworkOwnerOf(*constituency, "192.0.2.0/25"), "ALPHA 192.0.2.0/24");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "192.0.2.128/25"), "BETA 192.0.2.128/25");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "192.0.2.192/26"), "BETA 192.0.2.128/25");
  // ALPHA's /24 holds the network, but BETA's /25 inside it is BETA's: nobody's as a whole.
  EXPECT_EQ(NetworkOwnerOf(*constituency, "192.0.2.0/24"), "none");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "192.0.0.0/16"), "none");  // wider than any netblock
  // GAMMA's netblock in the middle of the network, touching neither end.
  EXPECT_EQ(NetworkOwnerOf(*constituency, "198.51.100.0/24"), "none");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "198.51.101.0/24"), "ALPHA 198.51.0.0/16");
  // Two netblocks of one member: neither holds the whole network.
  EXPECT_EQ(NetworkOwnerOf(*constituency, "203.0.113.0/24"), "none");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "203.0.113.7/32"), "GAMMA 203.0.113.0/25");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "2001:db8:2::/48"), "ALPHA 2001:db8::/32");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "2001:db8:1:5::/64"), "BETA 2001:db8:1::/48");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "2001:db8::/32"), "none");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "0.0.0.0/0"), "none");
  EXPECT_EQ(NetworkOwnerOf(*constituency, "::/0"), "none");
}

TEST(ConstituencyTest, FindsRangesExactlyAtTheirStartAndEnd) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("192.0.2.0/25"), "ALPHA");
  builder.AddNetblock(Net("192.0.2.128/25"), "BETA");
  builder.AddNetblock(Net("192.0.3.0/24"), "ALPHA");   // adjacent, same member, other claim
  builder.AddNetblock(Net("10.0.255.0/24"), "ALPHA");  // ends at a /16 boundary
  builder.AddNetblock(Net("10.1.0.0/24"), "BETA");     // starts at the next one
  builder.AddNetblock(Net("172.16.0.0/15"), "GAMMA");  // spans two /16s
  const auto constituency = BuildOrFail(std::move(builder));

  EXPECT_EQ(OwnerOf(*constituency, "192.0.1.255"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.2.0"), "ALPHA 192.0.2.0/25");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.2.127"), "ALPHA 192.0.2.0/25");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.2.128"), "BETA 192.0.2.128/25");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.2.255"), "BETA 192.0.2.128/25");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.3.0"), "ALPHA 192.0.3.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.3.255"), "ALPHA 192.0.3.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "192.0.4.0"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "10.0.254.255"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "10.0.255.0"), "ALPHA 10.0.255.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "10.0.255.255"), "ALPHA 10.0.255.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.0.0"), "BETA 10.1.0.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.0.255"), "BETA 10.1.0.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "10.1.1.0"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "172.15.255.255"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "172.16.0.0"), "GAMMA 172.16.0.0/15");
  EXPECT_EQ(OwnerOf(*constituency, "172.17.0.0"), "GAMMA 172.16.0.0/15");
  EXPECT_EQ(OwnerOf(*constituency, "172.17.255.255"), "GAMMA 172.16.0.0/15");
  EXPECT_EQ(OwnerOf(*constituency, "172.18.0.0"), "none");
}

TEST(ConstituencyTest, CoversTheEdgesOfTheAddressSpace) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("0.0.0.0/8"), "ALPHA");
  builder.AddNetblock(Net("255.255.255.255/32"), "BETA");
  const auto edges = BuildOrFail(std::move(builder));
  EXPECT_EQ(OwnerOf(*edges, "0.0.0.0"), "ALPHA 0.0.0.0/8");
  EXPECT_EQ(OwnerOf(*edges, "0.255.255.255"), "ALPHA 0.0.0.0/8");
  EXPECT_EQ(OwnerOf(*edges, "1.0.0.0"), "none");
  EXPECT_EQ(OwnerOf(*edges, "255.255.255.254"), "none");
  EXPECT_EQ(OwnerOf(*edges, "255.255.255.255"), "BETA 255.255.255.255/32");

  Constituency::Builder with_default;
  with_default.AddNetblock(Net("0.0.0.0/0"), "DEFAULT");
  with_default.AddNetblock(Net("0.0.0.0/32"), "ALPHA");
  with_default.AddNetblock(Net("255.255.255.0/24"), "BETA");
  with_default.AddNetblock(Net("::/0"), "DEFAULT");
  with_default.AddNetblock(Net("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), "BETA");
  const auto everything = BuildOrFail(std::move(with_default));
  EXPECT_EQ(OwnerOf(*everything, "0.0.0.0"), "ALPHA 0.0.0.0/32");
  EXPECT_EQ(OwnerOf(*everything, "0.0.0.1"), "DEFAULT 0.0.0.0/0");
  EXPECT_EQ(OwnerOf(*everything, "128.0.0.0"), "DEFAULT 0.0.0.0/0");
  EXPECT_EQ(OwnerOf(*everything, "255.255.254.255"), "DEFAULT 0.0.0.0/0");
  EXPECT_EQ(OwnerOf(*everything, "255.255.255.255"), "BETA 255.255.255.0/24");
  EXPECT_EQ(OwnerOf(*everything, "::"), "DEFAULT ::/0");
  EXPECT_EQ(OwnerOf(*everything, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), "DEFAULT ::/0");
  EXPECT_EQ(OwnerOf(*everything, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "BETA ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

TEST(ConstituencyTest, LongestPrefixWinsForIpv6) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("2001:db8::/32"), "ALPHA");
  builder.AddNetblock(Net("2001:db8:1::/48"), "BETA");
  builder.AddNetblock(Net("2001:db8:1::1/128"), "GAMMA");
  builder.AddNetblock(Net("2001:db8:1:0:8000::/65"), "DELTA");  // splits the low half
  const auto constituency = BuildOrFail(std::move(builder));

  EXPECT_EQ(OwnerOf(*constituency, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8::"), "ALPHA 2001:db8::/32");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:0:ffff:ffff:ffff:ffff:ffff"), "ALPHA 2001:db8::/32");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1::"), "BETA 2001:db8:1::/48");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1::1"), "GAMMA 2001:db8:1::1/128");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1::2"), "BETA 2001:db8:1::/48");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1:0:7fff:ffff:ffff:ffff"), "BETA 2001:db8:1::/48");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1:0:8000::"), "DELTA 2001:db8:1:0:8000::/65");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1:0:ffff:ffff:ffff:ffff"),
            "DELTA 2001:db8:1:0:8000::/65");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:1:1::"), "BETA 2001:db8:1::/48");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db8:2::"), "ALPHA 2001:db8::/32");
  EXPECT_EQ(OwnerOf(*constituency, "2001:db9::"), "none");
  // IPv4 and IPv6 are separate spaces.
  EXPECT_EQ(OwnerOf(*constituency, "32.1.13.184"), "none");
}

TEST(ConstituencyTest, MappedIpv6AddressesFindIpv4Netblocks) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("192.0.2.0/24"), "ALPHA");
  builder.AddNetblock(Net("::ffff:198.51.100.0/120"), "BETA");  // stored as 198.51.100.0/24
  builder.AddNetblock(Net("::/0"), "V6DEFAULT");
  const auto constituency = BuildOrFail(std::move(builder));
  EXPECT_EQ(OwnerOf(*constituency, "::ffff:192.0.2.7"), "ALPHA 192.0.2.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "198.51.100.1"), "BETA 198.51.100.0/24");
  EXPECT_EQ(OwnerOf(*constituency, "::ffff:203.0.113.1"), "none");
  EXPECT_EQ(OwnerOf(*constituency, "::c000:207"), "V6DEFAULT ::/0");  // IPv4-compatible: IPv6
}

TEST(ConstituencyTest, FindsAsNumbers) {
  Constituency::Builder builder;
  builder.AddAsn(64500, "ALPHA");
  builder.AddAsn(64501, "BETA");
  builder.AddAsn(0, "GAMMA");
  builder.AddAsn(UINT32_MAX, "GAMMA");
  builder.AddAsn(64500, "ALPHA");  // duplicates of the same claim are kept once
  const auto constituency = BuildOrFail(std::move(builder));
  ASSERT_EQ(constituency->asn_count(), 4u);

  const std::optional<Match> alpha = constituency->LookupAsn(64500);
  ASSERT_TRUE(alpha.has_value());
  EXPECT_EQ(alpha->reason, Evidence::kAsn);
  EXPECT_EQ(constituency->MemberCode(*alpha), "ALPHA");
  EXPECT_EQ(constituency->DescribeClaim(*alpha), "AS64500");
  EXPECT_EQ(constituency->MemberCode(*constituency->LookupAsn(64501)), "BETA");
  EXPECT_EQ(constituency->MemberCode(*constituency->LookupAsn(0)), "GAMMA");
  EXPECT_EQ(constituency->DescribeClaim(*constituency->LookupAsn(UINT32_MAX)), "AS4294967295");
  EXPECT_FALSE(constituency->LookupAsn(64502).has_value());
  EXPECT_FALSE(constituency->LookupAsn(1).has_value());
}

TEST(ConstituencyTest, MatchesDomainsOnLabelsAndPrefersTheLongestSuffix) {
  Constituency::Builder builder;
  builder.AddDomain("example.nl", "ALPHA");
  builder.AddDomain("a.example.nl", "BETA");
  builder.AddDomain("example.com", "ALPHA");
  const auto constituency = BuildOrFail(std::move(builder));
  ASSERT_EQ(constituency->domain_count(), 3u);

  EXPECT_EQ(DomainOwnerOf(*constituency, "example.nl"), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "www.example.nl"), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "x.y.example.nl"), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "a.example.nl"), "BETA a.example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "x.a.example.nl"), "BETA a.example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "aa.example.nl"), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "WWW.A.Example.NL."), "BETA a.example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "Example.Com"), "ALPHA example.com");
  EXPECT_EQ(DomainOwnerOf(*constituency, "badexample.nl"), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "example.nl.evil"), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "nl"), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, ""), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "."), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "example.nl.."), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "www..example.nl"), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, "www example.nl"), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency,
                          "b\xc3\xbc"
                          "cher.example.nl"),
            "none");
  // As long as a host name may be, and one character longer.
  const std::string label(63, 'x');
  const std::string longest =
      label + "." + label + "." + label + "." + std::string(50, 'y') + ".example.nl";
  ASSERT_EQ(longest.size(), 253u);
  EXPECT_EQ(DomainOwnerOf(*constituency, longest), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, longest + "."), "ALPHA example.nl");
  EXPECT_EQ(DomainOwnerOf(*constituency, "y" + longest), "none");
  EXPECT_EQ(DomainOwnerOf(*constituency, std::string(5000, 'z') + ".example.nl"), "none");
}

TEST(ConstituencyTest, RoutesByNetblockThenAsNumberThenDomain) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("192.0.2.0/24"), "BY-NETBLOCK");
  builder.AddAsn(64500, "BY-ASN");
  builder.AddDomain("example.nl", "BY-DOMAIN");
  const auto constituency = BuildOrFail(std::move(builder));
  const auto member = [&](const std::optional<Match>& match) {
    return match ? std::string(constituency->MemberCode(*match)) : std::string("none");
  };

  EXPECT_EQ(member(constituency->Route(Ip("192.0.2.1"), 64500, "www.example.nl")), "BY-NETBLOCK");
  EXPECT_EQ(member(constituency->Route(Ip("203.0.113.1"), 64500, "www.example.nl")), "BY-ASN");
  EXPECT_EQ(member(constituency->Route(Ip("203.0.113.1"), 64999, "www.example.nl")), "BY-DOMAIN");
  EXPECT_EQ(member(constituency->Route(std::nullopt, 64500, "www.example.nl")), "BY-ASN");
  EXPECT_EQ(member(constituency->Route(std::nullopt, std::nullopt, "www.example.nl")), "BY-DOMAIN");
  EXPECT_EQ(member(constituency->Route(Ip("192.0.2.1"), std::nullopt, "")), "BY-NETBLOCK");
  EXPECT_EQ(member(constituency->Route(Ip("203.0.113.1"), 64999, "example.com")), "none");
  EXPECT_EQ(member(constituency->Route(std::nullopt, std::nullopt, "")), "none");
  EXPECT_EQ(constituency->Route(Ip("203.0.113.1"), 64500, "")->reason, Evidence::kAsn);
}

TEST(ConstituencyTest, RefusesOneClaimForTwoMembers) {
  struct Case {
    std::function<void(Constituency::Builder&)> add;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](Constituency::Builder& b) {
         b.AddNetblock(Net("192.0.2.0/24"), "BETA");
         b.AddNetblock(Net("192.0.2.0/24"), "ALPHA");
       },
       "the netblock 192.0.2.0/24 is claimed by both ALPHA and BETA"},
      {[](Constituency::Builder& b) {
         b.AddNetblock(Net("2001:db8::/32"), "ALPHA");
         b.AddNetblock(Net("2001:db8::/32"), "BETA");
       },
       "the netblock 2001:db8::/32 is claimed by both ALPHA and BETA"},
      {[](Constituency::Builder& b) {
         b.AddAsn(64500, "ALPHA");
         b.AddAsn(64500, "BETA");
       },
       "AS64500 is claimed by both ALPHA and BETA"},
      {[](Constituency::Builder& b) {
         b.AddDomain("example.nl", "ALPHA");
         b.AddDomain("example.nl", "BETA");
       },
       "the domain example.nl is claimed by both ALPHA and BETA"},
  };
  for (const Case& c : cases) {
    Constituency::Builder builder;
    c.add(builder);
    const auto built = std::move(builder).Build();
    ASSERT_FALSE(built.has_value()) << c.message;
    EXPECT_EQ(built.error().code, ErrorCode::kConflict);
    EXPECT_EQ(built.error().message, c.message);
  }
}

TEST(ConstituencyTest, KeepsRepeatedClaimsOfOneMemberOnce) {
  Constituency::Builder builder;
  for (int i = 0; i < 3; ++i) {
    builder.AddNetblock(Net("192.0.2.0/24"), "ALPHA");
    builder.AddNetblock(Net("2001:db8::/32"), "ALPHA");
    builder.AddAsn(64500, "ALPHA");
    builder.AddDomain("example.nl", "ALPHA");
  }
  const auto constituency = BuildOrFail(std::move(builder));
  EXPECT_EQ(constituency->netblock_count(), 2u);
  EXPECT_EQ(constituency->asn_count(), 1u);
  EXPECT_EQ(constituency->domain_count(), 1u);
  EXPECT_EQ(constituency->member_codes(), std::vector<std::string>{"ALPHA"});
}

TEST(ConstituencyTest, RefusesMalformedClaims) {
  {
    Constituency::Builder builder;
    builder.AddNetblock(net::Prefix{Ip("192.0.2.1"), 24}, "ALPHA");
    const auto built = std::move(builder).Build();
    ASSERT_FALSE(built.has_value());
    EXPECT_EQ(built.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(built.error().message,
              "the netblock 192.0.2.1/24 of 'ALPHA' has host bits set or a bad length");
  }
  {
    Constituency::Builder builder;
    builder.AddNetblock(net::Prefix{Ip("::"), 129}, "ALPHA");
    EXPECT_FALSE(std::move(builder).Build().has_value());
  }
  {
    Constituency::Builder builder;
    builder.AddDomain("Example.nl", "ALPHA");
    const auto built = std::move(builder).Build();
    ASSERT_FALSE(built.has_value());
    EXPECT_EQ(built.error().message,
              "the domain 'Example.nl' of 'ALPHA' is not a normalised host name");
  }
  {
    Constituency::Builder builder;
    builder.AddAsn(64500, "");
    const auto built = std::move(builder).Build();
    ASSERT_FALSE(built.has_value());
    EXPECT_EQ(built.error().message, "a claim has an empty member code");
  }
}

TEST(ConstituencyTest, EmptyConstituencyMatchesNothing) {
  for (const auto& constituency : {Constituency::Empty(), BuildOrFail(Constituency::Builder())}) {
    EXPECT_FALSE(constituency->LookupIp(Ip("0.0.0.0")).has_value());
    EXPECT_FALSE(constituency->LookupIp(Ip("255.255.255.255")).has_value());
    EXPECT_FALSE(constituency->LookupIp(Ip("::")).has_value());
    EXPECT_FALSE(constituency->LookupIp(Ip("2001:db8::1")).has_value());
    EXPECT_FALSE(constituency->LookupAsn(64500).has_value());
    EXPECT_FALSE(constituency->LookupDomain("example.nl").has_value());
    EXPECT_FALSE(constituency->Route(Ip("192.0.2.1"), 64500, "example.nl").has_value());
    EXPECT_TRUE(constituency->member_codes().empty());
    EXPECT_EQ(constituency->netblock_count(), 0u);
    EXPECT_EQ(constituency->asn_count(), 0u);
    EXPECT_EQ(constituency->domain_count(), 0u);
  }
}

TEST(ConstituencyTest, NumbersMembersInSortedOrder) {
  Constituency::Builder builder;
  builder.AddAsn(1, "ZULU");
  builder.AddAsn(2, "ALPHA");
  builder.AddAsn(3, "MIKE");
  const auto constituency = BuildOrFail(std::move(builder));
  EXPECT_EQ(constituency->member_codes(), (std::vector<std::string>{"ALPHA", "MIKE", "ZULU"}));
  EXPECT_EQ(constituency->LookupAsn(1)->member, 2u);
  EXPECT_EQ(constituency->MemberCode(Match{Evidence::kAsn, 7, 0}), "");
  EXPECT_EQ(constituency->DescribeClaim(Match{Evidence::kAsn, 0, 7}), "");
  EXPECT_EQ(constituency->DescribeClaim(Match{Evidence::kNetblock, 0, 0}), "");
  EXPECT_EQ(constituency->DescribeClaim(Match{Evidence::kDomain, 0, 0}), "");
}

TEST(ConstituencyTest, NamesEvidence) {
  EXPECT_EQ(EvidenceName(Evidence::kNetblock), "netblock");
  EXPECT_EQ(EvidenceName(Evidence::kAsn), "asn");
  EXPECT_EQ(EvidenceName(Evidence::kDomain), "domain");
}

struct QueryCase {
  std::string_view value;
  std::string expected;  // "ip 192.0.2.1", "asn 64500", "domain example.nl", or the error
};

std::string Describe(const Result<LookupQuery>& query) {
  if (!query) return query.error().message;
  switch (query->kind) {
    case LookupQuery::Kind::kIp:
      return "ip " + query->ip->ToString();
    case LookupQuery::Kind::kAsn:
      return "asn " + std::to_string(query->asn);
    case LookupQuery::Kind::kDomain:
      return "domain " + query->domain;
  }
  return "?";
}

TEST(LookupQueryTest, RecognisesWhatPeopleType) {
  const std::vector<QueryCase> cases = {
      {"192.0.2.1", "ip 192.0.2.1"},
      {" 192.0.2.1\n", "ip 192.0.2.1"},
      {"2001:DB8::1", "ip 2001:db8::1"},
      {"::ffff:192.0.2.1", "ip 192.0.2.1"},
      {"AS64500", "asn 64500"},
      {"as64500", "asn 64500"},
      {"As0", "asn 0"},
      {"AS4294967295", "asn 4294967295"},
      {"Example.NL.", "domain example.nl"},
      {"as64500.example.nl", "domain as64500.example.nl"},
      {"asterix.nl", "domain asterix.nl"},
      {"localhost", "domain localhost"},
      {"", "give an IP address, an AS number (like AS64500) or a domain name"},
      {"   ", "give an IP address, an AS number (like AS64500) or a domain name"},
      {"AS4294967296", "'AS4294967296' is not an AS number (the largest is AS4294967295)"},
      {"AS99999999999999999999",
       "'AS99999999999999999999' is not an AS number (the largest is AS4294967295)"},
      {"64500",
       "'64500' is not an IP address, an AS number or a domain name; write an AS number as "
       "AS64500"},
      {"192.0.2.256", "'192.0.2.256' is not an IP address, an AS number or a domain name"},
      {"2001:db8::g", "'2001:db8::g' is not an IP address, an AS number or a domain name"},
      {"192.0.2.0/24",
       "'192.0.2.0/24' is not an IP address, an AS number or a domain name ('192.0.2.0/24' "
       "contains a character that is not allowed in a host name)"},
      {"AS", "domain as"},
      {"AS 64500",
       "'AS 64500' is not an IP address, an AS number or a domain name ('AS 64500' contains a "
       "character that is not allowed in a host name)"},
      {"b\xc3\xbc"
       "cher.nl",
       "'b\\xc3\\xbccher.nl' is not an IP address, an AS number or a domain name "
       "('b\\xc3\\xbccher.nl' contains non-ASCII characters; give the name in its xn-- "
       "(punycode) form)"},
  };
  for (const QueryCase& c : cases) {
    const Result<LookupQuery> query = ParseLookupQuery(c.value);
    EXPECT_EQ(Describe(query), c.expected) << "for '" << c.value << "'";
    if (!query) {
      EXPECT_EQ(query.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(LookupQueryTest, LooksUpEachKind) {
  Constituency::Builder builder;
  builder.AddNetblock(Net("192.0.2.0/24"), "ALPHA");
  builder.AddAsn(64500, "BETA");
  builder.AddDomain("example.nl", "GAMMA");
  const auto constituency = BuildOrFail(std::move(builder));
  const auto member = [&](std::string_view value) {
    const std::optional<Match> match = Lookup(*constituency, *ParseLookupQuery(value));
    return match ? std::string(constituency->MemberCode(*match)) : std::string("none");
  };
  EXPECT_EQ(member("192.0.2.9"), "ALPHA");
  EXPECT_EQ(member("AS64500"), "BETA");
  EXPECT_EQ(member("www.example.nl"), "GAMMA");
  EXPECT_EQ(member("198.51.100.1"), "none");
  EXPECT_EQ(member("AS64501"), "none");
  EXPECT_EQ(member("example.com"), "none");
}

TEST(ConstituencyHolderTest, StartsEmptyAndSwapsSnapshots) {
  ConstituencyHolder holder;
  ASSERT_NE(holder.Get(), nullptr);
  EXPECT_EQ(holder.Get()->asn_count(), 0u);

  Constituency::Builder builder;
  builder.AddAsn(64500, "ALPHA");
  const auto first = BuildOrFail(std::move(builder));
  holder.Set(first);
  const std::shared_ptr<const Constituency> held = holder.Get();
  EXPECT_EQ(held, first);

  Constituency::Builder next;
  next.AddAsn(64501, "BETA");
  holder.Set(BuildOrFail(std::move(next)));
  EXPECT_TRUE(holder.Get()->LookupAsn(64501).has_value());
  // A reader keeps the snapshot it took.
  EXPECT_TRUE(held->LookupAsn(64500).has_value());

  holder.Set(nullptr);
  ASSERT_NE(holder.Get(), nullptr);
  EXPECT_EQ(holder.Get()->asn_count(), 0u);
}

TEST(ConstituencyHolderTest, ReadersSeeWholeSnapshotsWhileTheyAreSwapped) {
  ConstituencyHolder holder;
  std::vector<std::shared_ptr<const Constituency>> snapshots;
  for (uint32_t i = 1; i <= 4; ++i) {
    Constituency::Builder builder;
    for (uint32_t asn = 0; asn < i; ++asn) builder.AddAsn(asn, "M" + std::to_string(i));
    snapshots.push_back(BuildOrFail(std::move(builder)));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> inconsistent{0};
  std::thread reader([&] {
    while (!stop.load()) {
      const auto snapshot = holder.Get();
      // Every snapshot has one member, owning AS numbers 0..n-1.
      const size_t n = snapshot->asn_count();
      if (n > 0 && (!snapshot->LookupAsn(static_cast<uint32_t>(n - 1)) ||
                    snapshot->member_codes().size() != 1)) {
        ++inconsistent;
      }
    }
  });
  for (size_t round = 0; round < 2000; ++round) holder.Set(snapshots[round % snapshots.size()]);
  stop = true;
  reader.join();
  EXPECT_EQ(inconsistent.load(), 0);
}

// The test that proves LookupIp: a few thousand random prefixes, nested and overlapping on
// purpose, against a plain linear scan for the longest matching prefix.
class RandomPrefixTest : public testing::Test {
 protected:
  struct Claim {
    net::Prefix prefix;
    std::string member;
  };

  // The expected "MEMBER prefix" by brute force.
  static std::string Naive(const std::vector<Claim>& claims, const net::IpAddress& address) {
    const Claim* best = nullptr;
    for (const Claim& claim : claims) {
      if (claim.prefix.Contains(address) &&
          (best == nullptr || claim.prefix.length > best->prefix.length)) {
        best = &claim;
      }
    }
    return best == nullptr ? "none" : best->member + " " + best->prefix.ToString();
  }

  static std::shared_ptr<const Constituency> Build(const std::vector<Claim>& claims) {
    Constituency::Builder builder;
    for (const Claim& claim : claims) builder.AddNetblock(claim.prefix, claim.member);
    return BuildOrFail(std::move(builder));
  }

  std::mt19937_64 random_{20261123};
};

TEST_F(RandomPrefixTest, Ipv4MatchesLinearScan) {
  // Networks drawn from a few /8s and lengths from 0 to 32, so that prefixes nest deeply and
  // share starts and ends.
  const std::vector<uint32_t> pools = {0x0a000000, 0xc0000000, 0x00000000, 0xff000000};
  std::vector<Claim> claims;
  std::set<net::Prefix> seen;
  while (claims.size() < 3000) {
    const uint32_t base =
        pools[random_() % pools.size()] |
        (static_cast<uint32_t>(random_()) & (random_() % 4 ? 0x0000ffffu : 0x00ffffffu));
    const int length = random_() % 8 == 0 ? static_cast<int>(random_() % 17)
                                          : 16 + static_cast<int>(random_() % 17);
    const uint32_t mask = length == 0 ? 0 : ~uint32_t{0} << (32 - length);
    const net::Prefix prefix{net::IpAddress::V4(base & mask), length};
    if (!seen.insert(prefix).second) continue;
    claims.push_back({prefix, "M" + std::to_string(random_() % 25)});
  }
  const auto constituency = Build(claims);
  ASSERT_EQ(constituency->netblock_count(), claims.size());

  std::vector<net::IpAddress> probes;
  for (const Claim& claim : claims) {
    const uint32_t first = claim.prefix.network.v4();
    const uint32_t host_bits = claim.prefix.length == 32 ? 0 : ~uint32_t{0} >> claim.prefix.length;
    const uint32_t last = first | host_bits;
    for (const uint32_t address : {first, last, first - 1, last + 1}) {
      probes.push_back(net::IpAddress::V4(address));
    }
  }
  for (int i = 0; i < 6000; ++i) {
    const uint32_t base = pools[random_() % pools.size()];
    probes.push_back(net::IpAddress::V4(base | (static_cast<uint32_t>(random_()) & 0x00ffffff)));
    probes.push_back(net::IpAddress::V4(static_cast<uint32_t>(random_())));
  }
  int mismatches = 0;
  for (const net::IpAddress& address : probes) {
    const std::string expected = Naive(claims, address);
    const std::string actual = OwnerOf(*constituency, address.ToString());
    if (actual != expected && ++mismatches <= 10) {
      ADD_FAILURE() << address.ToString() << ": got " << actual << ", expected " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_F(RandomPrefixTest, Ipv4NetworksMatchLinearScan) {
  // Claims nested on purpose inside one /8; networks of every length drawn from the same /8.
  std::vector<Claim> claims;
  std::set<net::Prefix> seen;
  const auto random_prefix = [&](int min_length) {
    const int length =
        min_length + static_cast<int>(random_() % static_cast<uint64_t>(33 - min_length));
    const uint32_t host_bits = length == 32 ? 0 : ~uint32_t{0} >> length;
    const uint32_t base = 0x0a000000u | (static_cast<uint32_t>(random_()) & 0x00ffffffu);
    return net::Prefix{net::IpAddress::V4(base & ~host_bits), length};
  };
  while (claims.size() < 400) {
    const net::Prefix prefix = random_prefix(12);
    if (!seen.insert(prefix).second) continue;
    claims.push_back({prefix, "M" + std::to_string(random_() % 5)});
  }
  const auto constituency = Build(claims);
  int mismatches = 0;
  for (int i = 0; i < 4000; ++i) {
    const net::Prefix network = random_prefix(8);
    // By brute force: the longest claim holding the first address, if it holds the whole
    // network and no other claim lies inside the network.
    const Claim* best = nullptr;
    for (const Claim& claim : claims) {
      if (claim.prefix.Contains(network.network) &&
          (best == nullptr || claim.prefix.length > best->prefix.length)) {
        best = &claim;
      }
    }
    bool whole = best != nullptr && best->prefix.Contains(network);
    for (const Claim& claim : claims) {
      whole = whole && (&claim == best || !network.Contains(claim.prefix));
    }
    const std::string expected =
        whole ? best->member + " " + best->prefix.ToString() : std::string("none");
    const std::string actual = NetworkOwnerOf(*constituency, network.ToString());
    if (actual != expected && ++mismatches <= 10) {
      ADD_FAILURE() << network.ToString() << ": got " << actual << ", expected " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_F(RandomPrefixTest, Ipv6MatchesLinearScan) {
  const std::vector<uint64_t> pools = {0x2001'0db8'0000'0000, 0x2a02'0000'0000'0000, 0,
                                       0xffff'ffff'ffff'0000};
  std::vector<Claim> claims;
  std::set<net::Prefix> seen;
  while (claims.size() < 3000) {
    // Vary only a few bits in each half, so that prefixes nest and the low half matters.
    const uint64_t high = pools[random_() % pools.size()] | (random_() & 0xff'ffff);
    const uint64_t low = random_() % 2 ? 0 : (random_() & 0xff00'0000'0000'00ff);
    const int length = random_() % 8 == 0 ? static_cast<int>(random_() % 33)
                                          : 32 + static_cast<int>(random_() % 97);
    const uint64_t high_mask = length >= 64  ? ~uint64_t{0}
                               : length == 0 ? 0
                                             : ~uint64_t{0} << (64 - length);
    const uint64_t low_mask = length <= 64 ? 0 : ~uint64_t{0} << (128 - length);
    const net::IpAddress network = net::IpAddress::V6(high & high_mask, low & low_mask);
    if (network.is_v4()) continue;  // an IPv4-mapped network: not what this test is about
    const net::Prefix prefix{network, length};
    if (!seen.insert(prefix).second) continue;
    claims.push_back({prefix, "M" + std::to_string(random_() % 25)});
  }
  const auto constituency = Build(claims);
  ASSERT_EQ(constituency->netblock_count(), claims.size());

  std::vector<net::IpAddress> probes;
  for (const Claim& claim : claims) {
    const int length = claim.prefix.length;
    const uint64_t high = claim.prefix.network.v6_high();
    const uint64_t low = claim.prefix.network.v6_low();
    const uint64_t host_high = length >= 64 ? 0 : ~uint64_t{0} >> length;
    const uint64_t host_low = length <= 64    ? ~uint64_t{0}
                              : length == 128 ? 0
                                              : ~uint64_t{0} >> (length - 64);
    const uint64_t last_high = high | host_high;
    const uint64_t last_low = low | host_low;
    probes.push_back(net::IpAddress::V6(high, low));
    probes.push_back(net::IpAddress::V6(last_high, last_low));
    probes.push_back(net::IpAddress::V6(low == 0 ? high - 1 : high, low - 1));
    probes.push_back(
        net::IpAddress::V6(last_low == ~uint64_t{0} ? last_high + 1 : last_high, last_low + 1));
  }
  for (int i = 0; i < 12000; ++i) {
    const uint64_t high = pools[random_() % pools.size()] | (random_() & 0xff'ffff);
    probes.push_back(net::IpAddress::V6(high, random_() % 2 ? random_() : 0));
  }
  int mismatches = 0;
  for (const net::IpAddress& address : probes) {
    if (address.is_v4()) continue;
    const std::string expected = Naive(claims, address);
    const std::string actual = OwnerOf(*constituency, address.ToString());
    if (actual != expected && ++mismatches <= 10) {
      ADD_FAILURE() << address.ToString() << ": got " << actual << ", expected " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace baken::routing
