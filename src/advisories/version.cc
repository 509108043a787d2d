#include "advisories/version.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "common/text.h"

namespace baken::advisories {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int Sign(int value) { return (value > 0) - (value < 0); }

// Digit runs compared as numbers of any length (no overflow): leading zeros off, then length,
// then digits.
int CompareDigits(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

// "v1.2" and "V1.2" are "1.2": vendors write the letter, inventories often do not.
std::string_view StripV(std::string_view version) {
  version = TrimBlanks(version);
  if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') && IsDigit(version[1])) {
    version.remove_prefix(1);
  }
  return version;
}

// ---- generic: runs of digits (numbers) and letters (words); anything else separates ----

struct Token {
  bool number = false;
  std::string_view text;  // words compare without regard to case
};

// Tokens one by one, without copying: versions are compared millions of times in a rematch.
class Tokens {
 public:
  explicit Tokens(std::string_view version) : version_(version) {}
  bool Next(Token* token) {
    while (i_ < version_.size() && !IsDigit(version_[i_]) && !IsAlpha(version_[i_])) ++i_;
    if (i_ == version_.size()) return false;
    const size_t start = i_;
    token->number = IsDigit(version_[i_]);
    while (i_ < version_.size() &&
           (token->number ? IsDigit(version_[i_]) : IsAlpha(version_[i_]))) {
      ++i_;
    }
    token->text = version_.substr(start, i_ - start);
    return true;
  }

