#ifndef BAKEN_NOTIFY_RENDER_H_
#define BAKEN_NOTIFY_RENDER_H_

// What the digest, warning and overview renderers share (private to the notify module; defined
// in digest.cc): finding a built-in template; the TLP names; checking a message id; a CSV cell
// with formulas defused; and composing the message: templates rendered with values that are
// data, never template source, the body tidied, the MIME message built.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "common/error.h"
#include "notify/digest.h"
#include "notify/mime.h"

namespace baken::notify {

// The templates of one set, the files of templates/<set>/ by name without ".mustache"
// ("subject.nl"), compiled in (templates.cc, generated); none for an unknown set.
std::vector<std::pair<std::string, std::string>> BuiltInTemplates(std::string_view set);

}  // namespace baken::notify

namespace baken::notify::detail {

// The text of template `name` ("subject.nl") in a built-in set, or nullptr.
const std::string* FindTemplate(const std::vector<std::pair<std::string, std::string>>& templates,
                                std::string_view name);

// "AMBER" for "amber" or "TLP:AMBER"; an error for anything that is not a TLP 2.0 level.
Result<std::string> CheckedTlp(std::string_view tlp);
// tlp, tlp_label ("TLP:AMBER") and one flag per level (tlp_amber, ...), for the templates.
void SetTlp(kainjow::mustache::data& context, const std::string& tlp);
Status CheckedMessageId(std::string_view id);
std::string SafeFileName(std::string_view name);

// The last step of every renderer: the subject and body templates rendered with `context`,
// and the whole MIME message built from them, `headers` (whose subject is set here) and the
// CSV attachment already in *message.
Status Compose(const std::string& subject_template, const std::string& subject_name,
               const std::string& body_template, const std::string& body_name,
               const kainjow::mustache::data& context, MimeHeaders headers,
               RenderedMessage* message);

}  // namespace baken::notify::detail

#endif  // BAKEN_NOTIFY_RENDER_H_
