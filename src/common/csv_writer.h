#ifndef BAKEN_COMMON_CSV_WRITER_H_
#define BAKEN_COMMON_CSV_WRITER_H_

// Writing CSV that people open in a spreadsheet program. The one rule for every cell Baken
// writes (the portal's export follows the same rule, web/src/csv.js).

#include <string>
#include <string_view>

namespace baken {

// `value` as one CSV cell, safe whether the reader splits on ',' or ';' (Excel with Dutch
// settings uses ';'):
//  - defused: a formula could start at the start of the cell, and, for a program that splits
//    on the other separator or ignores quotes, right after each ',', ';', TAB, CR or LF in it;
//    where such a piece starts with one of = + - @ TAB CR (also after '"' or spaces), a '\''
//    goes first, so the spreadsheet shows text;
//  - quoted (RFC 4180, quotes doubled) when it holds ',', ';', '"', CR or LF.
std::string CsvCell(std::string_view value);

}  // namespace baken

#endif  // BAKEN_COMMON_CSV_WRITER_H_