 private:
  std::string_view version_;
  size_t i_ = 0;
};

int CompareWords(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const char x = Lower(a[i]);
    const char y = Lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool WordIs(std::string_view word, std::string_view lower) {
  return CompareWords(word, lower) == 0;
}

// Words that mark a version before its release, in order; other words come after a release
// ("1.1.1k" is newer than "1.1.1"). PEP 440 also writes pre-releases as single letters.
int PreReleaseRank(std::string_view word, bool pep440) {
  static constexpr std::array<std::pair<std::string_view, int>, 9> kWords = {{{"dev", 0},
                                                                              {"snapshot", 0},
                                                                              {"alpha", 1},
                                                                              {"milestone", 1},
                                                                              {"beta", 2},
                                                                              {"pre", 3},
                                                                              {"preview", 3},
                                                                              {"rc", 4},
                                                                              {"cr", 4}}};
  for (const auto& [name, rank] : kWords) {
    if (WordIs(word, name)) return rank;
  }
  if (pep440) {
    if (WordIs(word, "a")) return 1;
    if (WordIs(word, "b")) return 2;
    if (WordIs(word, "c")) return 4;
  }
  return -1;
}

std::optional<Comparison> CompareGeneric(std::string_view a, std::string_view b, bool pep440) {
  Tokens x(StripV(a));
  Tokens y(StripV(b));
  Token p;
  Token q;
  bool has_p = x.Next(&p);
  bool has_q = y.Next(&q);
  if (!has_p || !has_q) return std::nullopt;
  while (has_p && has_q) {
    if (p.number && q.number) {
      if (const int order = CompareDigits(p.text, q.text)) return Comparison{order, true};
    } else if (p.number != q.number) {
      // A number is newer than a word in the same place ("1.0.1" > "1.0.rc1").
      return Comparison{p.number ? 1 : -1, false};
    } else if (const int order = CompareWords(p.text, q.text)) {
      const int pr = PreReleaseRank(p.text, pep440);
      const int qr = PreReleaseRank(q.text, pep440);
      if (pr >= 0 || qr >= 0) {
        // A pre-release word is older than any other word; two rank by stage.
        if (pr < 0) return Comparison{1, false};
        if (qr < 0) return Comparison{-1, false};
        if (pr != qr) return Comparison{pr < qr ? -1 : 1, false};
      }
      return Comparison{order, false};
    }
    has_p = x.Next(&p);
    has_q = y.Next(&q);
  }
  if (!has_p && !has_q) return Comparison{0, true};
  // One runs out: the longer one is older when it goes on with a pre-release word
  // ("2.0rc1" < "2.0"), newer otherwise ("1.9-40" > "1.9").
  const Token& next = has_p ? p : q;
  const bool pre = !next.number && PreReleaseRank(next.text, pep440) >= 0;
  const int longer_order = pre ? -1 : 1;
  return Comparison{has_p ? longer_order : -longer_order, next.number};
}

// ---- semver 2.0.0, lenient about missing minor and patch ----

struct Semver {
  std::array<std::string, 3> core;
  std::vector<std::string> pre;
};

std::optional<Semver> ParseSemver(std::string_view text) {
  text = StripV(text);
  if (const size_t plus = text.find('+'); plus != std::string_view::npos) {
    text = text.substr(0, plus);  // build metadata has no precedence
  }
  std::string_view pre;
  if (const size_t dash = text.find('-'); dash != std::string_view::npos) {
    pre = text.substr(dash + 1);
    text = text.substr(0, dash);
    if (pre.empty()) return std::nullopt;
  }
  Semver version;
  size_t part = 0;
  while (true) {
    const size_t dot = text.find('.');
    const std::string_view number = text.substr(0, dot);
    if (number.empty() || part == 3 || !std::all_of(number.begin(), number.end(), IsDigit)) {
      return std::nullopt;
    }
    version.core[part++] = std::string(number);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  for (; part < 3; ++part) version.core[part].assign(1, '0');
  while (!pre.empty()) {
    const size_t dot = pre.find('.');
    const std::string_view identifier = pre.substr(0, dot);
    if (identifier.empty()) return std::nullopt;
    version.pre.emplace_back(identifier);
    if (dot == std::string_view::npos) break;
    pre.remove_prefix(dot + 1);
  }
  return version;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

std::optional<Comparison> CompareSemver(std::string_view a, std::string_view b) {
  const auto x = ParseSemver(a);
  const auto y = ParseSemver(b);
  if (!x || !y) return std::nullopt;
  for (size_t i = 0; i < 3; ++i) {
    if (const int order = CompareDigits(x->core[i], y->core[i])) return Comparison{order, true};
  }
  if (x->pre.empty() || y->pre.empty()) {
    // A pre-release is older than its release.
    const int order = x->pre.empty() == y->pre.empty() ? 0 : (x->pre.empty() ? 1 : -1);
    return Comparison{order, order == 0};
  }
  for (size_t i = 0; i < std::min(x->pre.size(), y->pre.size()); ++i) {
    const std::string& p = x->pre[i];
    const std::string& q = y->pre[i];
    const bool pn = AllDigits(p);
    const bool qn = AllDigits(q);
    if (pn && qn) {
      if (const int order = CompareDigits(p, q)) return Comparison{order, true};
    } else if (pn != qn) {
      return Comparison{pn ? -1 : 1, false};  // numeric identifiers come first
    } else if (const int order = Sign(p.compare(q))) {
      return Comparison{order, false};
    }
  }
  const int order = Sign(static_cast<int>(x->pre.size()) - static_cast<int>(y->pre.size()));
  return Comparison{order, order == 0};
}

// ---- intdot: digits and dots only ----

std::optional<Comparison> CompareIntdot(std::string_view a, std::string_view b) {
  const auto valid = [](std::string_view text) {
    return !text.empty() && IsDigit(text.front()) && IsDigit(text.back()) &&
           std::all_of(text.begin(), text.end(), [](char c) { return IsDigit(c) || c == '.'; }) &&
           text.find("..") == std::string_view::npos;
  };
  a = StripV(a);
  b = StripV(b);
  if (!valid(a) || !valid(b)) return std::nullopt;
  return CompareGeneric(a, b, false);
}

// ---- rpm: [epoch:]version[-release], rpmvercmp ----

int RpmVerCmp(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  const auto separator = [](char c) { return !IsDigit(c) && !IsAlpha(c) && c != '~' && c != '^'; };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && separator(a[i])) ++i;
    while (j < b.size() && separator(b[j])) ++j;
    const bool a_end = i == a.size();
    const bool b_end = j == b.size();
    // '~' sorts before everything, even the end.
    if ((!a_end && a[i] == '~') || (!b_end && b[j] == '~')) {
      if (a_end || a[i] != '~') return 1;
      if (b_end || b[j] != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    // '^' sorts after the end but before anything else.
    if ((!a_end && a[i] == '^') || (!b_end && b[j] == '^')) {
      if (a_end) return -1;
      if (b_end) return 1;
      if (a[i] != '^') return 1;
      if (b[j] != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (a_end || b_end) break;
    const bool numeric = IsDigit(a[i]);
    const auto same_kind = [&](char c) { return numeric ? IsDigit(c) : IsAlpha(c); };
    size_t i_end = i;
    size_t j_end = j;
    while (i_end < a.size() && same_kind(a[i_end])) ++i_end;
    while (j_end < b.size() && same_kind(b[j_end])) ++j_end;
    if (j_end == j) return numeric ? 1 : -1;  // a number is newer than letters
    const std::string_view p = a.substr(i, i_end - i);
    const std::string_view q = b.substr(j, j_end - j);
    const int order = numeric ? CompareDigits(p, q) : Sign(p.compare(q));
    if (order != 0) return order;
    i = i_end;
    j = j_end;
  }
  const bool a_left = i < a.size();
  const bool b_left = j < b.size();
  if (!a_left && !b_left) return 0;
  return a_left ? 1 : -1;
}

struct Evr {
  std::string_view epoch, version, release;
};

Evr SplitEvr(std::string_view text) {
  Evr evr;
  if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    evr.epoch = text.substr(0, colon);
    text.remove_prefix(colon + 1);
  }
  if (const size_t dash = text.rfind('-'); dash != std::string_view::npos) {
    evr.release = text.substr(dash + 1);
    text = text.substr(0, dash);
  }
  evr.version = text;
  return evr;
}

// rpm and deb versions alike: epoch numerically, then version, then release, each part by
// the scheme's own `compare`. rpm treats a missing release as matching any; dpkg does not.
std::optional<Comparison> CompareEvr(std::string_view a, std::string_view b,
                                     int (*compare)(std::string_view, std::string_view),
                                     bool missing_release_matches) {
  const Evr x = SplitEvr(TrimBlanks(a));
  const Evr y = SplitEvr(TrimBlanks(b));
  const auto epoch_ok = [](std::string_view epoch) { return epoch.empty() || AllDigits(epoch); };
  if (x.version.empty() || y.version.empty() || !epoch_ok(x.epoch) || !epoch_ok(y.epoch)) {
    return std::nullopt;
  }
  if (const int order =
          CompareDigits(x.epoch.empty() ? "0" : x.epoch, y.epoch.empty() ? "0" : y.epoch)) {
    return Comparison{order, true};
  }
  if (const int order = compare(x.version, y.version)) return Comparison{order, true};
  if (missing_release_matches && (x.release.empty() || y.release.empty())) {
    return Comparison{0, true};
  }
  return Comparison{compare(x.release, y.release), true};
}

// ---- deb: [epoch:]upstream[-revision], dpkg's ordering ----

int DebOrder(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  const char c = text[i];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return c;
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int DebVerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      const int ac = DebOrder(a, i);
      const int bc = DebOrder(b, j);
      if (ac != bc) return Sign(ac - bc);
      ++i;
      ++j;
    }
    size_t i_end = i;
    size_t j_end = j;
    while (i_end < a.size() && IsDigit(a[i_end])) ++i_end;
    while (j_end < b.size() && IsDigit(b[j_end])) ++j_end;
    if (const int order = CompareDigits(i_end > i ? a.substr(i, i_end - i) : "0",
                                        j_end > j ? b.substr(j, j_end - j) : "0")) {
      return order;
    }
    i = i_end;
    j = j_end;
  }
  return 0;
}

// ---- ranges ----

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kEq:
      return "";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
  }
  return "";
}

// "<= 4.8" -> {<=, "4.8"}; nullopt when the piece is not one constraint.
std::optional<Constraint> ParseConstraint(std::string_view piece) {
  piece = TrimBlanks(piece);
  Constraint constraint;
  for (const auto& [text, op] : std::array<std::pair<std::string_view, Op>, 6>{{{"!=", Op::kNe},
                                                                                {"<=", Op::kLe},
                                                                                {">=", Op::kGe},
                                                                                {"<", Op::kLt},
                                                                                {">", Op::kGt},
                                                                                {"=", Op::kEq}}}) {
    if (piece.starts_with(text)) {
      constraint.op = op;
      piece = TrimBlanks(piece.substr(text.size()));
      break;
    }
  }
  if (piece.empty() || piece.find_first_of(" \t<>=!|,") != std::string_view::npos) {
    return std::nullopt;
  }
  constraint.version = std::string(piece);
  return constraint;
}

// Splits on any of `separators`; nullopt when a piece is not a constraint.
std::optional<std::vector<Constraint>> ParseConstraints(std::string_view text,
                                                        std::string_view separators) {
  std::vector<Constraint> constraints;
  while (true) {
    const size_t at = text.find_first_of(separators);
    auto constraint = ParseConstraint(text.substr(0, at));
    if (!constraint) return std::nullopt;
    constraints.push_back(std::move(*constraint));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return constraints;
}

bool HasOperator(const std::vector<Constraint>& constraints) {
  return std::any_of(constraints.begin(), constraints.end(),
                     [](const Constraint& c) { return c.op != Op::kEq; });
}

// Phrases vendors write instead of constraints.
bool ParsePhrase(std::string_view text, VersionRange* range) {
  const std::string lower = AsciiLower(TrimBlanks(text));
  if (lower == "all versions" || lower == "alle versies" || lower == "all" || lower == "*") {
    range->form = VersionRange::Form::kAll;
    return true;
  }
  for (std::string_view prefix : {"prior to ", "before ", "earlier than ", "versions prior to "}) {
    if (lower.starts_with(prefix)) {
      auto constraint = ParseConstraint(std::string_view(lower).substr(prefix.size()));
      if (!constraint || constraint->op != Op::kEq) return false;
      constraint->version = std::string(TrimBlanks(text).substr(prefix.size()));
      constraint->op = Op::kLt;
      range->constraints = {*constraint};
      range->form = VersionRange::Form::kConstraints;
      return true;
    }
  }
  for (std::string_view suffix : {" and later", " or later", " and newer", " or newer"}) {
    if (lower.ends_with(suffix)) {
      auto constraint = ParseConstraint(
          std::string_view(TrimBlanks(text)).substr(0, lower.size() - suffix.size()));
      if (!constraint || constraint->op != Op::kEq) return false;
      constraint->op = Op::kGe;
      range->constraints = {*constraint};
      range->form = VersionRange::Form::kConstraints;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view Name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAffected:
      return "affected";
    case Outcome::kNotAffected:
      return "not_affected";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view Name(Scheme scheme) {
  switch (scheme) {
    case Scheme::kGeneric:
      return "generic";
    case Scheme::kSemver:
      return "semver";
    case Scheme::kIntdot:
      return "intdot";
    case Scheme::kRpm:
      return "rpm";
    case Scheme::kDeb:
      return "deb";
    case Scheme::kPypi:
      return "pypi";
  }
  return "generic";
}

std::optional<Scheme> SchemeOf(std::string_view type) {
  const std::string lower = AsciiLower(type);
  if (lower == "generic") return Scheme::kGeneric;
  if (lower == "semver" || lower == "npm" || lower == "cargo" || lower == "golang" ||
      lower == "nuget") {
    return Scheme::kSemver;
  }
  if (lower == "intdot") return Scheme::kIntdot;
  if (lower == "rpm") return Scheme::kRpm;
  if (lower == "deb" || lower == "debian") return Scheme::kDeb;
  if (lower == "pypi" || lower == "python") return Scheme::kPypi;
  return std::nullopt;
}

std::optional<Comparison> CompareVersions(Scheme scheme, std::string_view a, std::string_view b) {
  switch (scheme) {
    case Scheme::kGeneric:
      return CompareGeneric(a, b, false);
    case Scheme::kPypi:
      return CompareGeneric(a, b, true);
    case Scheme::kSemver:
      return CompareSemver(a, b);
    case Scheme::kIntdot:
      return CompareIntdot(a, b);
    case Scheme::kRpm:
      return CompareEvr(a, b, &RpmVerCmp, true);
    case Scheme::kDeb:
      return CompareEvr(a, b, &DebVerRevCmp, false);
  }
  return std::nullopt;
}

std::optional<bool> SameVersion(Scheme scheme, std::string_view a, std::string_view b) {
  if (StripV(a) == StripV(b) && !StripV(a).empty()) return true;
  const auto comparison = CompareVersions(scheme, a, b);
  if (!comparison) return std::nullopt;
  return comparison->order == 0;
}

VersionRange ParseRange(std::string_view text) {
  VersionRange range;
  range.raw = std::string(text);
  const std::string_view trimmed = TrimBlanks(text);
  if (AsciiLower(trimmed.substr(0, 5)) == "vers:") {
    const std::string_view rest = trimmed.substr(5);
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      range.problems.push_back("vers without a '/' after the scheme");
      return range;
    }
    const std::string type = AsciiLower(rest.substr(0, slash));
    const std::string_view body = TrimBlanks(rest.substr(slash + 1));
    if (type == "all" || type == "none" || type == "unknown") {
      if (body == "*") {
        range.form = type == "all"    ? VersionRange::Form::kAll
                     : type == "none" ? VersionRange::Form::kNone
                                      : VersionRange::Form::kUnstated;
        return range;
      }
      if (type == "unknown") {
        range.form = VersionRange::Form::kUnstated;
        range.problems.push_back("vers:unknown with something else than '*'");
        return range;
      }
      if (body.starts_with('*')) {
        // "vers:all/*_installed_on_CP200_devices": the words are a remark.
        range.form = type == "all" ? VersionRange::Form::kAll : VersionRange::Form::kNone;
        range.problems.push_back(fmt::format("vers:{} followed by text after '*'", type));
        return range;
      }
      // "vers:all/<V5.24": meant as constraints without a scheme.
      if (auto constraints = ParseConstraints(body, "|")) {
        range.form = VersionRange::Form::kConstraints;
        range.constraints = std::move(*constraints);
        range.problems.push_back(
            fmt::format("vers:{} with constraints, read as constraints without a scheme", type));
        return range;
      }
      range.problems.push_back("vers body not understood");
      return range;
    }
    if (const auto scheme = SchemeOf(type)) {
      range.scheme = *scheme;
      range.scheme_guessed = false;
    } else {
      range.problems.push_back(
          fmt::format("vers type '{}' has no comparison here; compared as generic", type));
    }
    if (body == "*") {
      range.form = VersionRange::Form::kAll;
      return range;
    }
    if (auto constraints = ParseConstraints(body, "|")) {
      range.form = VersionRange::Form::kConstraints;
      range.constraints = std::move(*constraints);
      return range;
    }
    range.problems.push_back("vers body not understood");
    return range;
  }
  // Constraints without a scheme: "<= 4.8.488.0", "5.011  | < 8.011", ">= 1.7.0, < 1.18.4".
  for (std::string_view separators : {"|", ","}) {
    if (auto constraints = ParseConstraints(trimmed, separators);
        constraints && (HasOperator(*constraints) || constraints->size() > 1)) {
      if (separators == "," && !HasOperator(*constraints)) break;  // "V3.0, V4.0": a list
      range.form = VersionRange::Form::kConstraints;
      range.constraints = std::move(*constraints);
      return range;
    }
  }
  if (ParsePhrase(trimmed, &range)) {
    range.problems.push_back("range given in words");
    return range;
  }
  range.problems.push_back("range not understood");
  return range;
}

namespace {

// Contains and Evaluate; reasons are written only when `explain` (a rematch decides millions
// of pairs, nearly all of them outside, and needs no sentence for those).
Decision Decide(const VersionRange& range, std::string_view version, bool explain) {
  using Form = VersionRange::Form;
  const auto decide = [&](Outcome outcome, auto&& reason) {
    Decision decision{outcome, {}};
    if (explain) decision.reason = reason();
    return decision;
  };
  switch (range.form) {
    case Form::kAll:
      return decide(Outcome::kAffected, [] { return std::string("all versions"); });
    case Form::kNone:
      return decide(Outcome::kNotAffected, [] { return std::string("no version"); });
    case Form::kUnstated:
      return decide(Outcome::kUnknown, [] { return std::string("versions not stated"); });
    case Form::kUnparsed:
      return decide(Outcome::kUnknown,
                    [&] { return fmt::format("range '{}' not understood", range.raw); });
    case Form::kConstraints:
      break;
  }
  const auto shown = [&] {
    std::string text;
    for (const Constraint& c : range.constraints) {
      if (!text.empty()) text += '|';
      text += OpText(c.op);
      text += c.version;
    }
    return text;
  };
  const std::string_view asset = StripV(version);
  if (asset.empty()) {
    return decide(Outcome::kUnknown, [] { return std::string("version of the asset not known"); });
  }
  bool word_decided = false;
  bool incomparable = false;
  const auto compare = [&](const Constraint& c) -> std::optional<int> {
    const auto comparison = CompareVersions(range.scheme, asset, c.version);
    if (!comparison) {
      incomparable = true;
      return std::nullopt;
    }
    if (!comparison->numeric) word_decided = true;
    return comparison->order;
  };
  const auto satisfies = [&](const Constraint& c) -> std::optional<bool> {
    const auto order = compare(c);
    if (!order) return std::nullopt;
    switch (c.op) {
      case Op::kEq:
        return *order == 0;
      case Op::kNe:
        return *order != 0;
      case Op::kLt:
        return *order < 0;
      case Op::kLe:
        return *order <= 0;
      case Op::kGt:
        return *order > 0;
      case Op::kGe:
        return *order >= 0;
    }
    return std::nullopt;
  };
  const auto within = [&] {
    return decide(Outcome::kAffected,
                  [&] { return fmt::format("version {} within {}", asset, shown()); });
  };
  const auto outside = [&]() {
    if (incomparable) {
      return decide(Outcome::kUnknown, [&] {
        return fmt::format("version {} cannot be compared with {}", asset, shown());
      });
    }
    if (range.scheme_guessed && word_decided) {
      return decide(Outcome::kUnknown, [&] {
        return fmt::format(
            "version {} probably outside {}, but the scheme is not given and letters decide it",
            asset, shown());
      });
    }
    return decide(Outcome::kNotAffected,
                  [&] { return fmt::format("version {} outside {}", asset, shown()); });
  };
  // The vers algorithm: equalities first, then exclusions, then the intervals that the sorted
  // comparators describe.
  std::vector<const Constraint*> bounds;
  for (const Constraint& c : range.constraints) {
    if (c.op == Op::kEq) {
      if (satisfies(c).value_or(false)) return within();
    } else if (c.op == Op::kNe) {
      if (auto ok = satisfies(c); ok && !*ok) return outside();
    } else {
      bounds.push_back(&c);
    }
  }
  if (bounds.empty()) return outside();
  bool sortable = true;
  std::stable_sort(bounds.begin(), bounds.end(), [&](const Constraint* a, const Constraint* b) {
    const auto comparison = CompareVersions(range.scheme, a->version, b->version);
    if (!comparison) sortable = false;
    return comparison && comparison->order < 0;
  });
  if (!sortable) {
    return decide(Outcome::kUnknown,
                  [&] { return fmt::format("range {} cannot be ordered", shown()); });
  }
  const auto is_upper = [](Op op) { return op == Op::kLt || op == Op::kLe; };
  const auto is_lower = [](Op op) { return op == Op::kGt || op == Op::kGe; };
  if (is_upper(bounds.front()->op)) {
    const auto ok = satisfies(*bounds.front());
    if (!ok) return outside();
    if (*ok) return within();
  }
  if (is_lower(bounds.back()->op)) {
    const auto ok = satisfies(*bounds.back());
    if (!ok) return outside();
    if (*ok) return within();
  }
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    if (!is_lower(bounds[i]->op) || !is_upper(bounds[i + 1]->op)) continue;
    const auto low = satisfies(*bounds[i]);
    const auto high = satisfies(*bounds[i + 1]);
    if (!low || !high) return outside();
    if (*low && *high) return within();
  }
  return outside();
}

}  // namespace

Decision Contains(const VersionRange& range, std::string_view version) {
  return Decide(range, version, true);
}

Outcome Evaluate(const VersionRange& range, std::string_view version) {
  return Decide(range, version, false).outcome;
}

}  // namespace baken::advisories
