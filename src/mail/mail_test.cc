// The mail reader and OpenPGP against Debian's real gpg: messages as researchers' mail clients
// write them (plain, other charsets, attachments, HTML only, PGP/MIME encrypted and signed,
// inline OpenPGP), and hostile ones.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/message.h"
#include "mail/openpgp.h"
#include "support/gnupg_home.h"

namespace baken::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kPlain[] =
    "From: Eva Onderzoeker <Eva@Research.example>\r\n"
    "To: cert@baken.test\r\n"
    "Subject: =?ISO-8859-1?Q?Lek_in_het_zaaksysteem_=E9n_meer?=\r\n"
    "Message-ID: <abc123@research.example>\r\n"
    "Date: Sun, 06 Dec 2026 11:00:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "De server 192.0.2.10 toont een open directory =E9n meer.\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=\"poc.txt\"\r\n"
    "Content-Disposition: attachment; filename=\"poc.txt\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "R0VUIC8gSFRUUC8xLjE=\r\n"
    "--b1--\r\n";

TEST(MailMessageTest, ReadsSenderTextAndAttachments) {
  auto message = ReadMessage(kPlain, nullptr);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->from_address, "eva@research.example");
  EXPECT_EQ(message->from_name, "Eva Onderzoeker");
  EXPECT_EQ(message->subject, "Lek in het zaaksysteem \u00e9n meer");
  EXPECT_EQ(message->message_id, "abc123@research.example");
  EXPECT_EQ(message->date, "2026-12-06T10:00:00Z");
  // The line break before a boundary belongs to the boundary (RFC 2046).
  EXPECT_EQ(message->text, "De server 192.0.2.10 toont een open directory \u00e9n meer.");
  ASSERT_EQ(message->parts.size(), 1u);
  EXPECT_EQ(message->parts[0].file_name, "poc.txt");
  EXPECT_EQ(message->parts[0].content, "GET / HTTP/1.1");
  EXPECT_FALSE(message->encrypted);
  EXPECT_EQ(message->signature.state, "none");
}

TEST(MailMessageTest, HtmlOnlyGivesItsText) {
  auto message = ReadMessage(
      "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p>Host <b>www.gemeente.example</b> is open</p>\r\n",
      nullptr);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_TRUE(message->text_from_html);
  EXPECT_THAT(message->text, HasSubstr("www.gemeente.example"));
  EXPECT_THAT(message->text, ::testing::Not(HasSubstr("<b>")));
}

TEST(MailMessageTest, RefusesWhatIsNoMessage) {
  EXPECT_THAT(ReadMessage("", nullptr).error().message, HasSubstr("not an e-mail message"));
  EXPECT_THAT(ReadMessage("just some text\n", nullptr).error().message,
              HasSubstr("not an e-mail message"));
  EXPECT_THAT(ReadMessage("Subject: hi\r\n\r\ntext\r\n", nullptr).error().message,
              HasSubstr("no sender"));
  EXPECT_THAT(ReadMessage(std::string(kMaxMessageBytes + 1, 'x'), nullptr).error().message,
              HasSubstr("more than the limit"));
}

TEST(MailMessageTest, RefusesDeepOrWideNesting) {
  std::string nested = "From: a@b.example\r\n";
  for (int level = 0; level < 200; ++level) {
    nested += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(level) +
              "\"\r\n\r\n--b" + std::to_string(level) + "\r\n";
  }
  const auto message = ReadMessage(nested, nullptr);
  ASSERT_FALSE(message);
  EXPECT_THAT(message.error().message, HasSubstr("more than 64 parts"));
}

TEST(MailMessageTest, RefusesManyPartsBeforeGmimeBuildsThemButNotAPastedTrace) {
  std::string wide = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (size_t part = 0; part <= kMaxDelimiterLines; ++part) wide += "--b\r\n\r\n";
  const auto refused = ReadMessage(wide, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("more than 64 parts"));

  // An HTTP trace pasted into the text has many Content-Type lines; none of them is a part.
  std::string trace = "From: a@b.example\r\nSubject: trace\r\n\r\n";
  for (int response = 0; response < 100; ++response) {
    trace += "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
  }
  const auto taken = ReadMessage(trace, nullptr);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_THAT(taken->text, HasSubstr("Content-Type: text/html"));
}

