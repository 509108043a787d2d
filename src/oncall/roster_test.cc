// Who is on duty: handovers at a local time across the changes to and from summer time, an
// override, office hours with the Dutch public holidays, and the gaps the roster page warns of.

#include "oncall/roster.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace baken::oncall {
namespace {

using namespace std::chrono;  // NOLINT: dates read best as 2027y / March / 28

Time Utc(year_month_day day, hours h, minutes m = minutes{0}) {
  return Time{sys_days{day}.time_since_epoch() + h + m};
}

std::string Person(const Duty& duty) { return duty.person.value_or("(nobody)"); }

Rotation Daily() {
  Rotation rotation;
  rotation.id = 1;
  rotation.name = "Piket";
  rotation.shift = ShiftLength::kDaily;
  rotation.handover = hours{9};
  rotation.start = 2027y / March / 1;
  rotation.participants = {"anna", "bram", "cees"};
  return rotation;
}

// Summer time starts on Sunday 28 March 2027 (02:00 CET becomes 03:00 CEST) and ends on Sunday
// 31 October 2027 (03:00 CEST becomes 02:00 CET). A 09:00 handover follows the local clock.
TEST(RosterTest, ADailyHandoverStaysAtNineLocalAcrossSummerTime) {
  const Rotation rotation = Daily();
  // 27 March (winter, UTC+1): anna 1 March, so 27 March is day 26, 26 % 3 = 2: cees from 08:00.
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 27, hours{7}, minutes{59}))), "bram");
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 27, hours{8}))), "cees");
  // 28 March (summer, UTC+2): the handover is at 07:00 UTC.
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 28, hours{6}, minutes{59}))), "cees");
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 28, hours{7}))), "anna");
  // 31 October (winter again): back at 08:00 UTC.
  EXPECT_EQ(FromAmsterdam(local_days{2027y / October / 30}, hours{9}),
            Utc(2027y / October / 30, hours{7}));
  EXPECT_EQ(FromAmsterdam(local_days{2027y / October / 31}, hours{9}),
            Utc(2027y / October / 31, hours{8}));
  const std::string before = Person(DutyAt(rotation, {}, Utc(2027y / October / 31, hours{7})));
  const std::string after = Person(DutyAt(rotation, {}, Utc(2027y / October / 31, hours{8})));
  EXPECT_NE(before, after);
  // The timeline of the autumn weekend: one shift per day, each 24 hours but the one that
  // holds the extra hour (25).
  const auto shifts = Timeline(rotation, {}, Utc(2027y / October / 30, hours{7}),
                               Utc(2027y / November / 1, hours{8}));
  ASSERT_EQ(shifts.size(), 2u);
  EXPECT_EQ(shifts[0].end - shifts[0].start, hours{25});
  EXPECT_EQ(shifts[1].end - shifts[1].start, hours{24});
}

// A weekly handover in the night: at 02:30 on the spring Sunday that time does not exist (the
// shift changes at the change itself, 01:00 UTC); on the autumn Sunday it happens twice, and the
// shift changes the first time only.
TEST(RosterTest, AWeeklyNightHandoverThatTheClockSkipsOrRepeats) {
  Rotation rotation;
  rotation.id = 2;
  rotation.shift = ShiftLength::kWeekly;
  rotation.handover_day = Sunday;
  rotation.handover = hours{2} + minutes{30};
  rotation.start = 2027y / March / 21;  // a Sunday
  rotation.participants = {"anna", "bram"};
  EXPECT_EQ(FromAmsterdam(local_days{2027y / March / 28}, hours{2} + minutes{30}),
            Utc(2027y / March / 28, hours{1}));
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 28, hours{0}, minutes{59}))), "anna");
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / March / 28, hours{1}))), "bram");
  // 31 October is 32 weeks after 21 March: an even shift, anna's. 02:30 CEST is 00:30 UTC.
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / October / 31, hours{0}, minutes{29}))), "bram");
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / October / 31, hours{0}, minutes{30}))), "anna");
  // 01:15 UTC is 02:15 CET, before 02:30 on the local clock a second time: still anna's.
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / October / 31, hours{1}, minutes{15}))), "anna");
  EXPECT_EQ(Person(DutyAt(rotation, {}, Utc(2027y / November / 6, hours{12}))), "anna");
  // Before the first shift nobody is on duty.
  EXPECT_FALSE(DutyAt(rotation, {}, Utc(2027y / March / 20, hours{12})).person);
}

