#ifndef BAKEN_NOTIFY_LABELS_H_
#define BAKEN_NOTIFY_LABELS_H_

// The words an e-mail shows for values that travel as codes: Shadowserver report names
// (i18n/feeds.json) and risk levels and remediation categories (i18n/labels.json), the same
// tables the portal reads, compiled in. `language` is "nl" or "en"; anything else reads as "nl".

#include <string>
#include <string_view>

namespace baken::notify {

// "SMB bereikbaar vanaf internet" for "Accessible-SMB"; a name not in the table (a feed the
// operator named, "Partner-CERT melding") is shown as it is.
std::string FeedDisplayName(std::string_view feed_name, std::string_view language);

// "high" for "Hoog" in English; a level not in the table stays as it is.
std::string RiskLabel(std::string_view risk, std::string_view language);

// "Update van de leverancier: Update to 4.2." for "vendor_fix: Update to 4.2."; a line whose
// category is not in the table stays as it is.
std::string RemediationText(std::string_view line, std::string_view language);

// "kritiek" for the page severity "critical" ("page.severity.critical" in i18n/labels.json),
// "spoedincident" for the page source "incident"; a code not in the table stays as it is.
std::string PageSeverityLabel(std::string_view severity, std::string_view language);
std::string PageSourceLabel(std::string_view source, std::string_view language);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_LABELS_H_