TEST(MailMessageTest, EncryptedWithoutAKeyIsRefusedByName) {
  const auto message = ReadMessage(
      "From: a@b.example\r\nContent-Type: multipart/encrypted; "
      "protocol=\"application/pgp-encrypted\"; boundary=x\r\n\r\n--x\r\n"
      "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--x\r\n"
      "Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n"
      "-----END PGP MESSAGE-----\r\n--x--\r\n",
      nullptr);
  ASSERT_FALSE(message);
  EXPECT_THAT(message.error().message, HasSubstr("no OpenPGP home"));
}

// The CERT's home, with its key, and a researcher's, who knows the CERT's public key.
class OpenPgpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_key_ = cert_.NewKey("Baken CERT <cert@baken.test>");
    researcher_key_ = researcher_.NewKey("Eva Onderzoeker <eva@research.example>");
    researcher_.Import(cert_.ExportPublic(cert_key_));
  }

  // A PGP/MIME message (RFC 3156) with `entity` encrypted to the CERT (and signed by the
  // researcher when `sign`), as the researcher's mail client sends it.
  std::string EncryptedMessage(const std::string& entity, bool sign) const {
    const auto encrypted =
        researcher_.Gpg(std::string("--armor --trust-model always --encrypt ") +
                            (sign ? "--sign --local-user " + researcher_key_ + " " : "") +
                            "--recipient " + cert_key_,
                        entity);
    EXPECT_EQ(encrypted.exit_code, 0) << encrypted.err;
    return "From: Eva <eva@research.example>\r\nSubject: ...\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
           "boundary=\"enc\"\r\n\r\n--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\n"
           "Version: 1\r\n\r\n--enc\r\nContent-Type: application/octet-stream; "
           "name=\"encrypted.asc\"\r\n\r\n" +
           encrypted.out + "\r\n--enc--\r\n";
  }

  // A multipart/signed message whose first part is `entity`, signed by the researcher.
  std::string SignedMessage(const std::string& entity) const {
    const auto signature =
        researcher_.Gpg("--armor --detach-sign --local-user " + researcher_key_, entity);
    EXPECT_EQ(signature.exit_code, 0) << signature.err;
    return "From: Eva <eva@research.example>\r\nSubject: signed\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/signed; micalg=pgp-sha256; "
           "protocol=\"application/pgp-signature\"; boundary=\"sig\"\r\n\r\n--sig\r\n" +
           entity +
           "\r\n--sig\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
           "\r\n" +
           signature.out + "\r\n--sig--\r\n";
  }

  testing::GnupgHome cert_;
  testing::GnupgHome researcher_;
  std::string cert_key_;
  std::string researcher_key_;
};

constexpr char kEntity[] =
    "Content-Type: text/plain; charset=utf-8\r\n\r\nKwetsbaar: "
    "https://www.gemeente.example/login\r\n";

TEST_F(OpenPgpTest, OpensPgpMimeMessagesToTheCertsKey) {
  const OpenPgp openpgp(cert_.path());
  auto message = ReadMessage(EncryptedMessage(kEntity, false), &openpgp);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_TRUE(message->encrypted);
  EXPECT_EQ(message->text, "Kwetsbaar: https://www.gemeente.example/login\r\n");
  EXPECT_EQ(message->signature.state, "none");
}

TEST_F(OpenPgpTest, ChecksTheSignatureInsideAnEncryptedMessage) {
  const OpenPgp openpgp(cert_.path());
  // Unknown to the CERT first, then known once its key is imported.
  auto unknown = ReadMessage(EncryptedMessage(kEntity, true), &openpgp);
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(unknown->signature.state, "unknown_key");
  cert_.Import(researcher_.ExportPublic(researcher_key_));
  auto known = ReadMessage(EncryptedMessage(kEntity, true), &openpgp);
  ASSERT_TRUE(known) << known.error().message;
  EXPECT_EQ(known->signature.state, "good");
  EXPECT_EQ(known->signature.signer, researcher_key_);
  EXPECT_EQ(known->signature.user_id, "Eva Onderzoeker <eva@research.example>");
}

