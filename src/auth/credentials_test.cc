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
