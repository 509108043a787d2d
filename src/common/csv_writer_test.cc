#include "common/csv_writer.h"

#include <gtest/gtest.h>

namespace baken {
namespace {

TEST(CsvCellTest, PlainTextStaysAsItIs) {
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("192.0.2.10"), "192.0.2.10");
  EXPECT_EQ(CsvCell("2026-11-22T01:00:00+00:00"), "2026-11-22T01:00:00+00:00");
  EXPECT_EQ(CsvCell("Fryslân"), "Fryslân");
}

TEST(CsvCellTest, QuotesTheSeparatorOfEitherDialect) {
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
}

TEST(CsvCellTest, DefusesFormulaStarts) {
  EXPECT_EQ(CsvCell("=1+1"), "'=1+1");
  EXPECT_EQ(CsvCell("+31 20 555"), "'+31 20 555");
  EXPECT_EQ(CsvCell("-5"), "'-5");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  // Also after a quote or spaces, which some programs skip: the apostrophe goes first.
  EXPECT_EQ(CsvCell("\"=cmd\""), "\"'\"\"=cmd\"\"\"");
  EXPECT_EQ(CsvCell("  =cmd"), "'  =cmd");
  // A formula start inside a word is text.
  EXPECT_EQ(CsvCell("a=b"), "a=b");
  EXPECT_EQ(CsvCell("x-y"), "x-y");
}

TEST(CsvCellTest, DefusesFormulaStartsAfterASeparatorInTheValue) {
  // Read by a program that splits on the other separator, or ignores the quotes, each piece is
  // a cell of its own: none may start a formula.
  EXPECT_EQ(CsvCell("a;=cmd"), "\"a;'=cmd\"");
  EXPECT_EQ(CsvCell("a,=cmd"), "\"a,'=cmd\"");
  EXPECT_EQ(CsvCell("a; -1"), "\"a;' -1\"");
  EXPECT_EQ(CsvCell("a;\"@x"), "\"a;'\"\"@x\"");
  EXPECT_EQ(CsvCell("a\n+1"), "\"a\n'+1\"");
  EXPECT_EQ(CsvCell("a\t=1"), "a\t'=1");
  EXPECT_EQ(CsvCell("=a;=b,=c"), "\"'=a;'=b,'=c\"");
}

}  // namespace
}  // namespace baken