TEST(RosterTest, AnOverrideTakesOverItsSpanOnly) {
  const Rotation rotation = Daily();
  // "Ik neem vrijdagnacht over": Friday 2 April 2027 22:00 to Saturday 08:00 local (CEST).
  const std::vector<Override> overrides = {
      Override{1, rotation.id, "dirk", Utc(2027y / April / 2, hours{20}),
               Utc(2027y / April / 3, hours{6})},
      Override{2, 99, "erik", Utc(2027y / April / 2, hours{0}), Utc(2027y / April / 4, hours{0})}};
  const Duty friday_night = DutyAt(rotation, overrides, Utc(2027y / April / 2, hours{23}));
  EXPECT_EQ(Person(friday_night), "dirk");
  EXPECT_TRUE(friday_night.overridden);
  const Duty friday_evening = DutyAt(rotation, overrides, Utc(2027y / April / 2, hours{19}));
  // 2 April is day 32 of the rotation (32 % 3 = 2): cees's, from 09:00.
  EXPECT_EQ(Person(friday_evening), "cees");
  EXPECT_FALSE(friday_evening.overridden);
  EXPECT_EQ(Person(DutyAt(rotation, overrides, Utc(2027y / April / 3, hours{6}))), "cees");
  // The timeline shows it as a shift of its own between two parts of cees's.
  const auto shifts = Timeline(rotation, overrides, Utc(2027y / April / 2, hours{12}),
                               Utc(2027y / April / 3, hours{12}));
  ASSERT_EQ(shifts.size(), 4u);
  EXPECT_EQ(Person(shifts[0].duty), "cees");
  EXPECT_EQ(Person(shifts[1].duty), "dirk");
  EXPECT_TRUE(shifts[1].duty.overridden);
  EXPECT_EQ(shifts[1].start, Utc(2027y / April / 2, hours{20}));
  EXPECT_EQ(shifts[1].end, Utc(2027y / April / 3, hours{6}));
  EXPECT_EQ(Person(shifts[2].duty), "cees");
  EXPECT_EQ(shifts[3].start, Utc(2027y / April / 3, hours{7}));  // 09:00 CEST handover
  EXPECT_EQ(Person(shifts[3].duty), "anna");
}

TEST(RosterTest, TheDutchPublicHolidays) {
  for (const year_month_day day :
       {2027y / January / 1, 2027y / March / 29, 2027y / April / 27, 2027y / May / 5,
        2027y / May / 6, 2027y / May / 17, 2027y / December / 25, 2027y / December / 26,
        2025y / April / 26, 2026y / April / 6, 2026y / May / 14, 2026y / May / 25}) {
    EXPECT_TRUE(IsDutchPublicHoliday(day))
        << static_cast<int>(day.year()) << "-" << static_cast<unsigned>(day.month()) << "-"
        << static_cast<unsigned>(day.day());
  }
  // Koningsdag 2025 fell on Saturday the 26th, as the 27th was a Sunday; Goede Vrijdag is no
  // holiday of the Algemene termijnenwet.
  EXPECT_FALSE(IsDutchPublicHoliday(2025y / April / 27));
  EXPECT_FALSE(IsDutchPublicHoliday(2027y / March / 26));
  EXPECT_FALSE(IsDutchPublicHoliday(2027y / May / 7));
  EXPECT_EQ(EasterSunday(2027y), 2027y / March / 28);
  EXPECT_EQ(EasterSunday(2026y), 2026y / April / 5);
  EXPECT_EQ(EasterSunday(2038y), 2038y / April / 25);
}

// The office takes office hours; the piket the rest, holidays included (Hemelvaartsdag,
// Thursday 6 May 2027). Without anyone for a stretch, the roster shows the gap.
TEST(RosterTest, OfficeHoursAndTheHolidaysDecideWhichRotationIsOnDuty) {
  Rotation office = Daily();
  office.id = 10;
  office.coverage = Coverage::kOfficeHours;
  office.participants = {"office"};
  Rotation piket = Daily();
  piket.id = 11;
  piket.coverage = Coverage::kOutsideOfficeHours;
  piket.participants = {"piket"};
  const std::vector<Rotation> both = {office, piket};
  // Wednesday 5 May is Bevrijdingsdag; Tuesday 4 May an ordinary day (CEST: 10:00 is 08:00 UTC).
  EXPECT_EQ(Person(DutyAt(office, {}, Utc(2027y / May / 4, hours{8}))), "office");
  EXPECT_FALSE(DutyAt(piket, {}, Utc(2027y / May / 4, hours{8})).covered);
  EXPECT_FALSE(DutyAt(office, {}, Utc(2027y / May / 6, hours{8})).covered);
  EXPECT_EQ(Person(DutyAt(piket, {}, Utc(2027y / May / 6, hours{8}))), "piket");
  EXPECT_EQ(Person(DutyAt(piket, {}, Utc(2027y / May / 4, hours{16}))), "piket");  // 18:00
  office.holidays = false;
  EXPECT_TRUE(DutyAt(office, {}, Utc(2027y / May / 6, hours{8})).covered);

  EXPECT_TRUE(
      Gaps(both, {}, Utc(2027y / May / 3, hours{0}), Utc(2027y / May / 10, hours{0})).empty());
  // Nobody in the piket rotation: every evening, night, weekend and holiday is a gap; office
  // hours are not.
  Rotation empty_piket = piket;
  empty_piket.participants.clear();
  const std::vector<Rotation> with_gaps = {office, empty_piket};
  const auto gaps =
      Gaps(with_gaps, {}, Utc(2027y / May / 4, hours{0}), Utc(2027y / May / 5, hours{0}));
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].start, Utc(2027y / May / 4, hours{0}));
  EXPECT_EQ(gaps[0].end, Utc(2027y / May / 4, hours{6}, minutes{30}));  // 08:30 CEST
  EXPECT_EQ(gaps[1].start, Utc(2027y / May / 4, hours{15}));            // 17:00 CEST
  EXPECT_EQ(gaps[1].end, Utc(2027y / May / 5, hours{0}));
}

}  // namespace
}  // namespace baken::oncall
