#ifndef BAKEN_INCIDENTS_PARTNER_SERVICE_H_
#define BAKEN_INCIDENTS_PARTNER_SERVICE_H_

// The partner directory (decision 0018): suppliers and chain partners, kept by analysts, with
// their contacts (security contact, account manager, 24/7 number) and the vendor names under
// which their products appear in members' inventories; members say which suppliers they use.
// "Supplier X is hacked" starts from here: IncidentService::OpenForPartner.

#include <cstdint>
#include <string_view>

#include "auth/principal.h"
#include "common/error.h"
#include "common/time.h"
#include "incidents/incident_service.h"
#include "store/store.h"

namespace baken::incidents {

class PartnerService {
 public:
  explicit PartnerService(
      store::Store& store, Clock clock = [] { return baken::Now(); })
      : store_(store), clock_(std::move(clock)) {}

  // Staff see every partner with its contacts; a member's user sees names and kinds only
  // (enough to say which suppliers it uses).
  Result<Json> List(const auth::Principal& who);
  Result<Json> Get(const auth::Principal& who, int64_t id);
  // Staff: name, kind (supplier, chain_partner), description, vendor_names, contacts.
  Result<Json> Create(const auth::Principal& who, const Json& fields);
  // Staff: the fields given change; `contacts` replaces the list.
  Result<Json> Update(const auth::Principal& who, int64_t id, const Json& fields);
  // Staff: the members that use the partner, and how that is known.
  Result<Json> Users(const auth::Principal& who, int64_t id);
  // The partners a member uses (said by the member or an analyst): its own users and staff.
  Result<Json> OfMember(const auth::Principal& who, std::string_view member);
  // {"partners": [ids]}: what the member's user (or an analyst, for the member) says it uses.
  Result<Json> SetOfMember(const auth::Principal& who, std::string_view member, const Json& fields);

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::incidents

#endif  // BAKEN_INCIDENTS_PARTNER_SERVICE_H_
