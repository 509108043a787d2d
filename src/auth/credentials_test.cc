#include "auth/credentials.h"

#include <gtest/gtest.h>

namespace baken::auth {
namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto()); }
};

TEST_F(CredentialsTest, PasswordsHashWithArgon2idAndVerify) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterz"));
  EXPECT_FALSE(HashPassword("short"));
}

TEST_F(CredentialsTest, TokensAreRandomAndHashedStably) {
  const std::string a = GenerateToken();
  const std::string b = GenerateToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("bkn_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_EQ(HashToken(a), HashToken(a));
  EXPECT_NE(HashToken(a), HashToken(b));
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The lock-out counts per source: an IPv6 subscriber holds a whole /64, so hopping between its
// addresses must not give it fresh attempts.
TEST(SourceKeyTest, AnIpv6SourceIsItsSlash64AndIpv4ItsAddress) {
  EXPECT_EQ(SourceKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(SourceKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(SourceKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(SourceKey("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
  EXPECT_NE(SourceKey("2001:db8:1:3::1"), SourceKey("2001:db8:1:2::1"));
  EXPECT_EQ(SourceKey(std::string(100, 'x')), std::string(64, 'x'));
}

TEST(ScopeTest, MembersSeeOnlyTheirOwnAndStaffSeeAll) {
  Principal member;
  member.role = store::Role::kMember;
  member.member = "GM0363";
  EXPECT_TRUE(ScopeFor(member).Includes("GM0363"));
  EXPECT_FALSE(ScopeFor(member).Includes("GM0599"));
  Principal orphan;
  orphan.role = store::Role::kMember;
  EXPECT_FALSE(ScopeFor(orphan).Includes("GM0363"));
  Principal analyst;
  analyst.role = store::Role::kAnalyst;
  EXPECT_TRUE(ScopeFor(analyst).IncludesAll());
}

}  // namespace
}  // namespace baken::auth
