#include "net/domain.h"

#include <gtest/gtest.h>

namespace baken::net {
namespace {

struct DomainCase {
  std::string text;
  std::string expected;  // the normalised name, or the error message
  bool valid;
};

class NormalizeDomainTest : public testing::TestWithParam<DomainCase> {};

TEST_P(NormalizeDomainTest, NormalizesOrExplains) {
  const DomainCase& c = GetParam();
  const Result<std::string> name = NormalizeDomain(c.text);
  if (c.valid) {
    ASSERT_TRUE(name.has_value()) << name.error().message;
    EXPECT_EQ(*name, c.expected);
    EXPECT_TRUE(IsNormalizedDomain(*name));
  } else {
    ASSERT_FALSE(name.has_value()) << *name;
    EXPECT_EQ(name.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(name.error().message, c.expected);
  }
}

DomainCase Valid(std::string text, std::string expected) {
  return {std::move(text), std::move(expected), true};
}
DomainCase Invalid(std::string text, std::string message) {
  return {std::move(text), std::move(message), false};
}

const std::string kLabel63(63, 'a');
// 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters.
const std::string kName253 =
    kLabel63 + "." + kLabel63 + "." + kLabel63 + "." + std::string(61, 'b');

INSTANTIATE_TEST_SUITE_P(
    DomainTest, NormalizeDomainTest,
    testing::Values(
        Valid("example.nl", "example.nl"), Valid("Example.NL", "example.nl"),
        Valid("example.nl.", "example.nl"), Valid("WWW.Example.nl.", "www.example.nl"),
        Valid("_dmarc.example.nl", "_dmarc.example.nl"),
        Valid("_sip._tcp.example.nl", "_sip._tcp.example.nl"),
        Valid("xn--bcher-kva.example", "xn--bcher-kva.example"), Valid("localhost", "localhost"),
        Valid("a-b.nl", "a-b.nl"), Valid("1.example.nl", "1.example.nl"),
        Valid("1.2.3.4a", "1.2.3.4a"), Valid("0.in-addr.arpa", "0.in-addr.arpa"),
        Valid(kLabel63 + ".nl", kLabel63 + ".nl"), Valid(kName253, kName253),
        Valid(kName253 + ".", kName253), Invalid("", "the domain name is empty"),
        Invalid(".", "'.' has no labels"),
        Invalid("example.nl..", "'example.nl..' has an empty label"),
        Invalid("a..b.nl", "'a..b.nl' has an empty label"),
        Invalid(".example.nl", "'.example.nl' has an empty label"),
        Invalid("-a.nl", "'-a.nl' has a label that starts or ends with a hyphen"),
        Invalid("a-.nl", "'a-.nl' has a label that starts or ends with a hyphen"),
        Invalid("example.nl-", "'example.nl-' has a label that starts or ends with a hyphen"),
        Invalid("a_b.nl", "'a_b.nl' has an underscore that is not at the start of a label"),
        Invalid("_.nl", "'_.nl' has a label that is only '_'"),
        Invalid("a b.nl", "'a b.nl' contains a character that is not allowed in a host name"),
        Invalid(" example.nl",
                "' example.nl' contains a character that is not allowed in a host name"),
        Invalid("*.example.nl",
                "'*.example.nl' contains a character that is not allowed in a host name"),
        Invalid("example.nl/path",
                "'example.nl/path' contains a character that is not allowed in a host name"),
        Invalid(std::string("exa\0mple.nl", 11),
                "'exa\\x00mple.nl' contains a character that is not allowed in a host name"),
        Invalid("b\xc3\xbc"
                "cher.nl",
                "'b\\xc3\\xbccher.nl' contains non-ASCII characters; give the name in its xn-- "
                "(punycode) form"),
        Invalid(std::string(64, 'a') + ".nl",
                "'" + std::string(64, 'a') + ".nl' has a label longer than 63 characters"),
        Invalid("192.0.2.1", "'192.0.2.1' ends in an all-numeric label"),
        Invalid("example.123", "'example.123' ends in an all-numeric label")));

TEST(DomainTest, RefusesNamesLongerThan253Characters) {
  const std::string name = kName253 + "b";
  const Result<std::string> result = NormalizeDomain(name);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("is longer than 253 characters"), std::string::npos);
  // The quoted input is cut short, so the message stays readable.
  EXPECT_LT(result.error().message.size(), 150u);
}

TEST(DomainTest, RecognisesNormalizedNames) {
  EXPECT_TRUE(IsNormalizedDomain("example.nl"));
  EXPECT_FALSE(IsNormalizedDomain("Example.nl"));
  EXPECT_FALSE(IsNormalizedDomain("example.nl."));
  EXPECT_FALSE(IsNormalizedDomain(""));
  EXPECT_FALSE(IsNormalizedDomain("a b"));
}

TEST(DomainTest, MatchesOnLabelBoundariesOnly) {
  EXPECT_TRUE(IsDomainOrSubdomain("example.nl", "example.nl"));
  EXPECT_TRUE(IsDomainOrSubdomain("www.example.nl", "example.nl"));
  EXPECT_TRUE(IsDomainOrSubdomain("a.b.example.nl", "example.nl"));
  EXPECT_TRUE(IsDomainOrSubdomain("example.nl", "nl"));
  EXPECT_FALSE(IsDomainOrSubdomain("badexample.nl", "example.nl"));
  EXPECT_FALSE(IsDomainOrSubdomain("example.nl", "www.example.nl"));
  EXPECT_FALSE(IsDomainOrSubdomain("example.nl.evil", "example.nl"));
  EXPECT_FALSE(IsDomainOrSubdomain("example.com", "example.nl"));
  EXPECT_FALSE(IsDomainOrSubdomain(".example.nl", "xample.nl"));
}

}  // namespace
}  // namespace baken::net
