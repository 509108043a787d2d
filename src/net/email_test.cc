#include "net/email.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace baken::net {
namespace {

TEST(EmailAddressTest, TakesPlainAddresses) {
  EXPECT_TRUE(IsValidEmailAddress("soc@gemeente.example.nl"));
  EXPECT_TRUE(IsValidEmailAddress("first.last+cert@example.nl"));
  EXPECT_TRUE(IsValidEmailAddress("O'Brien@Example.NL"));
  EXPECT_TRUE(IsValidEmailAddress("x_y-z{1}|~@xn--bcher-kva.example"));
  EXPECT_TRUE(IsValidEmailAddress(std::string(64, 'a') + "@example.nl"));
}

TEST(EmailAddressTest, RefusesWhatAHeaderOrEnvelopeCannotCarry) {
  for (const std::string& address :
       std::vector<std::string>{"",
                                "soc",
                                "@example.nl",
                                "soc@",
                                "a@b@example.nl",
                                "soc@localhost",
                                "soc@example.nl.",
                                "a b@example.nl",
                                "soc@exa mple.nl",
                                ".soc@example.nl",
                                "soc.@example.nl",
                                "so..c@example.nl",
                                "soc(x)@example.nl",
                                "\"soc\"@example.nl",
                                "so,c@example.nl",
                                "so;c@example.nl",
                                "so:c@example.nl",
                                "so<c@example.nl",
                                "so\\c@example.nl",
                                "so[c]@example.nl",
                                "soc@[192.0.2.1]",
                                "soc@_dmarc.example.nl",
                                "jos\xc3\xa9@example.nl",
                                "soc@b\xc3\xbc"
                                "cher.example",
                                "soc@-example.nl",
                                "soc@example.123",
                                "so\tc@example.nl",
                                "soc@example.nl\r\nBcc: x@example.nl",
                                std::string(65, 'a') + "@example.nl",
                                "a@" + std::string(250, 'b') + ".nl"}) {
    EXPECT_FALSE(IsValidEmailAddress(address)) << address;
  }
}

}  // namespace
}  // namespace baken::net
