#include "auth/totp.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// RFC 6238 appendix B's SHA-1 key "12345678901234567890", in base32.
constexpr std::string_view kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

std::chrono::system_clock::time_point At(int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

TEST(TotpTest, CodesAreThoseOfRfc6238) {
  // Appendix B lists 8 digits; a 6-digit code is the last six (the same truncation mod 10^6).
  const std::vector<std::pair<int64_t, std::string>> vectors = {
      {59, "287082"},
      {1111111109, "081804"},
      {1111111111, "050471"},
      {1234567890, "005924"},
      {2000000000, "279037"}};  // 20000000000 is past time_point's range
  for (const auto& [seconds, code] : vectors) {
    auto computed = TotpCode(kRfcSecret, At(seconds));
    ASSERT_TRUE(computed) << computed.error().message;
    EXPECT_EQ(*computed, code) << seconds;
    EXPECT_EQ(MatchTotp(kRfcSecret, code, At(seconds)), seconds / 30) << seconds;
  }
}

TEST(TotpTest, OneStepOfDriftEitherWayIsAcceptedAndNoMore) {
  const int64_t t = 1234567890;  // step 41152263
  const std::string code = "005924";
  EXPECT_EQ(MatchTotp(kRfcSecret, code, At(t + 30)), t / 30);  // the phone is a step behind
  EXPECT_EQ(MatchTotp(kRfcSecret, code, At(t - 30)), t / 30);  // or ahead
  for (const int64_t off : {60, 90}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, code, At(t + off)), std::nullopt) << off;
    EXPECT_EQ(MatchTotp(kRfcSecret, code, At(t - off)), std::nullopt) << off;
  }
}

TEST(TotpTest, MalformedCodesAndSecretsMatchNothing) {
  const auto now = At(1234567890);
  for (const std::string_view code : {"", "05924", "0059245", "00592a", " 005924", "-05924"}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, code, now), std::nullopt) << code;
  }
  EXPECT_EQ(MatchTotp("", "005924", now), std::nullopt);
  EXPECT_EQ(MatchTotp("not base32!", "005924", now), std::nullopt);
  EXPECT_FALSE(TotpCode("not base32!", now));
}

TEST(TotpTest, NewSecretsAreRandom160BitBase32) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string secret = GenerateTotpSecret();
    ASSERT_EQ(secret.size(), 32u);  // 160 bits, no padding
    EXPECT_EQ(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    seen.insert(secret);
    // What the app computes from it is what the server accepts.
    auto code = TotpCode(secret, At(1'800'000'000));
    ASSERT_TRUE(code);
    EXPECT_EQ(MatchTotp(secret, *code, At(1'800'000'000)), 1'800'000'000 / 30);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(TotpTest, TheUriNamesTheAccountAndTheQrCodeIsAnSvg) {
  const std::string uri = TotpUri("ABCDEFGH", "soc+1@amsterdam.example.nl");
  EXPECT_EQ(uri,
            "otpauth://totp/Baken:soc%2B1%40amsterdam.example.nl?secret=ABCDEFGH&issuer=Baken&"
            "algorithm=SHA1&digits=6&period=30");
  auto svg = QrCodeSvg(uri);
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_THAT(*svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(*svg, HasSubstr("<path d=\"M4 4h1v1h-1z"));  // a finder pattern's corner
  EXPECT_FALSE(QrCodeSvg(std::string(8000, 'x')));         // larger than version 40 holds
}

}  // namespace
}  // namespace baken::auth
