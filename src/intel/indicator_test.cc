#include "intel/indicator.h"

#include <gtest/gtest.h>

namespace baken::intel {
namespace {

std::string Canonical(std::string_view kind, std::string_view value) {
  auto canonical = CanonicalValue(kind, value);
  return canonical ? *canonical : "error: " + canonical.error().message;
}

TEST(IndicatorTest, ValuesTakeTheirCanonicalForm) {
  EXPECT_EQ(Canonical("ip", "2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(Canonical("ip", "::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(Canonical("cidr", "192.0.2.0/24"), "192.0.2.0/24");
  EXPECT_EQ(Canonical("domain", "Evil.Example.COM."), "evil.example.com");
  EXPECT_EQ(Canonical("host", "www.Example.nl"), "www.example.nl");
  EXPECT_EQ(Canonical("email", "Phish.Er@Example.COM"), "Phish.Er@example.com");
  EXPECT_EQ(Canonical("md5", "D41D8CD98F00B204E9800998ECF8427E"),
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Canonical("asn", "as174"), "AS174");
  EXPECT_EQ(Canonical("asn", "64500"), "AS64500");
  EXPECT_EQ(Canonical("cve", "cve-2026-12345"), "CVE-2026-12345");
  EXPECT_EQ(Canonical("url", "ftp://files.example.com/x.exe"), "ftp://files.example.com/x.exe");
  EXPECT_EQ(Canonical("text", "two\r\nlines"), "two\r\nlines");
}

TEST(IndicatorTest, ValuesThatAreNotTheirKindAreRefusedWithAReason) {
  for (const auto& [kind, value] : std::vector<std::pair<std::string, std::string>>{
           {"ip", "192.0.2.256"},
           {"ip", "192.0.2.0/24"},
           {"cidr", "192.0.2.1/24"},
           {"domain", "192.0.2.1"},
           {"md5", "d41d8cd98f00b204e9800998ecf8427"},
           {"sha1", "zz1d8cd98f00b204e9800998ecf8427e00000000"},
           {"sha256", "abc"},
           {"cve", "CVE-26-1"},
           {"url", "not a url"},
           {"email", "nobody"},
           {"filename", "a\nb"},
           {"text", ""},
           {"weird", "x"}}) {
    auto canonical = CanonicalValue(kind, value);
    ASSERT_FALSE(canonical) << kind << " " << value;
    EXPECT_FALSE(canonical.error().message.empty());
  }
}

TEST(IndicatorTest, OnlyConcreteKindsAreForDetection) {
  for (std::string_view kind : IndicatorKinds()) {
    EXPECT_EQ(Detectable(kind), kind != "text" && kind != "other") << kind;
  }
}

}  // namespace
}  // namespace baken::intel
