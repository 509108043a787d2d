#include "common/csv_reader.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken {
namespace {

using ::testing::ElementsAre;

// A record as read, kept: a CsvRecord's fields are valid only until the reader's next record.
struct Row {
  size_t line = 0;
  std::vector<std::string> fields;
  std::optional<std::string> problem;
  bool unterminated = false;
  bool repaired = false;
  std::string raw;

  explicit Row(const CsvRecord& record)
      : line(record.line),
        fields(record.fields.begin(), record.fields.end()),
        problem(record.problem),
        unterminated(record.unterminated),
        repaired(record.repaired),
        raw(record.raw) {}
  bool operator==(const Row&) const = default;
};

void PrintTo(const Row& row, std::ostream* out) {
  *out << "line " << row.line << (row.unterminated ? ", unterminated" : "")
       << (row.repaired ? ", repaired" : "") << ", problem " << row.problem.value_or("none")
       << ", fields:";
  for (const std::string& field : row.fields) *out << " [" << field << "]";
}

std::vector<Row> ReadAllFrom(CsvReader& reader) {
  std::vector<Row> records;
  CsvRecord record;
  while (reader.Next(&record)) records.emplace_back(record);
  return records;
}

std::vector<Row> ReadAll(const std::string& text, size_t limit = 1 << 20) {
  std::istringstream input(text);
  CsvReader reader(input, ',', limit);
  return ReadAllFrom(reader);
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
  const std::vector<Row> whole = ReadAll(text);
  TrickleSource trickle(text);
  CsvReader reader(trickle);
  const std::vector<Row> trickled = ReadAllFrom(reader);
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

// Reads `source` in lenient mode.
std::vector<Row> ReadLeniently(ByteSource& source) {
  CsvReader reader(source);
  reader.set_lenient_quotes(true);
  return ReadAllFrom(reader);
}

TEST(CsvReaderTest, LenientQuotesReadWhatTheSenderMeantAndKeepTheLine) {
  const std::string text =
      "a,\"say \"hi\" now\",c\r\n"
      "\"x\",\"\"q\"\",z\n"
      "\"r\",\"ok\" \t,s\n"
      "\"p\",\"say \"hi\"\",t\n"
      "\"open \"quote,u\n"
      "next,\"two\nlines\",here\n";
  StringSource whole(text);
  TrickleSource trickle(text);
  for (ByteSource* source :
       {static_cast<ByteSource*>(&whole), static_cast<ByteSource*>(&trickle)}) {
    const std::vector<Row> records = ReadLeniently(*source);
    ASSERT_EQ(records.size(), 6u);
    EXPECT_THAT(records[0].fields, ElementsAre("a", "say \"hi\" now", "c"));
    EXPECT_EQ(records[0].raw, "a,\"say \"hi\" now\",c");
    EXPECT_THAT(records[1].fields, ElementsAre("x", "\"q\"", "z"));
    EXPECT_EQ(records[1].raw, "\"x\",\"\"q\"\",z");
    EXPECT_THAT(records[2].fields, ElementsAre("r", "ok", "s"));  // blanks after the quote
    EXPECT_THAT(records[3].fields, ElementsAre("p", "say \"hi\"", "t"));
    // A quote that is never closed ends with its line, not with the file: the next row stays.
    EXPECT_THAT(records[4].fields, ElementsAre("open \"quote,u"));
    EXPECT_EQ(records[4].line, 5u);
    EXPECT_THAT(records[5].fields, ElementsAre("next", "two\nlines", "here"));
    EXPECT_EQ(records[5].line, 6u);
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_FALSE(records[i].problem) << i;
      EXPECT_EQ(records[i].repaired, i < 5) << i;
    }
    EXPECT_TRUE(records[5].raw.empty());  // only repaired records keep their text
  }
}

TEST(CsvReaderTest, LenientQuotesReadWellFormedInputAsTheRulesDo) {
  const std::string text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n";
  const std::vector<Row> strict = ReadAll(text);
  StringSource source(text);
  const std::vector<Row> lenient = ReadLeniently(source);
  ASSERT_EQ(lenient.size(), strict.size());
  for (size_t i = 0; i < strict.size(); ++i) {
    EXPECT_EQ(lenient[i].fields, strict[i].fields) << i;
    EXPECT_EQ(lenient[i].line, strict[i].line) << i;
    EXPECT_FALSE(lenient[i].repaired) << i;
  }
}

// Plain records are read in one pass into views of the buffer, others byte by byte: both ways
// must read every input alike, wherever the blocks end.
TEST(CsvReaderTest, ReadsPlainRecordsInOnePassAsByteByByte) {
  std::string text = "\"h1\",h2,\"h3\"\r\n";
  for (int i = 0; i < 6000; ++i) {
    // Rows of every kind: quoted and not, doubled quotes, line breaks inside quotes, empty
    // fields, CR, LF and CRLF line ends, and now and then a row that breaks the rules or is
    // above the limit; 6000 rows cross the 64 KiB block many times.
    text += std::to_string(i) + ",\"v" + std::to_string(i * 7) + "\",";
    switch (i % 9) {
      case 0:
        text += "\"say \"\"hi\"\"\"\n";
        break;
      case 1:
        text += "\"two\nlines\"\r\n";
        break;
      case 2:
        text += "\r";
        break;
      case 3:
        text += "\"\"\n\n";
        break;
      case 4:
        text += "\"x\"y\n";
        break;  // characters after a closing quote
      case 5:
        text += "in\"side\n";
        break;  // a quote in an unquoted field
      case 6:
        text += std::string(300, 'z') + "\n";
        break;  // above the limit below
      case 7:
        text += "\"\"\"\"\"\"\n";
        break;
      default:
        text += "plain\n";
        break;
    }
  }
  text += "last,\"open";
  for (const size_t limit : {size_t{256}, size_t{1} << 20}) {
    std::istringstream one_pass_input(text);
    CsvReader one_pass(one_pass_input, ',', limit);
    std::istringstream by_byte_input(text);
    CsvReader by_byte(by_byte_input, ',', limit);
    by_byte.set_plain_records_in_one_pass(false);
    const std::vector<Row> expected = ReadAllFrom(by_byte);
    std::vector<Row> read = ReadAllFrom(one_pass);
    ASSERT_EQ(read.size(), expected.size());
    ASSERT_EQ(read.size(), 6002u);
    for (size_t i = 0; i < read.size(); ++i) {
      // The fields of a record with a problem are incomplete, cut where a block ended.
      if (read[i].problem) read[i].fields = expected[i].fields;
      ASSERT_EQ(read[i], expected[i]) << i;
    }
    EXPECT_THAT(read[1].fields, ElementsAre("0", "v0", "say \"hi\""));
    EXPECT_THAT(read[2].fields, ElementsAre("1", "v7", "two\nlines"));
    EXPECT_EQ(read[3].line, 5u);  // the row before spans two lines
    EXPECT_THAT(read[8].fields, ElementsAre("7", "v49", "\"\""));
    EXPECT_EQ(read[5].problem, "characters follow a closing quote");
    EXPECT_EQ(read[7].problem.has_value(), limit == 256);
    EXPECT_TRUE(read.back().unterminated);
  }
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
