#include "intel/sharing.h"

#include <algorithm>

#include "common/tlp.h"

namespace baken::intel {

bool MayReceive(const Recipient& recipient, const Circle& circle, std::string_view tlp,
                bool cert_only) {
  if (recipient.staff) return true;
  if (recipient.member && circle.owner && *recipient.member == *circle.owner) return true;
  // An unknown level is treated as the strictest: nothing leaves on a label Baken cannot read.
  const Tlp level = ParseTlp(tlp).value_or(Tlp::kRed);
  if (cert_only || circle.distribution == "cert" || level == Tlp::kRed) return false;
  const bool named = recipient.member && std::find(circle.named.begin(), circle.named.end(),
                                                   *recipient.member) != circle.named.end();
  switch (level) {
    case Tlp::kAmberStrict:
      return named && !recipient.general_only && (!circle.from_outside || circle.permission);
    case Tlp::kAmber:
      return named && !recipient.general_only;
    case Tlp::kClear:
    case Tlp::kGreen:
      if (recipient.partner) return circle.distribution == "partners";
      if (!recipient.member) return false;
      return circle.distribution == "members" || circle.distribution == "partners" || named;
    case Tlp::kRed:
      return false;
  }
  return false;
}

}  // namespace baken::intel
