// The second factor (TOTP) from offer to sign-in to turning it off, on a real SQLite store
// with a clock the test sets, so that codes of neighbouring 30-second steps can be used
// without waiting. (SessionTest in server_test.cc covers the same over HTTP.)

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/principal.h"
#include "auth/totp.h"
#include "store/store.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

constexpr std::string_view kEmail = "soc@amsterdam.example.nl";
constexpr std::string_view kPassword = "correct horse battery staple";
// RFC 6238's SHA-1 key in base32.
constexpr const char* kFixedSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

class SecondFactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = store::Store::Open(dir_.File("baken.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto tx = Begin();
    auto id = auth::AddUser(
        *tx, {std::string(kEmail), store::Role::kAnalyst, std::nullopt, std::string(kPassword)},
        "2026-11-24T00:00:00Z");
    ASSERT_TRUE(id) << id.error().message;
    ASSERT_TRUE(tx->Commit());
  }
  std::unique_ptr<store::Transaction> Begin() {
    auto tx = store_->Begin(store::Access::kWrite);
    EXPECT_TRUE(tx);
    return std::move(*tx);
  }
  // The signed-in user as the store has it now (read before a test opens its transaction:
  // SQLite has one writer at a time).
  auth::Principal Me() {
    auto tx = Begin();
    auto user = tx->Accounts().FindUserByEmail(kEmail);
    EXPECT_TRUE(user && *user);
    return user && *user ? auth::PrincipalFor(**user) : auth::Principal{};
  }
  // Signs in at `when` and commits (failures count); the outcome.
  auth::SignInOutcome SignInAt(std::string_view code, Clock::time_point when,
                               std::string_view password = kPassword) {
    auto tx = Begin();
    auto outcome = auth::SignIn(*tx, kEmail, password, code, when);
    EXPECT_TRUE(outcome) << outcome.error().message;
    EXPECT_TRUE(tx->Commit());
    return outcome ? std::move(*outcome) : auth::SignInOutcome{};
  }
  std::string CodeAt(const std::string& secret, Clock::time_point when) {
    auto code = auth::TotpCode(secret, when);
    EXPECT_TRUE(code);
    return code.value_or("");
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  // The start of a 30-second step, so that t + 30 s is the next step.
  const Clock::time_point t_ = Clock::time_point(std::chrono::seconds(1'800'000'000));
};

TEST_F(SecondFactorTest, OfferedConfirmedRequiredNeverReplayedAndTurnedOff) {
  // Offered: a secret and a QR code, but sign-in needs no code until it is confirmed.
  auth::TotpOffer offer;
  {
    const auth::Principal me = Me();
    auto tx = Begin();
    auto offered = auth::OfferTotp(*tx, me);
    ASSERT_TRUE(offered) << offered.error().message;
    offer = *offered;
    EXPECT_THAT(offer.uri, HasSubstr("secret=" + offer.secret));
    EXPECT_THAT(offer.qr_svg, HasSubstr("<svg"));
    // From here on a known secret, so that the wrong codes below are wrong for certain.
    offer.secret = kFixedSecret;
    ASSERT_TRUE(tx->Accounts().SetTotp(me.user_id, std::nullopt, offer.secret));
    ASSERT_TRUE(tx->Commit());
  }
  for (const std::string_view wrong : {"000000", "111111", "222222"}) {
    for (int seconds = 0; seconds <= 120; seconds += 30) {
      ASSERT_EQ(auth::MatchTotp(offer.secret, wrong, t_ + std::chrono::seconds(seconds)),
                std::nullopt);
    }
  }
  EXPECT_TRUE(SignInAt("", t_).signed_in);

  {
    const auth::Principal me = Me();
    auto tx = Begin();
    auto wrong = auth::ConfirmTotp(*tx, me, CodeAt(offer.secret, t_ + std::chrono::hours(1)), t_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
    ASSERT_TRUE(auth::ConfirmTotp(*tx, me, CodeAt(offer.secret, t_), t_));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(Me().totp);
  {
    const auth::Principal me = Me();
    auto tx = Begin();
    auto again = auth::OfferTotp(*tx, me);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  }

  // The password alone: the code is asked for, and nothing counts as a failure.
  const auto asked = SignInAt("", t_ + std::chrono::seconds(5));
  EXPECT_FALSE(asked.signed_in);
  EXPECT_TRUE(asked.code_needed);
  // A wrong password does not reveal that a code would be asked.
  EXPECT_FALSE(SignInAt("", t_, "wrong password here").code_needed);
  // The code that confirmed it is used up; the next step's code works once.
  EXPECT_FALSE(SignInAt(CodeAt(offer.secret, t_), t_ + std::chrono::seconds(5)).signed_in);
  const std::string next = CodeAt(offer.secret, t_ + std::chrono::seconds(30));
  EXPECT_TRUE(SignInAt(next, t_ + std::chrono::seconds(30)).signed_in);
  EXPECT_FALSE(SignInAt(next, t_ + std::chrono::seconds(31)).signed_in);
  // A code from an hour later is not accepted now.
  EXPECT_FALSE(
      SignInAt(CodeAt(offer.secret, t_ + std::chrono::hours(1)), t_ + std::chrono::seconds(40))
          .signed_in);

  // Wrong codes count towards the lock like wrong passwords: since the last success, the
  // replayed code, the hour-later code and three wrong ones make five.
  for (const std::string_view wrong : {"000000", "111111", "222222"}) {
    EXPECT_FALSE(SignInAt(wrong, t_ + std::chrono::seconds(41)).signed_in);
  }
  const auto locked =
      SignInAt(CodeAt(offer.secret, t_ + std::chrono::seconds(60)), t_ + std::chrono::seconds(60));
  EXPECT_FALSE(locked.signed_in) << "locked after five failures, even with a right code";
  // While locked, the right password does not reveal that a code would be asked either.
  EXPECT_FALSE(SignInAt("", t_ + std::chrono::seconds(62)).code_needed);
  {
    auto tx = Begin();
    ASSERT_TRUE(auth::Unlock(*tx, kEmail));
    ASSERT_TRUE(tx->Commit());
  }

  // Turning it off takes a fresh code.
  {
    const auth::Principal me = Me();
    auto tx = Begin();
    auto used = auth::DisableTotp(*tx, me, next, t_ + std::chrono::seconds(61));
    ASSERT_TRUE(used) << used.error().message;
    EXPECT_FALSE(*used);
    auto off = auth::DisableTotp(*tx, me, CodeAt(offer.secret, t_ + std::chrono::seconds(90)),
                                 t_ + std::chrono::seconds(90));
    ASSERT_TRUE(off) << off.error().message;
    EXPECT_TRUE(*off);
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_FALSE(Me().totp);
  EXPECT_TRUE(SignInAt("", t_ + std::chrono::seconds(95)).signed_in);
}

TEST_F(SecondFactorTest, AnAnalystResetsALostSecondFactor) {
  {
    const auth::Principal me = Me();
    auto tx = Begin();
    auto offer = auth::OfferTotp(*tx, me);
    ASSERT_TRUE(offer);
    ASSERT_TRUE(auth::ConfirmTotp(*tx, me, CodeAt(offer->secret, t_), t_));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(SignInAt("", t_).code_needed);
  {
    auto tx = Begin();
    ASSERT_TRUE(auth::ResetTotp(*tx, kEmail));
    auto missing = auth::ResetTotp(*tx, "nobody@example.nl");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(SignInAt("", t_).signed_in);
}

}  // namespace
}  // namespace baken::testing
