// PGP/MIME around Baken's own messages (decision 0021), checked by the receiving side's real
// gpg and by Baken's own mail reader: signed mail verifies with `gpg --verify` over the signed
// part; encrypted mail opens with the contact's key only and carries the CERT's signature.

#include "notify/pgp_mime.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail/message.h"
#include "mail/openpgp.h"
#include "notify/mime.h"
#include "support/gnupg_home.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Message() {
  MimeHeaders headers;
  headers.from = "CERT <cert@cert.example>";
  headers.to = {{"CISO Aa", "trusted@aa.example.nl"}};
  headers.subject = "Melding CVD-2026-00001";
  headers.date = "Mon, 07 Dec 2026 09:00:00 +0000";
  headers.message_id = "report-1.GM0001@cert.example";
  headers.language = "nl";
  headers.tlp = "AMBER";
  auto mime = BuildMime(headers, "Er is een melding voor u: \u00e9\u00e9n systeem.\n",
                        Attachment{"events.csv", "text/csv; charset=utf-8", "ip\n192.0.2.10\n"});
  EXPECT_TRUE(mime) << mime.error().message;
  return mime.value_or("");
}

// SMTP and RFC 5322: no bare line feed, no line over 998 characters.
bool EveryLineEndsWithCrlf(const std::string& message) {
  size_t line_start = 0;
  for (size_t at = 0; at < message.size(); ++at) {
    if (message[at] != '\n') continue;
    if (at == 0 || message[at - 1] != '\r' || at - line_start > 999) return false;
    line_start = at + 1;
  }
  return true;
}

class PgpMimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_key_ = cert_.NewKey("CERT <cert@cert.example>");
    contact_key_ = contact_.NewKey("CISO Aa <trusted@aa.example.nl>");
    contact_.Import(cert_.ExportPublic(cert_key_));
  }
  testing::GnupgHome cert_;
  testing::GnupgHome contact_;
  std::string cert_key_;
  std::string contact_key_;
};

TEST_F(PgpMimeTest, SignedMailVerifiesWithGpg) {
  const mail::OpenPgp openpgp(cert_.path());
  const std::string plain = Message();
  auto signed_mime = ProtectMime(plain, openpgp, "cert@cert.example");
  ASSERT_TRUE(signed_mime) << signed_mime.error().message;
  EXPECT_THAT(*signed_mime, HasSubstr("Content-Type: multipart/signed; micalg=pgp-"));
  EXPECT_THAT(*signed_mime, HasSubstr("Subject: Melding CVD-2026-00001\r\n"));
  EXPECT_THAT(*signed_mime, HasSubstr("X-Baken-TLP: AMBER\r\n"));
  EXPECT_TRUE(EveryLineEndsWithCrlf(*signed_mime));

  // The receiving side's gpg, over the first part exactly as it travels; a changed byte
  // breaks it.
  const auto verified = contact_.VerifySignedMessage(*signed_mime);
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.err, HasSubstr("Good signature from \"CERT <cert@cert.example>\""));
  EXPECT_NE(contact_.VerifySignedMessage(*signed_mime, /*tamper=*/true).exit_code, 0);

  // A mail client reads it as the same message, with a good signature.
  const mail::OpenPgp reader(contact_.path());
  auto read = mail::ReadMessage(*signed_mime, &reader);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->signature.state, "good");
  EXPECT_EQ(read->signature.signer, cert_key_);
  EXPECT_EQ(read->text, "Er is een melding voor u: \u00e9\u00e9n systeem.\r\n");
  ASSERT_EQ(read->parts.size(), 1u);  // the CSV; the signature is not a part of the content
  EXPECT_EQ(read->parts[0].content, "ip\n192.0.2.10\n");
}

TEST_F(PgpMimeTest, EncryptedMailOpensWithTheContactsKeyOnly) {
  const mail::OpenPgp openpgp(cert_.path());
  auto encrypted =
      ProtectMime(Message(), openpgp, cert_key_, {contact_.ExportPublic(contact_key_)});
  ASSERT_TRUE(encrypted) << encrypted.error().message;
  EXPECT_THAT(*encrypted, HasSubstr("Content-Type: multipart/encrypted; "
                                    "protocol=\"application/pgp-encrypted\""));
  EXPECT_THAT(*encrypted, Not(HasSubstr("192.0.2.10")));
  EXPECT_TRUE(EveryLineEndsWithCrlf(*encrypted));
  EXPECT_THAT(*encrypted, Not(HasSubstr("melding voor u")));

  const mail::OpenPgp contact(contact_.path());
  auto read = mail::ReadMessage(*encrypted, &contact);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->encrypted);
  EXPECT_EQ(read->signature.state, "good");
  EXPECT_EQ(read->text, "Er is een melding voor u: \u00e9\u00e9n systeem.\r\n");

  // The ciphertext itself, with the receiving side's gpg.
  const size_t armor = encrypted->find("-----BEGIN PGP MESSAGE-----");
  const size_t armor_end = encrypted->find("-----END PGP MESSAGE-----", armor);
  const auto decrypted =
      contact_.Gpg("--decrypt", encrypted->substr(armor, armor_end + 25 - armor) + "\n");
  EXPECT_EQ(decrypted.exit_code, 0) << decrypted.err;
  EXPECT_THAT(decrypted.out, HasSubstr("Content-Type: multipart/mixed"));
  EXPECT_THAT(decrypted.err, HasSubstr("Good signature"));

  // Someone else (here: the CERT, which holds no secret key of the contact's) cannot.
  EXPECT_FALSE(mail::ReadMessage(*encrypted, &openpgp));
}

TEST_F(PgpMimeTest, ASignerWithoutAKeyFailsByName) {
  const mail::OpenPgp openpgp(cert_.path());
  const auto signed_mime = ProtectMime(Message(), openpgp, "nobody@cert.example");
  ASSERT_FALSE(signed_mime);
  EXPECT_THAT(signed_mime.error().message, HasSubstr("nobody@cert.example"));
  EXPECT_FALSE(ProtectMime("no header end", openpgp, cert_key_));
}

}  // namespace
}  // namespace baken::notify