TEST_F(OpenPgpTest, VerifiesMultipartSignedAndSeesTampering) {
  cert_.Import(researcher_.ExportPublic(researcher_key_));
  const OpenPgp openpgp(cert_.path());
  const std::string signed_message = SignedMessage(kEntity);
  auto good = ReadMessage(signed_message, &openpgp);
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->signature.state, "good");
  EXPECT_EQ(good->text, "Kwetsbaar: https://www.gemeente.example/login\r\n");

  std::string tampered = signed_message;
  tampered.replace(tampered.find("gemeente"), 8, "gemeenta");
  auto bad = ReadMessage(tampered, &openpgp);
  ASSERT_TRUE(bad) << bad.error().message;
  EXPECT_EQ(bad->signature.state, "bad");
}

TEST_F(OpenPgpTest, OpensAnInlineMessageThatIsTheWholeText) {
  const OpenPgp openpgp(cert_.path());
  const auto encrypted = researcher_.Gpg(
      "--armor --trust-model always --encrypt --recipient " + cert_key_, "192.0.2.44 is open\n");
  ASSERT_EQ(encrypted.exit_code, 0) << encrypted.err;
  auto message = ReadMessage(
      "From: eva@research.example\r\nSubject: x\r\n\r\n\r\n" + encrypted.out + "\r\n", &openpgp);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_TRUE(message->encrypted);
  EXPECT_EQ(message->text, "192.0.2.44 is open\n");

  // A block among other words may be someone else's, captured and pasted: it stays as it is.
  auto pasted = ReadMessage(
      "From: mallory@evil.example\r\nSubject: x\r\n\r\nPlease look:\r\n" + encrypted.out + "\r\n",
      &openpgp);
  ASSERT_TRUE(pasted) << pasted.error().message;
  EXPECT_FALSE(pasted->encrypted);
  EXPECT_TRUE(pasted->unopened_openpgp);
  EXPECT_THAT(pasted->text, HasSubstr("-----BEGIN PGP MESSAGE-----"));
  EXPECT_THAT(pasted->text, Not(HasSubstr("192.0.2.44")));
}

// Only the message's own body is opened or checked: a victim's encrypted or signed message
// wrapped into an attacker's mail is neither decrypted for the attacker nor lends its
// signature to the attacker's text.
TEST_F(OpenPgpTest, WrappedEncryptionAndSignaturesAreLeftAsTheyCame) {
  cert_.Import(researcher_.ExportPublic(researcher_key_));
  const OpenPgp openpgp(cert_.path());
  const std::string victim_encrypted = EncryptedMessage(kEntity, false);
  const std::string victim_body = victim_encrypted.substr(victim_encrypted.find("Content-Type:"));
  auto wrapped = ReadMessage(
      "From: mallory@evil.example\r\nSubject: x\r\nContent-Type: multipart/mixed; "
      "boundary=\"w\"\r\n\r\n--w\r\nContent-Type: text/plain\r\n\r\nAttacker text\r\n--w\r\n" +
          victim_body + "\r\n--w--\r\n",
      &openpgp);
  ASSERT_TRUE(wrapped) << wrapped.error().message;
  EXPECT_FALSE(wrapped->encrypted);
  EXPECT_TRUE(wrapped->unopened_openpgp);
  EXPECT_EQ(wrapped->text, "Attacker text");
  for (const MailPart& part : wrapped->parts) {
    EXPECT_THAT(part.content, Not(HasSubstr("gemeente.example")));
  }

  const std::string victim_signed = SignedMessage(kEntity);
  const std::string signed_body = victim_signed.substr(victim_signed.find("Content-Type:"));
  auto borrowed = ReadMessage(
      "From: mallory@evil.example\r\nSubject: x\r\nContent-Type: multipart/mixed; "
      "boundary=\"w\"\r\n\r\n--w\r\nContent-Type: text/plain\r\n\r\nAttacker text\r\n--w\r\n" +
          signed_body + "\r\n--w--\r\n",
      &openpgp);
  ASSERT_TRUE(borrowed) << borrowed.error().message;
  EXPECT_EQ(borrowed->signature.state, "none");
  EXPECT_TRUE(borrowed->unopened_openpgp);
  EXPECT_EQ(borrowed->text, "Attacker text");
}

