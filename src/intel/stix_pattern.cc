#include "intel/stix_pattern.h"

#include <cctype>

#include <fmt/format.h>

namespace baken::intel {

namespace {

constexpr size_t kMaxComparisons = 10000;

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

class PatternParser {
 public:
  explicit PatternParser(std::string_view text) : text_(text) {}

  Result<PatternReading> Read() {
    int brackets = 0;
    int parentheses = 0;
    while (true) {
      SkipSpace();
      if (AtEnd()) break;
      const char c = text_[at_];
      if (c == '[') {
        if (brackets > 0) return Fail("'[' inside an observation");
        ++brackets;
        ++at_;
        BAKEN_RETURN_IF_ERROR(ReadComparison());
      } else if (c == ']') {
        if (brackets == 0) return Fail("']' without '['");
        --brackets;
        ++at_;
      } else if (c == '(') {
        ++parentheses;
        ++at_;
        if (brackets > 0) BAKEN_RETURN_IF_ERROR(ReadComparison());
      } else if (c == ')') {
        if (parentheses == 0) return Fail("')' without '('");
        --parentheses;
        ++at_;
      } else if (IsWordChar(c)) {
        const std::string word = Word();
        if (word == "AND") {
          reading_.joined_by_and = true;
        } else if (word == "OR") {
          // nothing: each side is an indicator of its own
        } else if (word == "FOLLOWEDBY" || word == "WITHIN" || word == "START" || word == "STOP" ||
                   word == "REPEATS") {
          reading_.has_qualifiers = true;
          if (brackets == 0) SkipQualifierArgument();
          continue;
        } else if (brackets == 0) {
          // SECONDS, TIMES and the numbers of a qualifier
          continue;
        } else {
          return Fail(fmt::format("'{}' where AND or OR was expected", word.substr(0, 40)));
        }
        if (brackets > 0) {
          SkipSpace();
          if (!AtEnd() && text_[at_] == '(') continue;
          BAKEN_RETURN_IF_ERROR(ReadComparison());
        }
      } else if (c == '\'' || c == 't' || c == 'h' || c == 'b') {
        std::string ignored;
        BAKEN_RETURN_IF_ERROR(ReadValue(&ignored));
      } else {
        return Fail(fmt::format("unexpected '{}'", c));
      }
    }
    if (brackets != 0) return Fail("an observation without its ']'");
    if (parentheses != 0) return Fail("a '(' without its ')'");
    if (reading_.comparisons.empty()) return Fail("no comparison");
    return std::move(reading_);
  }

 private:
  bool AtEnd() const { return at_ >= text_.size(); }

  void SkipSpace() {
    while (!AtEnd() && std::isspace(static_cast<unsigned char>(text_[at_])) != 0) ++at_;
  }

  std::string Word() {
    const size_t start = at_;
    while (!AtEnd() && IsWordChar(text_[at_])) ++at_;
    return std::string(text_.substr(start, at_ - start));
  }

  tl::unexpected<Error> Fail(std::string_view what) const {
    return tl::unexpected(
        Error(ErrorCode::kInvalidArgument, fmt::format("pattern at byte {}: {}", at_, what)));
  }

  // A qualifier's argument: a number or a t'…' timestamp, then its unit word.
  void SkipQualifierArgument() {
    SkipSpace();
    if (!AtEnd() && text_[at_] == 't') {
      std::string ignored;
      (void)ReadValue(&ignored);
    }
  }

  // "object-type:path.'quoted key'.list[*].name": up to the space before the operator.
  Result<std::string> ReadPath() {
    const size_t start = at_;
    while (!AtEnd()) {
      const char c = text_[at_];
      if (c == '\'') {
        ++at_;
        while (!AtEnd() && text_[at_] != '\'') ++at_;
        if (AtEnd()) return Fail("a quoted key without its closing quote");
        ++at_;
      } else if (IsWordChar(c) || c == ':' || c == '.' || c == '[' || c == '*' ||
                 (c == ']' && at_ > start && text_[at_ - 1] == '*') ||
                 (c == ']' && at_ > start &&
                  std::isdigit(static_cast<unsigned char>(text_[at_ - 1])))) {
        ++at_;
      } else {
        break;
      }
    }
    const std::string path(text_.substr(start, at_ - start));
    if (path.find(':') == std::string::npos || path.front() == ':') {
      return Fail("an object path is type:property");
    }
    return path;
  }

