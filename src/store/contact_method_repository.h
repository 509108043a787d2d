#ifndef BAKEN_STORE_CONTACT_METHOD_REPOSITORY_H_
#define BAKEN_STORE_CONTACT_METHOD_REPOSITORY_H_

// How an analyst is paged (decision 0019): contact methods besides the account's e-mail (a
// webhook for an SMS or voice gateway, verified by a code sent through it) and the rules that
// say which method goes how long after a step comes due. Reached through
// Transaction::ContactMethods().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct ContactMethodRecord {
  int64_t id = 0;
  std::string person;  // the analyst's account
  std::string kind = "webhook";
  std::string label;
  std::string url;
  std::string secret;  // the HMAC key, hex; shown once, when it is made
  std::optional<std::string> code_sha256;
  std::optional<std::string> code_expires_at;
  int64_t code_attempts = 0;
  std::optional<std::string> verified_at;
  std::optional<std::string> disabled_at;
  std::string created_at;
};

// "SMS at once, e-mail after 5 minutes": a channel ('email' or 'webhook:<method id>') and the
// minutes after a step came due.
struct NotificationRuleRecord {
  std::string channel;
  int64_t delay_minutes = 0;
};

class ContactMethodRepository {
 public:
  virtual ~ContactMethodRepository() = default;
  virtual Result<int64_t> AddMethod(const ContactMethodRecord& method) = 0;
  virtual Result<std::optional<ContactMethodRecord>> FindMethod(int64_t id) = 0;
  // A person's methods, oldest first, disabled ones too.
  virtual Result<std::vector<ContactMethodRecord>> Methods(std::string_view person) = 0;
  // Saves the code, its expiry and attempts, when it was verified, when it was disabled.
  virtual Status SaveMethod(const ContactMethodRecord& method) = 0;

  // A person's rules, by delay; none: the account's e-mail at once.
  virtual Result<std::vector<NotificationRuleRecord>> Rules(std::string_view person) = 0;
  virtual Status ReplaceRules(std::string_view person,
                              const std::vector<NotificationRuleRecord>& rules) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_CONTACT_METHOD_REPOSITORY_H_
