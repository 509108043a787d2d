#ifndef BAKEN_NOTIFY_RENDER_H_
#define BAKEN_NOTIFY_RENDER_H_

// What the digest and the warning renderers share (private to the notify module; defined in
// digest.cc): rendering a Mustache template whose values are data, never template source; the
// TLP names; tidying a body; checking a message id; a CSV cell with formulas defused.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "common/error.h"

namespace baken::notify::detail {

// The text of template `name` ("subject.nl") in a built-in set, or nullptr.
const std::string* FindTemplate(const std::vector<std::pair<std::string, std::string>>& templates,
                                std::string_view name);

Result<std::string> RenderText(const std::string& source, const std::string& name,
                               const kainjow::mustache::data& context);
// "AMBER" for "amber" or "TLP:AMBER"; an error for anything that is not a TLP 2.0 level.
Result<std::string> CheckedTlp(std::string_view tlp);
// tlp, tlp_label ("TLP:AMBER") and one flag per level (tlp_amber, ...), for the templates.
void SetTlp(kainjow::mustache::data& context, const std::string& tlp);
std::string TidyText(std::string body);
Status CheckedMessageId(std::string_view id);
std::string CsvField(std::string value);
std::string SafeFileName(std::string_view name);

}  // namespace baken::notify::detail

#endif  // BAKEN_NOTIFY_RENDER_H_
