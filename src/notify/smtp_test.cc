#include "notify/smtp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notify/digest.h"
#include "notify/test_mail.h"
#include "support/smtp_server.h"

namespace baken::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RenderedMessage Rendered() {
  Digest digest;
  digest.message_id = "outbox-17.GM0363@baken.invalid";
  digest.member_code = "GM0363";
  digest.member_name = "Gemeente Amsterdam";
  digest.feed_name = "Accessible-RDP";
  digest.tlp = "AMBER";
  digest.period = "2026-11-23";
  digest.events = {
      R"({"source.ip":"192.0.2.1","source.port":3389,"classification.identifier":"open-rdp"})",
      // A line of its own starting with "." in the CSV tests SMTP dot-stuffing end to end.
      R"({"source.ip":"192.0.2.2","source.port":3389,"source.url":".\n.\r\n."})"};
  digest.from = "Baken CERT <cert@baken.invalid>";
  digest.to = {{"SOC", "soc@amsterdam.example.nl"}, {"CISO", "ciso@amsterdam.example.nl"}};
  digest.date = "Mon, 23 Nov 2026 06:00:00 +0000";
  auto rendered = Render(Templates::BuiltIn(), digest);
  EXPECT_TRUE(rendered) << rendered.error().message;
  return rendered ? *rendered : RenderedMessage{};
}

SmtpSettings Settings(std::string url, long timeout_seconds = 30) {
  SmtpSettings settings;
  settings.url = std::move(url);
  settings.timeout_seconds = timeout_seconds;
  return settings;
}

baken::testing::SmtpServerOptions Options(int fail_first, int fail_code) {
  baken::testing::SmtpServerOptions options;
  options.fail_first = fail_first;
  options.fail_code = fail_code;
  return options;
}

const std::vector<std::string> kRecipients = {"soc@amsterdam.example.nl",
                                              "ciso@amsterdam.example.nl"};

// A loopback socket that is listening but never answers: connections hang in the backlog.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 && listen(fd_, 4) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~SilentListener() { Close(); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(SmtpSenderTest, DeliversADigestToTwoRecipients) {
  baken::testing::SmtpServer server;
  ASSERT_TRUE(server.running()) << server.error();
  const RenderedMessage message = Rendered();
  SmtpSender sender(Settings(server.url(), 20));
  const auto sent = sender.Send("cert@baken.invalid", kRecipients, message.mime);
  ASSERT_TRUE(sent) << sent.error().message;

  const auto received = server.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "cert@baken.invalid");
  EXPECT_THAT(received[0].rcpt_tos, ElementsAre(kRecipients[0], kRecipients[1]));
  EXPECT_EQ(received[0].data, message.mime);
  const auto mail = testing::ParseMail(received[0].data);
  EXPECT_EQ(mail.top.headers.at("message-id"), "<outbox-17.GM0363@baken.invalid>");
  ASSERT_EQ(mail.parts.size(), 2u);
  EXPECT_EQ(testing::DecodeBase64(mail.parts[1].body), message.csv);
  EXPECT_THAT(message.csv, HasSubstr("\".\n.\r\n.\""));
}

TEST(SmtpSenderTest, TemporaryRefusalIsUnavailableAndTheRetryWorks) {
  baken::testing::SmtpServer server(Options(1, 451));
  ASSERT_TRUE(server.running()) << server.error();
  const RenderedMessage message = Rendered();
  SmtpSender sender(Settings(server.url(), 20));

  const auto refused = sender.Send("cert@baken.invalid", kRecipients, message.mime);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(refused.error().message, HasSubstr(server.url()));
  EXPECT_THAT(refused.error().message, HasSubstr("451 4.3.0 Try again later"));
  EXPECT_TRUE(server.Received().empty());

  const auto retried = sender.Send("cert@baken.invalid", kRecipients, message.mime);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpSenderTest, CallsTheHookBeforeTheServerHasTheMessage) {
  baken::testing::SmtpServer server;
  ASSERT_TRUE(server.running()) << server.error();
  SmtpSender sender(Settings(server.url(), 20));
  int calls = 0;
  size_t received_during_hook = 99;
  const auto sent =
      sender.Send("cert@baken.invalid", kRecipients, Rendered().mime, [&]() -> Status {
        ++calls;
        received_during_hook = server.Received().size();
        return {};
      });
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(received_during_hook, 0u);
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpSenderTest, AFailingHookAbortsTheMessage) {
  baken::testing::SmtpServer server;
  ASSERT_TRUE(server.running()) << server.error();
  SmtpSender sender(Settings(server.url(), 20));
  const auto sent = sender.Send("cert@baken.invalid", kRecipients, Rendered().mime,
                                [] { return Status(Conflict("the outbox row changed")); });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kConflict);
  EXPECT_EQ(sent.error().message, "the outbox row changed");
  // The next message on a new connection arrives; the aborted one never does.
  ASSERT_TRUE(sender.Send("cert@baken.invalid", kRecipients, Rendered().mime));
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpSenderTest, HookIsNotCalledWhenTheServerRefusesEarlier) {
  baken::testing::SmtpServer server(Options(1, 451));
  ASSERT_TRUE(server.running()) << server.error();
  SmtpSender sender(Settings(server.url(), 20));
  bool called = false;
  const auto sent = sender.Send("cert@baken.invalid", kRecipients, Rendered().mime, [&] {
    called = true;
    return Status();
  });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(called);
}

TEST(SmtpSenderTest, PermanentRefusalIsInvalidArgument) {
  baken::testing::SmtpServer server(Options(1, 550));
  ASSERT_TRUE(server.running()) << server.error();
  SmtpSender sender(Settings(server.url(), 20));
  const auto refused = sender.Send("cert@baken.invalid", kRecipients, Rendered().mime);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("550 5.7.1"));
  EXPECT_TRUE(server.Received().empty());
}

TEST(SmtpSenderTest, ConnectionRefusedIsUnavailable) {
  SilentListener closed;
  ASSERT_GT(closed.port(), 0);
  closed.Close();  // nothing listens on the port now
  const std::string url = "smtp://127.0.0.1:" + std::to_string(closed.port());
  SmtpSender sender(Settings(url, 5));
  const auto sent = sender.Send("cert@baken.invalid", kRecipients, Rendered().mime);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(sent.error().message, HasSubstr(url));
}

TEST(SmtpSenderTest, SilentServerTimesOut) {
  SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  SmtpSender sender(Settings("smtp://127.0.0.1:" + std::to_string(silent.port()), 1));
  const auto sent = sender.Send("cert@baken.invalid", kRecipients, Rendered().mime);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(sent.error().message, HasSubstr("timed out"));
}

TEST(SmtpSenderTest, RefusesBadInputWithoutConnecting) {
  SmtpSender sender(Settings("smtp://127.0.0.1:9"));
  auto sent = sender.Send("cert@baken.invalid\r\nRCPT TO:<x@example.org>", kRecipients, "x");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
  sent = sender.Send("cert@baken.invalid", {"soc@example.nl>\r\nDATA"}, "x");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
  sent = sender.Send("cert@baken.invalid", {}, "x");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
  sent = SmtpSender(Settings("http://127.0.0.1:9")).Send("cert@baken.invalid", kRecipients, "x");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
}

TEST(SmtpSenderTest, MessagesNeverShowTheCredentials) {
  SmtpSender sender(Settings("smtp://baken:secret@127.0.0.1:25/baken.invalid"));
  EXPECT_EQ(sender.server(), "smtp://127.0.0.1:25/baken.invalid");
}

}  // namespace
}  // namespace baken::notify
