#include "service/recipients.h"

#include "common/problem.h"
#include "common/problem_codes.h"

namespace baken::service {

using registry::ContactRole;

std::vector<const registry::Contact*> EligibleContacts(const registry::Member& member, Tlp tlp) {
  std::vector<const registry::Contact*> eligible;
  for (const registry::Contact& contact : member.contacts) {
    const bool trusted = registry::HasRole(contact, ContactRole::kTrusted);
    const bool general = registry::HasRole(contact, ContactRole::kGeneral);
    const bool ok = tlp <= Tlp::kGreen ? (trusted || general) : trusted;
    if (ok) eligible.push_back(&contact);
  }
  return eligible;
}

Error NoRecipientReason(Tlp tlp) {
  return Coded(ErrorCode::kInvalidArgument,
               tlp <= Tlp::kGreen ? problems::outbox_no_recipient : problems::outbox_no_trusted,
               {{"tlp", std::string(Name(tlp))}});
}

std::map<std::string, std::vector<const registry::Contact*>> ContactsByLanguage(
    const std::vector<const registry::Contact*>& contacts) {
  std::map<std::string, std::vector<const registry::Contact*>> by_language;
  for (const registry::Contact* contact : contacts) {
    by_language[contact->language == "en" ? "en" : "nl"].push_back(contact);
  }
  return by_language;
}

std::vector<notify::Recipient> RecipientsOf(const std::vector<const registry::Contact*>& contacts) {
  std::vector<notify::Recipient> to;
  for (const registry::Contact* contact : contacts) to.push_back({contact->name, contact->email});
  return to;
}

}  // namespace baken::service
