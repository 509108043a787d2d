#include "common/csv_writer.h"

namespace baken {

namespace {

bool StartsFormula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Where a reader may start a new cell, quoted or not.
bool EndsPiece(char c) { return c == ',' || c == ';' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string CsvCell(std::string_view value) {
  std::string cell;
  cell.reserve(value.size() + 2);
  bool piece_start = true;
  for (size_t i = 0; i < value.size(); ++i) {
    if (piece_start) {
      size_t first = i;
      while (first < value.size() && (value[first] == '"' || value[first] == ' ')) ++first;
      if (first < value.size() && StartsFormula(value[first])) cell += '\'';
      piece_start = false;
    }
    cell += value[i];
    piece_start = EndsPiece(value[i]);
  }
  if (cell.find_first_of(",;\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace baken
