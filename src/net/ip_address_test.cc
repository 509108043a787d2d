#include "net/ip_address.h"

#include <array>
#include <random>

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace baken::net {
namespace {

struct AddressCase {
  std::string_view text;
  std::optional<std::string_view> canonical;  // nullopt: must be refused
};

class ParseAddressTest : public testing::TestWithParam<AddressCase> {};

TEST_P(ParseAddressTest, ParsesOrRefuses) {
  const AddressCase& c = GetParam();
  const std::optional<IpAddress> address = IpAddress::Parse(c.text);
  if (!c.canonical) {
    EXPECT_FALSE(address.has_value()) << address->ToString();
    return;
  }
  ASSERT_TRUE(address.has_value());
  EXPECT_EQ(address->ToString(), *c.canonical);
}

INSTANTIATE_TEST_SUITE_P(
    IpAddressTest, ParseAddressTest,
    testing::Values(
        // IPv4.
        AddressCase{"0.0.0.0", "0.0.0.0"}, AddressCase{"255.255.255.255", "255.255.255.255"},
        AddressCase{"192.0.2.1", "192.0.2.1"}, AddressCase{"10.0.0.10", "10.0.0.10"},
        AddressCase{"", std::nullopt}, AddressCase{" 192.0.2.1", std::nullopt},
        AddressCase{"192.0.2.1 ", std::nullopt}, AddressCase{"192.0.2", std::nullopt},
        AddressCase{"192.0.2.1.5", std::nullopt}, AddressCase{"256.0.2.1", std::nullopt},
        AddressCase{"192.0.2.1000", std::nullopt}, AddressCase{"010.1.1.1", std::nullopt},
        AddressCase{"1.2.3.04", std::nullopt}, AddressCase{"00.1.1.1", std::nullopt},
        AddressCase{"1..2.3", std::nullopt}, AddressCase{"1.2.3.", std::nullopt},
        AddressCase{".1.2.3", std::nullopt}, AddressCase{"0x1.2.3.4", std::nullopt},
        AddressCase{"+1.2.3.4", std::nullopt}, AddressCase{"1.2.3.-4", std::nullopt},
        AddressCase{"192.0.2.1/32", std::nullopt}, AddressCase{"3232235777", std::nullopt},
        AddressCase{std::string_view("1.2.3.4\0", 8), std::nullopt},
        // IPv6, canonical output per RFC 5952.
        AddressCase{"::", "::"}, AddressCase{"::1", "::1"},
        AddressCase{"2001:db8::1", "2001:db8::1"},
        AddressCase{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        AddressCase{"2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"},
        AddressCase{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        AddressCase{"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
        AddressCase{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        AddressCase{"2001:db8::", "2001:db8::"},
        AddressCase{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        AddressCase{"::192.0.2.1", "::c000:201"},  // IPv4-compatible is not IPv4-mapped
        AddressCase{"64:ff9b::192.0.2.1", "64:ff9b::c000:201"},
        AddressCase{"fe80::1%eth0", std::nullopt}, AddressCase{"fe80::1%1", std::nullopt},
        AddressCase{"1:2:3:4:5:6:7:8:9", std::nullopt}, AddressCase{"1:2:3:4:5:6:7", std::nullopt},
        AddressCase{":::", std::nullopt}, AddressCase{"1::2::3", std::nullopt},
        AddressCase{"12345::", std::nullopt}, AddressCase{"g::1", std::nullopt},
        AddressCase{" ::1", std::nullopt}, AddressCase{"::1 ", std::nullopt},
        AddressCase{"[::1]", std::nullopt}, AddressCase{"::ffff:010.0.2.1", std::nullopt},
        AddressCase{"0000:0000:0000:0000:0000:0000:0000:0000:0", std::nullopt},
        // IPv4-mapped addresses become IPv4, in both spellings.
        AddressCase{"::ffff:192.0.2.1", "192.0.2.1"}, AddressCase{"::FFFF:c000:0201", "192.0.2.1"},
        AddressCase{"0:0:0:0:0:ffff:0.0.0.0", "0.0.0.0"}));

TEST(IpAddressTest, MappedAddressesAreStoredAsIpv4) {
  const IpAddress mapped = IpAddress::V6(0, 0xffff'c000'0201ULL);
  EXPECT_TRUE(mapped.is_v4());
  EXPECT_EQ(mapped, IpAddress::V4(0xc0000201));
  EXPECT_EQ(IpAddress::Parse("::ffff:192.0.2.1"), IpAddress::Parse("192.0.2.1"));
  // Near misses stay IPv6.
  EXPECT_FALSE(IpAddress::V6(0, 0xfffe'c000'0201ULL).is_v4());
  EXPECT_FALSE(IpAddress::V6(1, 0xffff'c000'0201ULL).is_v4());
}

TEST(IpAddressTest, ExposesFamilyAndValue) {
  const IpAddress v4 = *IpAddress::Parse("192.0.2.1");
  EXPECT_EQ(v4.family(), IpAddress::Family::kV4);
  EXPECT_EQ(v4.v4(), 0xc0000201u);
  const IpAddress v6 = *IpAddress::Parse("2001:db8::ff00:42:8329");
  EXPECT_EQ(v6.family(), IpAddress::Family::kV6);
  EXPECT_FALSE(v6.is_v4());
  EXPECT_EQ(v6.v6_high(), 0x2001'0db8'0000'0000ULL);
  EXPECT_EQ(v6.v6_low(), 0x0000'ff00'0042'8329ULL);
  EXPECT_EQ(IpAddress(), IpAddress::V4(0));
}

TEST(IpAddressTest, OrdersIpv4BeforeIpv6ThenNumerically) {
  EXPECT_LT(IpAddress::V4(0xffffffff), IpAddress::V6(0, 0));
  EXPECT_LT(IpAddress::V4(1), IpAddress::V4(2));
  EXPECT_LT(IpAddress::V6(0, ~uint64_t{0}), IpAddress::V6(1, 0));
  EXPECT_LT(IpAddress::V6(1, 1), IpAddress::V6(1, 2));
}

// glibc's inet_ntop also follows RFC 5952 except for the addresses it prints with an embedded
// IPv4 part, so it is a good oracle for the shortening rules.
TEST(IpAddressTest, FormatsLikeInetNtopAndRoundTrips) {
  std::mt19937_64 random(20261123);
  for (int i = 0; i < 20000; ++i) {
    std::array<unsigned char, 16> bytes{};
    for (size_t group = 0; group < 8; ++group) {
      // Many zero groups, so that runs of every length and position occur.
      const uint64_t value = (random() % 2 == 0) ? 0 : random() % (random() % 2 ? 0x10000 : 0x10);
      bytes[2 * group] = static_cast<unsigned char>(value >> 8);
      bytes[2 * group + 1] = static_cast<unsigned char>(value);
    }
    uint64_t high = 0;
    uint64_t low = 0;
    for (size_t b = 0; b < 8; ++b) {
      high = (high << 8) | bytes[b];
      low = (low << 8) | bytes[b + 8];
    }
    const IpAddress address = IpAddress::V6(high, low);
    EXPECT_EQ(IpAddress::Parse(address.ToString()), address) << address.ToString();
    if (address.is_v4() || (high == 0 && (low >> 48) == 0)) continue;
    std::array<char, 64> expected{};
    ASSERT_NE(inet_ntop(AF_INET6, bytes.data(), expected.data(), expected.size()), nullptr);
    EXPECT_EQ(address.ToString(), std::string(expected.data()));
  }
}

struct PrefixCase {
  std::string_view text;
  std::string_view expected;  // ToString() of the result, or the error message
};

class ParsePrefixTest : public testing::TestWithParam<PrefixCase> {};

TEST_P(ParsePrefixTest, ParsesOrExplains) {
  const PrefixCase& c = GetParam();
  const Result<Prefix> prefix = ParsePrefix(c.text);
  if (prefix) {
    EXPECT_EQ(prefix->ToString(), c.expected);
  } else {
    EXPECT_EQ(prefix.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(prefix.error().message, c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    PrefixTest, ParsePrefixTest,
    testing::Values(
        PrefixCase{"192.0.2.0/24", "192.0.2.0/24"}, PrefixCase{"0.0.0.0/0", "0.0.0.0/0"},
        PrefixCase{"::/0", "::/0"}, PrefixCase{"10.0.0.0/8", "10.0.0.0/8"},
        PrefixCase{"255.255.255.255/32", "255.255.255.255/32"},
        PrefixCase{"192.0.2.1", "192.0.2.1/32"}, PrefixCase{"2001:db8::1", "2001:db8::1/128"},
        PrefixCase{"2001:DB8::/32", "2001:db8::/32"},
        PrefixCase{"2001:db8:0:0:0:0:0:0/48", "2001:db8::/48"}, PrefixCase{"::1/128", "::1/128"},
        PrefixCase{"8000::/1", "8000::/1"},
        // IPv4-mapped prefixes become IPv4.
        PrefixCase{"::ffff:192.0.2.0/120", "192.0.2.0/24"},
        PrefixCase{"::ffff:0.0.0.0/96", "0.0.0.0/0"},
        PrefixCase{"::ffff:192.0.2.1", "192.0.2.1/32"},
        PrefixCase{"::ffff:192.0.2.1/128", "192.0.2.1/32"},
        // Errors.
        PrefixCase{"", "'' is not an IP prefix"}, PrefixCase{"abc", "'abc' is not an IP prefix"},
        PrefixCase{"192.0.2.1/24",
                   "'192.0.2.1/24' has host bits set (the network is 192.0.2.0/24)"},
        PrefixCase{"0.0.0.1/0", "'0.0.0.1/0' has host bits set (the network is 0.0.0.0/0)"},
        PrefixCase{"192.0.2.0/33", "'192.0.2.0/33' has a prefix length above 32"},
        PrefixCase{"192.0.2.0/99999999999999999999",
                   "'192.0.2.0/99999999999999999999' has a prefix length above 32"},
        PrefixCase{"2001:db8::/129", "'2001:db8::/129' has a prefix length above 128"},
        PrefixCase{"2001:db8::1/32",
                   "'2001:db8::1/32' has host bits set (the network is 2001:db8::/32)"},
        PrefixCase{"::1/0", "'::1/0' has host bits set (the network is ::/0)"},
        PrefixCase{"::ffff:192.0.2.1/120",
                   "'::ffff:192.0.2.1/120' has host bits set (the network is "
                   "::ffff:192.0.2.0/120)"},
        PrefixCase{"::ffff:192.0.2.0/95",
                   "'::ffff:192.0.2.0/95' has host bits set (the network is ::fffe:0:0/95)"},
        PrefixCase{"1.2.3.4/", "'1.2.3.4/' has no prefix length after the '/'"},
        PrefixCase{"/24", "'/24' has no address before the '/'"},
        PrefixCase{"/", "'/' has no address before the '/'"},
        PrefixCase{"1.2.3.0/024", "'1.2.3.0/024' has a prefix length with a leading zero"},
        PrefixCase{"1.2.3.0/00", "'1.2.3.0/00' has a prefix length with a leading zero"},
        PrefixCase{"1.2.3.4/-1", "'1.2.3.4/-1' has a prefix length that is not a number"},
        PrefixCase{"1.2.3.4/+1", "'1.2.3.4/+1' has a prefix length that is not a number"},
        PrefixCase{"1.2.3.0/24/8", "'1.2.3.0/24/8' has a prefix length that is not a number"},
        PrefixCase{"1.2.3.0/ 24", "'1.2.3.0/ 24' has a prefix length that is not a number"},
        PrefixCase{"1.2.3.0 /24",
                   "'1.2.3.0 /24' is not an IP prefix ('1.2.3.0 ' is not an IP "
                   "address)"},
        PrefixCase{" 192.0.2.0/24", "' 192.0.2.0/24' has spaces around it"},
        PrefixCase{"192.0.2.0/24\t", "'192.0.2.0/24\\x09' has spaces around it"},
        PrefixCase{"192.0.2.0\n", "'192.0.2.0\\x0a' is not an IP prefix"},
        PrefixCase{"300.0.2.0/24",
                   "'300.0.2.0/24' is not an IP prefix ('300.0.2.0' is not an IP address)"},
        PrefixCase{"010.0.0.0/8",
                   "'010.0.0.0/8' is not an IP prefix ('010.0.0.0' is not an IP address; write "
                   "IPv4 octets without leading zeros)"},
        PrefixCase{"010.0.0.1",
                   "'010.0.0.1' is not an IP prefix; write IPv4 octets without leading zeros"},
        PrefixCase{"fe80::%eth0/64",
                   "'fe80::%eth0/64' is not an IP prefix ('fe80::%eth0' is not an IP address)"},
        PrefixCase{"example.nl", "'example.nl' is not an IP prefix"}));

TEST(PrefixTest, ContainsAddressesFromNetworkToBroadcast) {
  const Prefix prefix = *ParsePrefix("192.0.2.0/24");
  EXPECT_TRUE(prefix.Contains(*IpAddress::Parse("192.0.2.0")));
  EXPECT_TRUE(prefix.Contains(*IpAddress::Parse("192.0.2.255")));
  EXPECT_FALSE(prefix.Contains(*IpAddress::Parse("192.0.1.255")));
  EXPECT_FALSE(prefix.Contains(*IpAddress::Parse("192.0.3.0")));
  EXPECT_TRUE(prefix.Contains(*IpAddress::Parse("::ffff:192.0.2.7")));
  EXPECT_FALSE(prefix.Contains(*IpAddress::Parse("::c000:207")));

  const Prefix everything = *ParsePrefix("0.0.0.0/0");
  EXPECT_TRUE(everything.Contains(*IpAddress::Parse("255.255.255.255")));
  EXPECT_FALSE(everything.Contains(*IpAddress::Parse("::1")));
  const Prefix all_v6 = *ParsePrefix("::/0");
  EXPECT_TRUE(all_v6.Contains(*IpAddress::Parse("ffff::1")));
  EXPECT_FALSE(all_v6.Contains(*IpAddress::Parse("0.0.0.0")));

  const Prefix v6 = *ParsePrefix("2001:db8:0:8000::/49");
  EXPECT_TRUE(v6.Contains(*IpAddress::Parse("2001:db8:0:8000::")));
  EXPECT_TRUE(v6.Contains(*IpAddress::Parse("2001:db8:0:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(v6.Contains(*IpAddress::Parse("2001:db8:0:7fff:ffff:ffff:ffff:ffff")));
  const Prefix long_v6 = *ParsePrefix("2001:db8::100/120");
  EXPECT_TRUE(long_v6.Contains(*IpAddress::Parse("2001:db8::1ff")));
  EXPECT_FALSE(long_v6.Contains(*IpAddress::Parse("2001:db8::200")));
}

TEST(PrefixTest, ContainsAndOverlapsPrefixes) {
  const Prefix eight = *ParsePrefix("10.0.0.0/8");
  const Prefix sixteen = *ParsePrefix("10.1.0.0/16");
  const Prefix other = *ParsePrefix("11.0.0.0/8");
  EXPECT_TRUE(eight.Contains(sixteen));
  EXPECT_FALSE(sixteen.Contains(eight));
  EXPECT_TRUE(eight.Contains(eight));
  EXPECT_TRUE(eight.Overlaps(sixteen));
  EXPECT_TRUE(sixteen.Overlaps(eight));
  EXPECT_FALSE(eight.Overlaps(other));
  EXPECT_FALSE(eight.Overlaps(*ParsePrefix("2001:db8::/32")));
  EXPECT_FALSE(ParsePrefix("0.0.0.0/0")->Overlaps(*ParsePrefix("::/0")));
  EXPECT_TRUE(ParsePrefix("::/0")->Contains(*ParsePrefix("2001:db8::/32")));
  EXPECT_FALSE(ParsePrefix("2001:db8::/32")->Overlaps(*ParsePrefix("2001:db9::/32")));
}

TEST(PrefixTest, ChecksItsInvariant) {
  EXPECT_TRUE(ParsePrefix("192.0.2.0/24")->IsValid());
  EXPECT_TRUE(ParsePrefix("2001:db8::/32")->IsValid());
  EXPECT_TRUE(ParsePrefix("0.0.0.0/0")->IsValid());
  EXPECT_TRUE((Prefix{IpAddress::V6(1, 1), 128}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V4(0xc0000201), 24}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V4(0), 33}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V4(0), -1}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V6(0x20010db8'00000000, 1), 64}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V6(0x20010db8'00000001, 0), 32}.IsValid()));
  EXPECT_FALSE((Prefix{IpAddress::V6(0, 0), 129}.IsValid()));
}

TEST(PrefixTest, ComparesByValue) {
  EXPECT_EQ(*ParsePrefix("192.0.2.0/24"), (Prefix{IpAddress::V4(0xc0000200), 24}));
  EXPECT_NE(*ParsePrefix("192.0.2.0/24"), *ParsePrefix("192.0.2.0/25"));
  EXPECT_EQ(*ParsePrefix("::ffff:192.0.2.0/120"), *ParsePrefix("192.0.2.0/24"));
}

}  // namespace
}  // namespace baken::net
