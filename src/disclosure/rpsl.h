#ifndef BAKEN_DISCLOSURE_RPSL_H_
#define BAKEN_DISCLOSURE_RPSL_H_

// Reads RPSL, the text of the RIPE database's dump files (ripe.db.<type>.gz), one line at a
// time, so that a dump of gigabytes streams through. Written by hand: Debian packages no RPSL
// library for C++. The rules (RIPE-NCC/whois, docs/research/ripe-abuse-contact.md): objects are
// separated by blank lines; an attribute is "name:" and its value; a line that begins with a
// space, a tab or "+" continues the previous attribute (the "+" itself is dropped); "#" begins
// a comment, also at the end of a line; names are letters, digits and "-". The first attribute
// is the object's class and its value the object's key.
//
// The dump is someone else's file: an object with a broken line is dropped whole and the line is
// named, the others are still read; what one object may hold is bounded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baken::disclosure {

struct RpslAttribute {
  std::string name;  // lower-case
  std::string value;
};

struct RpslObject {
  std::vector<RpslAttribute> attributes;  // never empty
  int64_t line = 0;                       // where it began, from 1

  std::string_view class_name() const { return attributes.front().name; }
  std::string_view key() const { return attributes.front().value; }
  // The value of the first attribute of that name, or nullopt.
  std::optional<std::string_view> First(std::string_view name) const;
  // The values of every attribute of that name.
  std::vector<std::string_view> All(std::string_view name) const;
};

class RpslReader {
 public:
  static constexpr size_t kMaxAttributes = 5000;
  static constexpr size_t kMaxNameBytes = 64;
  static constexpr size_t kMaxValueBytes = 64 * 1024;
  static constexpr size_t kMaxObjectBytes = 1024 * 1024;  // names and values together

  // `source` names the input in problems ("ripe.db.inetnum.gz").
  explicit RpslReader(std::string source) : source_(std::move(source)) {}

  // One line, without its line end. Returns the object a blank line finished, if any.
  std::optional<RpslObject> Line(std::string_view line);
  // A line the caller could not take whole (longer than it reads): its object is dropped.
  void RefuseLine(std::string_view why);
  // At the end of the input: the last object, if the input did not end with a blank line.
  std::optional<RpslObject> Finish();

  // Why objects were dropped, the first 20 of them ("ripe.db.inetnum.gz:12: ..."), and how
  // many were dropped in all.
  const std::vector<std::string>& problems() const { return problems_; }
  int64_t dropped() const { return dropped_; }

 private:
  std::optional<RpslObject> EndObject();
  void Broken(std::string_view why);

  std::string source_;
  int64_t line_number_ = 0;
  RpslObject current_;
  size_t current_bytes_ = 0;
  bool broken_ = false;
  std::vector<std::string> problems_;
  int64_t dropped_ = 0;
};

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_RPSL_H_
