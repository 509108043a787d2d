#ifndef BAKEN_SERVICE_RECIPIENTS_H_
#define BAKEN_SERVICE_RECIPIENTS_H_

// Who of a member's contacts receives a message by e-mail (decision 0005): the one rule for
// digests, warnings, incident news and notices of researchers' reports.

#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/tlp.h"
#include "notify/digest.h"
#include "registry/member.h"

namespace baken::service {

// The contacts that may receive a message at this TLP level: CLEAR and GREEN for general and
// trusted contacts, AMBER and up for trusted contacts (RED: those who would, once an analyst
// releases it).
std::vector<const registry::Contact*> EligibleContacts(const registry::Member& member, Tlp tlp);

// Why a message has no one: coded, with the level.
Error NoRecipientReason(Tlp tlp);

// Contacts by language ("nl" unless they asked for "en"): one message per language.
std::map<std::string, std::vector<const registry::Contact*>> ContactsByLanguage(
    const std::vector<const registry::Contact*>& contacts);

// The To header's recipients.
std::vector<notify::Recipient> RecipientsOf(const std::vector<const registry::Contact*>& contacts);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_RECIPIENTS_H_
