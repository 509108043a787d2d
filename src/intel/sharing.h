#ifndef BAKEN_INTEL_SHARING_H_
#define BAKEN_INTEL_SHARING_H_

// Who may receive an indicator (decision 0023, "TLP decides, distribution narrows"): the one
// rule every read, export and warning of threat intelligence goes through. Baken enforces TLP
// itself; a tag that says TLP is not enough.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baken::intel {

// The one asking: an analyst of the CERT, a member's user, or a partner organisation.
struct Recipient {
  bool staff = false;
  std::optional<std::string> member;
  bool partner = false;
  // A member's user who is no trusted contact of it reads what every user of the member reads:
  // CLEAR and GREEN (AMBER and stricter go to trusted contacts, as e-mail does: decisions 0005
  // and 0018). A member itself (its findings, its warnings) is received as by its trusted
  // contacts.
  bool general_only = false;
};

// The circle an event was given to.
struct Circle {
  std::string distribution = "cert";  // cert, named, members, partners
  std::vector<std::string> named;     // the members named as concerned
  std::optional<std::string> owner;   // the member that shared it, which always reads its own
  bool from_outside = false;          // it came from outside Baken (a partner, a feed)
  bool permission = false;  // the source's recorded permission to share beyond what TLP says
};

// Whether `recipient` may receive an indicator with `tlp` (and `cert_only`, its own distribution
// keeping it inside the CERT) in an event given to `circle`:
// - analysts: everything; the member that shared the event: all of it;
// - CLEAR and GREEN: as distributed (all members; the named ones; partners as well);
// - AMBER: the named members only, whatever the distribution says (need to know), and of
//   their users the trusted contacts;
// - AMBER+STRICT: a named member's trusted contacts, for their own organisation; from outside,
//   only with the source's recorded permission;
// - RED: nobody outside the CERT;
// and nobody outside the CERT for the "cert" distribution or a cert-only indicator.
bool MayReceive(const Recipient& recipient, const Circle& circle, std::string_view tlp,
                bool cert_only);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_SHARING_H_
