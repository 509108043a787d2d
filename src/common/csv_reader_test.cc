#include "common/csv_reader.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken {
namespace {

using ::testing::ElementsAre;

std::vector<CsvRecord> ReadAll(const std::string& text, size_t limit = 1 << 20) {
  std::istringstream input(text);
  CsvReader reader(input, ',', limit);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.Next(&record)) records.push_back(record);
  return records;
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto records = ReadAll("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(records[1].fields, ElementsAre("x, y", "say \"hi\"", "two\nlines"));
  EXPECT_THAT(records[2].fields, ElementsAre("last", "", ""));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u);  // the record before spans two lines
}

TEST(CsvReaderTest, HandlesBomCrlfEmptyLinesAndMissingFinalNewline) {
  auto records = ReadAll("\xEF\xBB\xBFname,v\r\n\r\n\r\nx,1\r\ny,2");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].fields, ElementsAre("name", "v"));
  EXPECT_THAT(records[1].fields, ElementsAre("x", "1"));
  EXPECT_EQ(records[1].line, 4u);
  EXPECT_THAT(records[2].fields, ElementsAre("y", "2"));
  EXPECT_FALSE(records[2].problem);
}

TEST(CsvReaderTest, FlagsUnterminatedQuoteAndTrailingGarbage) {
  auto records = ReadAll("a,\"b\"x\nc,\"never closed\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].problem, "characters follow a closing quote");
  EXPECT_EQ(records[1].problem, "a quoted field is not closed before the end of the file");
}

TEST(CsvReaderTest, BoundsRecordSize) {
  auto records = ReadAll("short\n" + std::string(100, 'x') + "\nafter\n", 50);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_FALSE(records[0].problem);
  EXPECT_TRUE(records[1].problem);
  EXPECT_THAT(records[2].fields, ElementsAre("after"));
}

}  // namespace
}  // namespace baken
