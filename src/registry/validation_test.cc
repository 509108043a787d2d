#include "registry/validation.h"

#include <string>

#include <gtest/gtest.h>

namespace baken::registry {
namespace {

TEST(ValidationTest, MemberCodes) {
  EXPECT_TRUE(IsValidMemberCode("GM0363"));
  EXPECT_TRUE(IsValidMemberCode("SV0001"));
  EXPECT_FALSE(IsValidMemberCode("gm0363"));
  EXPECT_FALSE(IsValidMemberCode("GM363"));
  EXPECT_FALSE(IsValidMemberCode("GM03631"));
  EXPECT_FALSE(IsValidMemberCode(""));
}

TEST(ValidationTest, EmailAddresses) {
  EXPECT_TRUE(IsValidEmail("soc@gemeente.example.nl"));
  EXPECT_TRUE(IsValidEmail("first.last+cert@example.nl"));
  EXPECT_FALSE(IsValidEmail("soc@localhost"));
  EXPECT_FALSE(IsValidEmail("@example.nl"));
  EXPECT_FALSE(IsValidEmail("a@b@example.nl"));
  EXPECT_FALSE(IsValidEmail("a b@example.nl"));
  EXPECT_FALSE(IsValidEmail("soc@exa mple.nl"));
  // Addresses the registry used to take and the mail builder refused: one of them in a
  // contact made every notification run fail.
  EXPECT_FALSE(IsValidEmail("soc(cert)@example.nl"));
  EXPECT_FALSE(IsValidEmail("\"soc\"@example.nl"));
  EXPECT_FALSE(IsValidEmail("so:c@example.nl"));
  EXPECT_FALSE(IsValidEmail("jos\xc3\xa9@example.nl"));
  EXPECT_FALSE(IsValidEmail(std::string(300, 'a') + "@example.nl"));
}

TEST(ValidationTest, PhoneNumbers) {
  EXPECT_EQ(NormalizePhone("+31 20 123 4567"), "+31201234567");
  EXPECT_EQ(NormalizePhone("020-1234567"), "+31201234567");
  EXPECT_EQ(NormalizePhone("(020) 123 45 67"), "+31201234567");
  EXPECT_EQ(NormalizePhone("06-12345678"), "+31612345678");
  EXPECT_EQ(NormalizePhone("0031 6 12345678"), "+31612345678");
  EXPECT_EQ(NormalizePhone("+32 2 123 45 67"), "+3221234567");
  EXPECT_EQ(NormalizePhone("+31201234567"), "+31201234567");
  EXPECT_FALSE(NormalizePhone(""));
  EXPECT_FALSE(NormalizePhone("112"));                // too short for a national number
  EXPECT_FALSE(NormalizePhone("020-123456"));         // nine digits
  EXPECT_FALSE(NormalizePhone("0201234567 ext"));     // letters
  EXPECT_FALSE(NormalizePhone("+0201234567"));        // no country code starts with 0
  EXPECT_FALSE(NormalizePhone("+1234567890123456"));  // over E.164's 15 digits
  EXPECT_FALSE(NormalizePhone("20+1234567"));
  EXPECT_FALSE(NormalizePhone(std::string(41, '1')));
}

TEST(ValidationTest, CanonicalClaimValues) {
  EXPECT_EQ(CanonicalClaimValue(ClaimKind::kNetblock, "2001:DB8:0:0::/32").value(),
            "2001:db8::/32");
  EXPECT_EQ(CanonicalClaimValue(ClaimKind::kAsn, "AS64500").value(), "64500");
  EXPECT_EQ(CanonicalClaimValue(ClaimKind::kAsn, "as64500").value(), "64500");
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kAsn, "0"));
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kAsn, "23456"));
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kAsn, "4294967295"));
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kAsn, "99999999999999999999"));
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kAsn, "AS"));
  EXPECT_EQ(CanonicalClaimValue(ClaimKind::kDomain, "Example.NL.").value(), "example.nl");
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kDomain, "nl"));
  EXPECT_FALSE(CanonicalClaimValue(ClaimKind::kNetblock, "0.0.0.0/0"));
}

TEST(ValidationTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("Gemeente Súdwest-Fryslân"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));   // truncated
}

}  // namespace
}  // namespace baken::registry