TEST_F(OpenPgpTest, RefusesAMessageForSomeoneElse) {
  // Encrypted to the researcher's own key: the CERT cannot open it, and says so.
  const auto encrypted = researcher_.Gpg(
      "--armor --trust-model always --encrypt --recipient " + researcher_key_, kEntity);
  ASSERT_EQ(encrypted.exit_code, 0);
  const OpenPgp openpgp(cert_.path());
  auto message = ReadMessage("From: eva@research.example\r\n\r\n" + encrypted.out, &openpgp);
  ASSERT_FALSE(message);
  EXPECT_THAT(message.error().message, HasSubstr("not encrypted to a key of the CERT"));
}

TEST_F(OpenPgpTest, BoundsWhatDecryptionMayUnfold) {
  // Compressible text unfolds to far more than it takes: the limit stops it.
  const std::string big(1 << 20, 'A');
  const auto encrypted = researcher_.Gpg(
      "--armor --trust-model always --compress-level 9 --encrypt --recipient " + cert_key_, big);
  ASSERT_EQ(encrypted.exit_code, 0);
  ASSERT_LT(encrypted.out.size(), size_t{100000});
  const OpenPgp openpgp(cert_.path());
  auto opened = openpgp.Decrypt(encrypted.out, 64 << 10);
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message, HasSubstr("larger than the limit"));
  auto whole = openpgp.Decrypt(encrypted.out, 2 << 20);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->plaintext, big);
}

TEST_F(OpenPgpTest, SignsAndEncryptsSoThatGpgAgrees) {
  const OpenPgp openpgp(cert_.path());
  auto made = openpgp.SignDetached("Baken says hello\r\n", cert_key_);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->micalg.rfind("pgp-", 0), 0u) << made->micalg;
  EXPECT_EQ(openpgp.Verify("Baken says hello\r\n", made->signature).state, "good");
  EXPECT_EQ(openpgp.Verify("Baken says hullo\r\n", made->signature).state, "bad");

  // The researcher's gpg checks it with the CERT's public key.
  std::ofstream(researcher_.path() + "/data") << "Baken says hello\r\n";
  std::ofstream(researcher_.path() + "/data.asc") << made->signature;
  const auto verified = researcher_.Gpg("--verify '" + researcher_.path() + "/data.asc' '" +
                                        researcher_.path() + "/data'");
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.err, HasSubstr("Good signature"));

  // Encrypted to the researcher's public key as the registry keeps it; only they can open it.
  auto encrypted =
      openpgp.Encrypt("for your eyes", {researcher_.ExportPublic(researcher_key_)}, cert_key_);
  ASSERT_TRUE(encrypted) << encrypted.error().message;
  const auto decrypted = researcher_.Gpg("--decrypt", *encrypted);
  EXPECT_EQ(decrypted.exit_code, 0) << decrypted.err;
  EXPECT_EQ(decrypted.out, "for your eyes");
  EXPECT_FALSE(openpgp.Decrypt(*encrypted, 1 << 20));

  EXPECT_FALSE(openpgp.Encrypt("x", {"not a key"}, ""));
  EXPECT_FALSE(openpgp.SignDetached("x", "nobody@nowhere.example"));
}

TEST(ArmoredMessageTest, FindsTheBlock) {
  EXPECT_THAT(ArmoredMessageIn("no block here"), IsEmpty());
  EXPECT_EQ(ArmoredMessageIn("a\n-----BEGIN PGP MESSAGE-----\nxyz\n-----END PGP MESSAGE-----\nb"),
            "-----BEGIN PGP MESSAGE-----\nxyz\n-----END PGP MESSAGE-----");
  EXPECT_THAT(ArmoredMessageIn("-----BEGIN PGP MESSAGE-----\nunterminated"), IsEmpty());
}

}  // namespace
}  // namespace baken::mail
