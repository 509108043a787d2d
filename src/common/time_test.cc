#include "common/time.h"

#include <chrono>

#include <gtest/gtest.h>

namespace baken {
namespace {

TEST(TimeTest, FormatsUtcWithSecondPrecision) {
  const auto when = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} +
                    std::chrono::hours{14} + std::chrono::minutes{5} +
                    std::chrono::milliseconds{9500};
  EXPECT_EQ(FormatUtc(when), "2026-11-23T14:05:09Z");
}

TEST(TimeTest, AcceptsOnlyRealCalendarDates) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2024-13-01"));
  EXPECT_FALSE(IsValidDate("2024-1-01"));
  EXPECT_FALSE(IsValidDate("2024-01-0a"));
  EXPECT_FALSE(IsValidDate(""));
}

TEST(TimeTest, AcceptsDatesAndUtcTimestamps) {
  EXPECT_TRUE(IsValidDateOrUtcTimestamp("2026-11-23"));
  EXPECT_TRUE(IsValidDateOrUtcTimestamp("2026-11-23T23:59:59Z"));
  EXPECT_FALSE(IsValidDateOrUtcTimestamp("2026-11-23T24:00:00Z"));
  EXPECT_FALSE(IsValidDateOrUtcTimestamp("2026-11-23T12:00:00+01:00"));
  EXPECT_FALSE(IsValidDateOrUtcTimestamp("2026-11-23 12:00:00Z"));
}

// The clock counts nanoseconds: a year far outside Baken's (as fuzzing a breach's aware_at
// found: 1062) is refused instead of overflowing the arithmetic done with it.
TEST(TimeTest, ParsesOnlyTimesTheClockCanHold) {
  const auto time = ParseUtc("2026-12-04T15:30:00Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(FormatUtc(*time + std::chrono::hours{72}), "2026-12-07T15:30:00Z");
  EXPECT_TRUE(ParseUtc("2200-12-31T23:59:59Z"));
  EXPECT_TRUE(ParseUtc("1900-01-01"));
  EXPECT_FALSE(ParseUtc("1062-12-04T15:30:00Z"));
  EXPECT_FALSE(ParseUtc("9999-12-31T00:00:00Z"));
  EXPECT_FALSE(ParseUtc("2026-11-23T12:00:00+01:00"));
}

TEST(TimeTest, AWeekStartsOnItsMonday) {
  EXPECT_EQ(IsoWeekStart("2026-12-05T08:44:00+00:00"), "2026-11-30");  // a Saturday
  EXPECT_EQ(IsoWeekStart("2026-11-30T00:00:00+00:00"), "2026-11-30");  // the Monday itself
  EXPECT_EQ(IsoWeekStart("2026-12-06"), "2026-11-30");                 // its Sunday
  EXPECT_EQ(IsoWeekStart("2027-01-01T12:00:00Z"), "2026-12-28");       // across the year
  EXPECT_EQ(IsoWeekStart("2026-02-30T00:00:00Z"), "");
  EXPECT_EQ(IsoWeekStart("soon"), "");
}

}  // namespace
}  // namespace baken
