import Foundation
import Testing
@testable import KrScript

/// System.DateTime semantics (values checked against .NET's proleptic Gregorian tick arithmetic).
struct DotNetDateTimeTests {
    static let plusOne = TimeZone(secondsFromGMT: 3600)!

    static func date(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0,
                     kind: DotNetDateTime.Kind = .unspecified) -> DotNetDateTime {
        try! DotNetDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, kind: kind)
    }

    @Test func componentsAndTicks() throws {
        let value = try DotNetDateTime(year: 2024, month: 3, day: 15, hour: 10, minute: 30, second: 45,
                                       millisecond: 123)
        #expect(value.ticks == 638_460_954_451_230_000)
        #expect(value.year == 2024)
        #expect(value.month == 3)
        #expect(value.day == 15)
        #expect(value.hour == 10)
        #expect(value.minute == 30)
        #expect(value.second == 45)
        #expect(value.millisecond == 123)
        #expect(value.dayOfWeek == "Friday")
        #expect(value.dayOfWeekNumber == 5)
        #expect(value.dayOfYear == 75)
        #expect(value.kind == .unspecified)
        #expect(value.date.ticks == 638_460_576_000_000_000)
        #expect(value.timeOfDay.format(nil) == "10:30:45.1230000")
        #expect(try DotNetDateTime(year: 1970, month: 1, day: 1).ticks == DotNetDateTime.unixEpochTicks)
        #expect(DotNetDateTime.maxValue.ticks == 3_155_378_975_999_999_999)
        #expect(DotNetDateTime.maxValue.format("o") == "9999-12-31T23:59:59.9999999")
        #expect(DotNetDateTime.minValue.format(nil) == "01/01/0001 00:00:00")
        #expect(DotNetDateTimeTests.date(2000, 12, 31).dayOfYear == 366)
        #expect(DotNetDateTimeTests.date(2000, 1, 1).dayOfWeek == "Saturday")
        #expect(DotNetDateTimeTests.date(1, 1, 1).dayOfWeek == "Monday")
    }

    @Test(arguments: [
        (2023, 2, 29), (2024, 2, 30), (2024, 13, 1), (0, 1, 1), (10000, 1, 1), (2024, 4, 31), (2024, 1, 0),
    ])
    func invalidDatesThrow(year: Int, month: Int, day: Int) {
        #expect(throws: DotNetValueError.argumentOutOfRange(DotNetValueError.badYearMonthDay)) {
            try DotNetDateTime(year: year, month: month, day: day)
        }
    }

    @Test func invalidTimesThrow() {
        #expect(throws: DotNetValueError.argumentOutOfRange(DotNetValueError.badHourMinuteSecond)) {
            try DotNetDateTime(year: 2024, month: 1, day: 1, hour: 24)
        }
        #expect(throws: DotNetValueError.self) {
            try DotNetDateTime(year: 2024, month: 1, day: 1, millisecond: 1000)
        }
        #expect(throws: DotNetValueError.self) { try DotNetDateTime(ticks: -1) }
        #expect(DotNetDateTime.isLeapYear(2000) && !DotNetDateTime.isLeapYear(1900) && DotNetDateTime.isLeapYear(2024))
    }

    @Test(arguments: [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-01-15", 12, "2025-01-15"),
        ("2024-01-15", -13, "2022-12-15"),
        ("2024-12-15", 1, "2025-01-15"),
        ("2024-05-31", -5, "2023-12-31"),
    ])
    func addMonths(start: String, months: Int, expected: String) throws {
        let value = try #require(DotNetDateTime.parse(start, timeZone: Self.plusOne))
        #expect(try value.addMonths(months).format("yyyy-MM-dd") == expected)
    }

    @Test func arithmetic() throws {
        let start = Self.date(2024, 3, 15, 10, 30)
        #expect(try start.addYears(1).format("s") == "2025-03-15T10:30:00")
        #expect(try Self.date(2024, 2, 29).addYears(1).format("d") == "02/28/2025")
        #expect(try Self.date(2024, 2, 29).addYears(4).format("d") == "02/29/2028")
        #expect(try start.addDays(1.5).format("s") == "2024-03-16T22:30:00")
        #expect(try start.addHours(-0.5).format("s") == "2024-03-15T10:00:00")
        #expect(try start.addMinutes(90).format("s") == "2024-03-15T12:00:00")
        #expect(try start.addSeconds(-30).format("s") == "2024-03-15T10:29:30")
        #expect(try start.addMilliseconds(1500).format("HH:mm:ss.fff") == "10:30:01.500")
        #expect(try start.add(DotNetTimeSpan(hours: 1, minutes: 2, seconds: 3)).format("T") == "11:32:03")
        #expect(try (start + DotNetTimeSpan(days: 1)).format("d") == "03/16/2024")
        #expect(try (start - DotNetTimeSpan(days: 15)).format("d") == "02/29/2024")
        #expect((start - Self.date(2024, 3, 1)).format(nil) == "14.10:30:00")
        #expect((Self.date(2024, 3, 1) - start).format(nil) == "-14.10:30:00")
        #expect(try start.addDays(1).kind == .unspecified)
        #expect(try Self.date(2024, 1, 1, kind: .utc).addMonths(1).kind == .utc)
        #expect(throws: DotNetValueError.argumentOutOfRange(DotNetValueError.dateArithmetic)) {
            try DotNetDateTime.maxValue.addDays(1)
        }
        // Non-throwing conveniences.
        #expect(start.adding(DotNetTimeSpan(ticks: DotNetTimeSpan.ticksPerHour)).format("t") == "11:30")
        #expect(DotNetDateTime.maxValue.adding(DotNetTimeSpan(ticks: 1)) == DotNetDateTime.maxValue)
        #expect(DotNetDateTime.minValue.adding(DotNetTimeSpan.minValue) == DotNetDateTime.minValue)
        #expect(start.subtracting(Self.date(2024, 3, 15)).format(nil) == "10:30:00")
        #expect(try start.addingMonths(1).format("d") == "04/15/2024")
        #expect(throws: DotNetValueError.self) { try DotNetDateTime.minValue.addSeconds(-1) }
        #expect(throws: DotNetValueError.self) { try start.addMonths(120_001) }
        #expect(throws: DotNetValueError.self) { try start.addYears(8000) }
    }

    @Test func equalityAndOrderIgnoreKind() {
        let utc = Self.date(2024, 3, 15, kind: .utc)
        let local = Self.date(2024, 3, 15, kind: .local)
        #expect(utc == local)
        #expect(Set([utc, local]).count == 1)
        #expect(Self.date(2024, 3, 14) < utc)
        #expect([Self.date(2025, 1, 1), Self.date(2023, 1, 1)].max() == Self.date(2025, 1, 1))
    }

    @Test func timeZoneConversionWithFixedOffset() {
        let utc = Self.date(2024, 3, 15, 10, 30, kind: .utc)
        let local = utc.toLocalTime(timeZone: Self.plusOne)
        #expect(local.kind == .local)
        #expect(local.format("s") == "2024-03-15T11:30:00")
        #expect(local.toUniversalTime(timeZone: Self.plusOne).format("s") == "2024-03-15T10:30:00")
        #expect(local.toLocalTime(timeZone: Self.plusOne) == local)
        #expect(utc.toUniversalTime(timeZone: Self.plusOne) == utc)
        // Unspecified: ToUniversalTime treats it as local, ToLocalTime treats it as UTC.
        let unspecified = Self.date(2024, 3, 15, 10, 30)
        #expect(unspecified.toUniversalTime(timeZone: Self.plusOne).format("s") == "2024-03-15T09:30:00")
        #expect(unspecified.toLocalTime(timeZone: Self.plusOne).format("s") == "2024-03-15T11:30:00")
        // Clamped at the ends of the range, like .NET.
        #expect(DotNetDateTime.maxValue.specifyingKind(.utc).toLocalTime(timeZone: Self.plusOne).ticks
            == DotNetDateTime.maxTicks)
    }

    @Test func timeZoneConversionWithDaylightSaving() throws {
        guard let berlin = TimeZone(identifier: "Europe/Berlin") else { return }
        let summer = Self.date(2024, 7, 1, 12, kind: .utc).toLocalTime(timeZone: berlin)
        #expect(summer.format("s") == "2024-07-01T14:00:00")
        #expect(try summer.formatChecked("o", timeZone: berlin) == "2024-07-01T14:00:00.0000000+02:00")
        let winter = Self.date(2024, 1, 15, 12, kind: .local)
        #expect(winter.toUniversalTime(timeZone: berlin).format("s") == "2024-01-15T11:00:00")
        #expect(try winter.formatChecked("zzz", timeZone: berlin) == "+01:00")
        // Ambiguous local time (clocks go back): treated as standard time.
        let ambiguous = Self.date(2024, 10, 27, 2, 30, kind: .local)
        #expect(ambiguous.toUniversalTime(timeZone: berlin).format("s") == "2024-10-27T01:30:00")
    }

    @Test func clock() {
        let before = DotNetDateTime.utcNow()
        let now = DotNetDateTime.now(timeZone: Self.plusOne)
        let today = DotNetDateTime.today(timeZone: Self.plusOne)
        #expect(before.kind == .utc)
        #expect(now.kind == .local)
        #expect(today.kind == .local)
        #expect(today.timeOfDay.ticks == 0)
        let delta = (now - before).ticks - DotNetTimeSpan.ticksPerHour
        #expect(delta >= 0 && delta < 60 * DotNetTimeSpan.ticksPerSecond)
        #expect(before.year >= 2024)
    }
}
