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

namespace baken {
namespace {

// Delivers one byte per Read, so every record crosses block boundaries.
class TrickleSource : public ByteSource {
 public:
  explicit TrickleSource(std::string text) : text_(std::move(text)) {}
  size_t Read(char* buffer, size_t size) override {
    if (pos_ == text_.size() || size == 0) return 0;
    buffer[0] = text_[pos_++];
    return 1;
  }

 private:
  std::string text_;
  size_t pos_ = 0;
};

TEST(CsvReaderTest, ReadsTheSameWhateverTheBlockBoundaries) {
  const std::string text =
      "\xEF\xBB\xBFh1,h2\r\n\"a,\"\"b\"\"\nc\",plain\r\n\r\nx,\"y\"z\nlast,\"open";
  const std::vector<CsvRecord> whole = ReadAll(text);
  TrickleSource trickle(text);
  CsvReader reader(trickle);
  std::vector<CsvRecord> trickled;
  CsvRecord record;
  while (reader.Next(&record)) trickled.push_back(record);
  ASSERT_EQ(whole.size(), 4u);
  ASSERT_EQ(trickled.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(trickled[i].fields, whole[i].fields) << i;
    EXPECT_EQ(trickled[i].line, whole[i].line) << i;
    EXPECT_EQ(trickled[i].problem, whole[i].problem) << i;
  }
  EXPECT_THAT(whole[0].fields, ElementsAre("h1", "h2"));
  EXPECT_THAT(whole[1].fields, ElementsAre("a,\"b\"\nc", "plain"));
  EXPECT_EQ(whole[2].line, 5u);
  EXPECT_EQ(whole[2].problem, "characters follow a closing quote");
  EXPECT_TRUE(whole[3].unterminated);
  EXPECT_TRUE(whole[3].problem);
}

TEST(CsvReaderTest, ReusesFieldsButReportsTheRightCount) {
  std::istringstream input("a,b,c\nd\n");
  CsvReader reader(input);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_THAT(record.fields, ElementsAre("d"));
  EXPECT_FALSE(reader.Next(&record));
}

}  // namespace
}  // namespace baken