  Status ReadValue(std::string* out) {
    SkipSpace();
    if (AtEnd()) return Fail("a value is missing");
    char c = text_[at_];
    if ((c == 't' || c == 'h' || c == 'b') && at_ + 1 < text_.size() && text_[at_ + 1] == '\'') {
      ++at_;
      c = '\'';
    }
    if (c == '\'') {
      ++at_;
      out->clear();
      while (!AtEnd() && text_[at_] != '\'') {
        if (text_[at_] == '\\') {
          ++at_;
          if (AtEnd()) break;
        }
        out->push_back(text_[at_++]);
      }
      if (AtEnd()) return Fail("a string without its closing quote");
      ++at_;
      return {};
    }
    if (c == '(') {  // IN ('a', 'b')
      ++at_;
      while (true) {
        std::string item;
        BAKEN_RETURN_IF_ERROR(ReadValue(&item));
        SkipSpace();
        if (AtEnd()) return Fail("a list without its ')'");
        if (text_[at_] == ')') {
          ++at_;
          break;
        }
        if (text_[at_] != ',') return Fail("',' or ')' expected in a list");
        ++at_;
      }
      *out = "";
      return {};
    }
    const size_t start = at_;
    while (!AtEnd() && (IsWordChar(text_[at_]) || text_[at_] == '.' || text_[at_] == '+')) ++at_;
    if (at_ == start) return Fail("a value is missing");
    *out = std::string(text_.substr(start, at_ - start));
    return {};
  }

  Status ReadComparison() {
    SkipSpace();
    if (!AtEnd() && text_[at_] == '(') return {};  // a nested group: read by the main loop
    if (reading_.comparisons.size() >= kMaxComparisons) {
      return Fail(fmt::format("more than {} comparisons", kMaxComparisons));
    }
    PatternComparison comparison;
    const size_t before = at_;
    if (Word() == "EXISTS") {
      SkipSpace();
      BAKEN_ASSIGN_OR_RETURN(comparison.path, ReadPath());
      comparison.op = "EXISTS";
      reading_.comparisons.push_back(std::move(comparison));
      return {};
    }
    at_ = before;
    BAKEN_ASSIGN_OR_RETURN(comparison.path, ReadPath());
    SkipSpace();
    if (!AtEnd() && IsWordChar(text_[at_])) {
      const size_t word_start = at_;
      std::string word = Word();
      if (word == "NOT") {
        comparison.negated = true;
        SkipSpace();
        if (!AtEnd() && IsWordChar(text_[at_])) {
          word = Word();
        } else {
          word.clear();
        }
      }
      if (!word.empty()) {
        if (word != "LIKE" && word != "MATCHES" && word != "IN" && word != "ISSUBSET" &&
            word != "ISSUPERSET") {
          at_ = word_start;
          return Fail(fmt::format("'{}' is not a comparison operator", word.substr(0, 40)));
        }
        comparison.op = word;
      }
    }
    if (comparison.op.empty()) {
      static constexpr std::string_view kOperators[] = {"!=", "<>", ">=", "<=", "=", ">", "<"};
      for (std::string_view op : kOperators) {
        if (text_.substr(at_, op.size()) == op) {
          comparison.op = std::string(op);
          at_ += op.size();
          break;
        }
      }
      if (comparison.op.empty()) return Fail("a comparison operator is missing");
    }
    BAKEN_RETURN_IF_ERROR(ReadValue(&comparison.value));
    reading_.comparisons.push_back(std::move(comparison));
    return {};
  }

  std::string_view text_;
  size_t at_ = 0;
  PatternReading reading_;
};

}  // namespace

Result<PatternReading> ReadStixPattern(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return InvalidArgument(fmt::format("pattern longer than {} bytes", kMaxPatternBytes));
  }
  return PatternParser(pattern).Read();
}

}  // namespace baken::intel
