// The second factor (TOTP) from offer to sign-in to turning it off, the lock-out per account
// and source address, and API tokens' expiry and refusals, on a real SQLite store with a clock
// the test sets, so that codes of neighbouring 30-second steps and the end of a lock need no
// waiting. (SessionTest in server_test.cc covers the same over HTTP.)

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "auth/principal.h"
#include "auth/totp.h"
#include "common/time.h"
#include "service/session_service.h"
#include "store/store.h"
#include "store/test_database.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

constexpr std::string_view kEmail = "soc@amsterdam.example.nl";
constexpr std::string_view kPassword = "correct horse battery staple";
// Where the requests come from (auth::SourceKey): the user's office, and somewhere else.
constexpr std::string_view kOffice = "192.0.2.10";
constexpr std::string_view kElsewhere = "198.51.100.66";
// RFC 6238's SHA-1 key in base32.
constexpr const char* kFixedSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

class SecondFactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = store::Store::Open(database_.location());
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
                               std::string_view password = kPassword,
                               std::string_view source = kOffice) {
    auto tx = Begin();
    auto outcome = auth::SignIn(*tx, kEmail, password, code, source, when);
    EXPECT_TRUE(outcome) << outcome.error().message;
    EXPECT_TRUE(tx->Commit());
    return outcome ? std::move(*outcome) : auth::SignInOutcome{};
  }
  std::string CodeAt(const std::string& secret, Clock::time_point when) {
    auto code = auth::TotpCode(secret, when);
    EXPECT_TRUE(code);
    return code.value_or("");
  }

  // Offers the factor and swaps the offered secret for kFixedSecret, so that codes are known.
  void OfferKnownSecret() {
    const auth::Principal me = Me();
    auto tx = Begin();
    ASSERT_TRUE(auth::OfferTotp(*tx, me));
    ASSERT_TRUE(tx->Accounts().SetTotp(me.user_id, std::nullopt, std::string(kFixedSecret)));
    ASSERT_TRUE(tx->Commit());
  }
  // A bearer token checked from `source` at `when`.
  Result<std::optional<auth::Principal>> TokenAt(const std::string& token, std::string_view source,
                                                 Clock::time_point when) {
    auto tx = Begin();
    return auth::Authenticate(*tx, token, source, when);
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
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
    auto wrong = auth::ConfirmTotp(*tx, me, kPassword,
                                   CodeAt(offer.secret, t_ + std::chrono::hours(1)), kOffice, t_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
    auto confirmed = auth::ConfirmTotp(*tx, me, kPassword, CodeAt(offer.secret, t_), kOffice, t_);
    ASSERT_TRUE(confirmed && confirmed->done);
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
    auto used = auth::DisableTotp(*tx, me, kPassword, next, kOffice, t_ + std::chrono::seconds(61));
    ASSERT_TRUE(used) << used.error().message;
    EXPECT_FALSE(used->done);
    auto off =
        auth::DisableTotp(*tx, me, kPassword, CodeAt(offer.secret, t_ + std::chrono::seconds(90)),
                          kOffice, t_ + std::chrono::seconds(90));
    ASSERT_TRUE(off) << off.error().message;
    EXPECT_TRUE(off->done);
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
    ASSERT_TRUE(auth::ConfirmTotp(*tx, me, kPassword, CodeAt(offer->secret, t_), kOffice, t_));
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

// Issue 12, finding 8: a stolen session cookie (the principal alone) can neither turn the
// factor on with a secret the thief keeps nor turn it off: both ask for the password again,
// and wrong passwords count towards the lock like failed sign-ins.
TEST_F(SecondFactorTest, TurningTheFactorOnOrOffTakesThePassword) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  OfferKnownSecret();
  const auth::Principal me = Me();
  for (int attempt = 1; attempt < auth::kMaxFailedSignIns; ++attempt) {
    auto tx = Begin();
    auto refused =
        auth::ConfirmTotp(*tx, me, "the thief's guess", CodeAt(kFixedSecret, t_), kElsewhere, t_);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_FALSE(refused->done);
    EXPECT_TRUE(refused->password_wrong);
    EXPECT_FALSE(refused->locked);
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_FALSE(Me().totp);
  {
    auto tx = Begin();
    auto last = auth::ConfirmTotp(*tx, me, "", CodeAt(kFixedSecret, t_), kElsewhere, t_);
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_TRUE(last->locked_now);
    EXPECT_EQ(last->lock, auth::kSignInLock);
    ASSERT_TRUE(tx->Commit());
  }
  {
    // Locked out from there: even the right password is refused from that address now.
    auto tx = Begin();
    auto locked = auth::ConfirmTotp(*tx, me, kPassword, CodeAt(kFixedSecret, t_), kElsewhere,
                                    t_ + minutes(1));
    ASSERT_TRUE(locked) << locked.error().message;
    EXPECT_FALSE(locked->done);
    EXPECT_TRUE(locked->locked);
  }
  EXPECT_FALSE(Me().totp);
  // The user, at the office, turns it on with the password.
  {
    auto tx = Begin();
    auto on = auth::ConfirmTotp(*tx, me, kPassword, CodeAt(kFixedSecret, t_ + minutes(1)), kOffice,
                                t_ + minutes(1));
    ASSERT_TRUE(on) << on.error().message;
    EXPECT_TRUE(on->done);
    ASSERT_TRUE(tx->Commit());
  }
  ASSERT_TRUE(Me().totp);
  // Turning it off: a current code with a wrong password is refused and counted.
  const std::string later = CodeAt(kFixedSecret, t_ + seconds(90));
  {
    auto tx = Begin();
    auto refused = auth::DisableTotp(*tx, me, "not it", later, kOffice, t_ + seconds(90));
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_FALSE(refused->done);
    EXPECT_TRUE(refused->password_wrong);
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(Me().totp);
  {
    auto tx = Begin();
    auto off = auth::DisableTotp(*tx, me, kPassword, later, kOffice, t_ + seconds(90));
    ASSERT_TRUE(off) << off.error().message;
    EXPECT_TRUE(off->done);
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_FALSE(Me().totp);
}

// Issue 12, finding 12: failures are counted per account and source. The address that guessed
// is locked out of the account, for a time that grows with each further failure; the user at
// another address is not; and the lock ends by itself.
TEST_F(SecondFactorTest, AGuessingAddressLocksOnlyItselfOutAndTheLockEnds) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  for (int attempt = 1; attempt < auth::kMaxFailedSignIns; ++attempt) {
    EXPECT_FALSE(SignInAt("", t_, "a guess", kElsewhere).locked_now) << attempt;
  }
  const auto locking = SignInAt("", t_, "a guess", kElsewhere);
  EXPECT_TRUE(locking.locked_now);
  EXPECT_EQ(locking.lock, minutes(15));
  // From there the right password is refused too, and that refusal looks like any other.
  const auto from_there = SignInAt("", t_ + minutes(1), kPassword, kElsewhere);
  EXPECT_FALSE(from_there.signed_in);
  EXPECT_FALSE(from_there.code_needed);
  EXPECT_FALSE(from_there.locked_now);
  // The real user at the office signs in as usual.
  EXPECT_TRUE(SignInAt("", t_ + minutes(1), kPassword, kOffice).signed_in);
  // The lock ends after its time, not a second earlier.
  EXPECT_FALSE(SignInAt("", t_ + minutes(15) - seconds(1), kPassword, kElsewhere).signed_in);
  // One more failure from there once it ended: locked again, for twice as long.
  const auto again = SignInAt("", t_ + minutes(15), "another guess", kElsewhere);
  EXPECT_TRUE(again.locked_now);
  EXPECT_EQ(again.lock, minutes(30));
  EXPECT_FALSE(SignInAt("", t_ + minutes(45) - seconds(1), kPassword, kElsewhere).signed_in);
  EXPECT_TRUE(SignInAt("", t_ + minutes(45), kPassword, kElsewhere).signed_in);
  // That success forgot the failures from there: a typo now locks nothing.
  EXPECT_FALSE(SignInAt("", t_ + minutes(46), "a typo", kElsewhere).locked_now);

  // An analyst's unlock lifts the locks of every address at once.
  for (int attempt = 0; attempt < auth::kMaxFailedSignIns; ++attempt) {
    SignInAt("", t_ + minutes(50), "a guess", kElsewhere);
  }
  EXPECT_FALSE(SignInAt("", t_ + minutes(51), kPassword, kElsewhere).signed_in);
  {
    auto tx = Begin();
    ASSERT_TRUE(auth::Unlock(*tx, kEmail));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(SignInAt("", t_ + minutes(51), kPassword, kElsewhere).signed_in);
}

// Issue 12, finding 9: an API token expires, stops once revoked, and is refused while its
// account is disabled or from an address locked out of the account.
TEST_F(SecondFactorTest, ApiTokensExpireAndStopWithTheirAccount) {
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  auth::NewToken made;
  {
    auto tx = Begin();
    auto past = auth::CreateToken(*tx, kEmail, "", t_ - seconds(1), t_);
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error().code, ErrorCode::kInvalidArgument);
    auto far = auth::CreateToken(*tx, kEmail, "", t_ + auth::kMaxTokenLifetime + seconds(1), t_);
    ASSERT_FALSE(far);
    EXPECT_EQ(far.error().code, ErrorCode::kInvalidArgument);
    auto created = auth::CreateToken(*tx, kEmail, "backup script", t_ + hours(24), t_);
    ASSERT_TRUE(created) << created.error().message;
    made = *created;
    ASSERT_TRUE(tx->Commit());
  }
  auto fine = TokenAt(made.token, kOffice, t_ + hours(23));
  ASSERT_TRUE(fine && *fine);
  EXPECT_EQ((*fine)->email, kEmail);
  auto expired = TokenAt(made.token, kOffice, t_ + hours(24));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  EXPECT_THAT(expired.error().message, HasSubstr("expired"));

  // Locked out from elsewhere by guessing: the token is refused there, not at the office.
  for (int attempt = 0; attempt < auth::kMaxFailedSignIns; ++attempt) {
    SignInAt("", t_, "a guess", kElsewhere);
  }
  auto locked = TokenAt(made.token, kElsewhere, t_ + minutes(1));
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kUnauthenticated);
  EXPECT_THAT(locked.error().message, HasSubstr("locked"));
  EXPECT_TRUE(TokenAt(made.token, kOffice, t_ + minutes(1)));
  EXPECT_TRUE(TokenAt(made.token, kElsewhere, t_ + minutes(15)));

  // A disabled account: no token, no sign-in, until it is enabled again.
  {
    auto tx = Begin();
    ASSERT_TRUE(auth::Disable(*tx, kEmail, t_));
    ASSERT_TRUE(tx->Commit());
  }
  auto disabled = TokenAt(made.token, kOffice, t_ + minutes(20));
  ASSERT_FALSE(disabled);
  EXPECT_THAT(disabled.error().message, HasSubstr("disabled"));
  EXPECT_FALSE(SignInAt("", t_ + minutes(20)).signed_in);
  {
    auto tx = Begin();
    ASSERT_TRUE(auth::Enable(*tx, kEmail));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_TRUE(TokenAt(made.token, kOffice, t_ + minutes(21)));

  // Revoked in another account's name: it does not exist there. In its own: gone.
  {
    auto tx = Begin();
    auto other = auth::RevokeToken(*tx, made.record.id, made.record.user_id + 1);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
    ASSERT_TRUE(auth::RevokeToken(*tx, made.record.id, made.record.user_id));
    ASSERT_TRUE(tx->Commit());
  }
  auto revoked = TokenAt(made.token, kOffice, t_ + minutes(22));
  ASSERT_TRUE(revoked);
  EXPECT_FALSE(*revoked);
}

// The service records what a refused password and a lock were, and reads the clock it is
// given: a token made now expires a year later by that clock.
TEST_F(SecondFactorTest, TheServiceAuditsRefusalsAndReadsItsClock) {
  OfferKnownSecret();
  const auth::Principal me = Me();
  service::SessionService sessions(*store_, [this] { return t_; });
  for (int attempt = 0; attempt < auth::kMaxFailedSignIns; ++attempt) {
    auto refused =
        sessions.ConfirmTotp(me, "a guess", CodeAt(kFixedSecret, t_), std::string(kElsewhere));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }
  {
    auto tx = Begin();
    auto audit = tx->Audit().List(10);
    ASSERT_TRUE(audit);
    ASSERT_EQ(audit->size(), 6u);
    EXPECT_EQ((*audit)[0].action, "session.locked");
    EXPECT_THAT((*audit)[0].detail, HasSubstr("\"minutes\":15"));
    EXPECT_THAT((*audit)[0].detail, HasSubstr(std::string(kElsewhere)));
    EXPECT_EQ((*audit)[1].action, "user.password_refused");
    EXPECT_THAT((*audit)[1].detail, HasSubstr("totp.confirm"));
  }
  auto made = sessions.CreateOwnToken(me, "", std::nullopt);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->record.expires_at, FormatUtc(t_ + auth::kDefaultTokenLifetime));
  auto listed = sessions.ListOwnTokens(me);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, made->record.id);
}

}  // namespace
}  // namespace baken::testing
