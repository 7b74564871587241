import Foundation
import Testing
@testable import KrScript

/// DateTime.ToString(format, CultureInfo.InvariantCulture) expectations.
struct DotNetDateTimeFormatTests {
    static let plusOne = TimeZone(secondsFromGMT: 3600)!
    /// 2024-03-15 10:30:00 (a Friday), Unspecified.
    static let sample = try! DotNetDateTime(year: 2024, month: 3, day: 15, hour: 10, minute: 30)
    /// 2024-03-15 22:05:45.1234567, Unspecified.
    static let precise = try! sample.addingTicks(11 * DotNetTimeSpan.ticksPerHour
        + 35 * DotNetTimeSpan.ticksPerMinute + 45 * DotNetTimeSpan.ticksPerSecond + 1_234_567)

    static let standardCases: [(String?, String)] = [
        (nil, "03/15/2024 10:30:00"),
        ("", "03/15/2024 10:30:00"),
        ("G", "03/15/2024 10:30:00"),
        ("g", "03/15/2024 10:30"),
        ("d", "03/15/2024"),
        ("D", "Friday, 15 March 2024"),
        ("f", "Friday, 15 March 2024 10:30"),
        ("F", "Friday, 15 March 2024 10:30:00"),
        ("t", "10:30"),
        ("T", "10:30:00"),
        ("M", "March 15"),
        ("m", "March 15"),
        ("Y", "2024 March"),
        ("y", "2024 March"),
        ("s", "2024-03-15T10:30:00"),
        ("u", "2024-03-15 10:30:00Z"),
        ("R", "Fri, 15 Mar 2024 10:30:00 GMT"),
        ("r", "Fri, 15 Mar 2024 10:30:00 GMT"),
        ("O", "2024-03-15T10:30:00.0000000"),
        ("o", "2024-03-15T10:30:00.0000000"),
    ]

    @Test(arguments: Self.standardCases)
    func standardFormats(spec: String?, expected: String) throws {
        #expect(try Self.sample.formatChecked(spec, timeZone: Self.plusOne) == expected)
        #expect(Self.sample.format(spec) == expected)
    }

    static let customCases: [(String, String)] = [
        ("yyyy-MM-dd", "2024-03-15"),
        ("yyyy-MM-dd HH:mm:ss", "2024-03-15 22:05:45"),
        ("dddd", "Friday"),
        ("ddd", "Fri"),
        ("dd", "15"),
        ("%d", "15"),
        ("MMMM", "March"),
        ("MMM", "Mar"),
        ("MM", "03"),
        ("%M", "3"),
        ("M/d/yy", "3/15/24"),
        ("%y", "24"),
        ("yy", "24"),
        ("yyy", "2024"),
        ("yyyyy", "02024"),
        ("h:mm tt", "10:05 PM"),
        ("hh:mm:ss", "10:05:45"),
        ("%h", "10"),
        ("%H", "22"),
        ("HHH", "22"),
        ("%m", "5"),
        ("%s", "45"),
        ("%t", "P"),
        ("HH:mm:ss.fff", "22:05:45.123"),
        ("ss.f", "45.1"),
        ("ss.ff", "45.12"),
        ("fffffff", "1234567"),
        ("FFFFFFF", "1234567"),
        ("ss.FFFF", "45.1234"),
        ("'Year: 'yyyy", "Year: 2024"),
        ("\"Q\"yyyy", "Q2024"),
        ("yyyy\\-MM", "2024-03"),
        ("'it''s'", "its"),
        ("'a\\'b'", "a'b"),
        ("\\d\\a\\y d", "day 15"),
        ("gg yyyy", "A.D. 2024"),
        ("HH:mmK", "22:05"),
        ("yyyy/MM/dd", "2024/03/15"),
        ("dd MMM yyyy, ddd", "15 Mar 2024, Fri"),
    ]

    @Test(arguments: Self.customCases)
    func customFormats(spec: String, expected: String) throws {
        #expect(try Self.precise.formatChecked(spec, timeZone: Self.plusOne) == expected)
    }

    @Test func fractionTrimming() throws {
        // F trims zeros and removes a dangling decimal point; f never does.
        #expect(try Self.sample.formatChecked("HH:mm:ss.FFF") == "10:30:00")
        #expect(try Self.sample.formatChecked("HH:mm:ss.fff") == "10:30:00.000")
        let half = try Self.sample.addMilliseconds(500)
        #expect(try half.formatChecked("ss.FFF") == "00.5")
        #expect(try Self.sample.formatChecked("%h' 'tt") == "10 AM")
        let midnight = Self.sample.date
        #expect(try midnight.formatChecked("hh tt") == "12 AM")
        #expect(try midnight.formatChecked("%t") == "A")
    }

    @Test func kindDependentFormats() throws {
        let utc = Self.sample.specifyingKind(.utc)
        let local = Self.sample.specifyingKind(.local)
        #expect(try utc.formatChecked("o", timeZone: Self.plusOne) == "2024-03-15T10:30:00.0000000Z")
        #expect(try local.formatChecked("O", timeZone: Self.plusOne) == "2024-03-15T10:30:00.0000000+01:00")
        #expect(try utc.formatChecked("HH:mmK", timeZone: Self.plusOne) == "10:30Z")
        #expect(try local.formatChecked("HH:mmK", timeZone: Self.plusOne) == "10:30+01:00")
        #expect(try utc.formatChecked("zzz", timeZone: Self.plusOne) == "+00:00")
        #expect(try utc.formatChecked("zz", timeZone: Self.plusOne) == "+00")
        #expect(try utc.formatChecked("%z", timeZone: Self.plusOne) == "+0")
        #expect(try local.formatChecked("zzz", timeZone: Self.plusOne) == "+01:00")
        #expect(try local.formatChecked("zz", timeZone: Self.plusOne) == "+01")
        #expect(try Self.sample.formatChecked("%z", timeZone: Self.plusOne) == "+1")
        let minusFive = TimeZone(secondsFromGMT: -5 * 3600 - 1800)!
        #expect(try local.formatChecked("zzz", timeZone: minusFive) == "-05:30")
        // "u" and "R" never convert; "U" converts to UTC (unspecified is treated as local).
        #expect(try local.formatChecked("u", timeZone: Self.plusOne) == "2024-03-15 10:30:00Z")
        #expect(try Self.sample.formatChecked("U", timeZone: Self.plusOne) == "Friday, 15 March 2024 09:30:00")
        #expect(try utc.formatChecked("U", timeZone: Self.plusOne) == "Friday, 15 March 2024 10:30:00")
        #expect(Self.sample.toString() == "03/15/2024 10:30:00")
        #expect(Self.sample.description == "03/15/2024 10:30:00")
    }

    @Test(arguments: ["Q", "x", "H", "%", "ffffffff", "FFFFFFFF", "'abc", "yyyy\\", "%%", "'a\\"])
    func invalidFormatsThrow(spec: String) {
        #expect(throws: DotNetFormatError.invalidFormat(spec)) {
            try Self.sample.formatChecked(spec)
        }
    }
}
