import Foundation
import Testing
@testable import KrScript

/// DateTime.Parse(s, CultureInfo.InvariantCulture) expectations, i.e. PowerShell's [datetime]'...'.
/// The local zone is fixed at UTC+01:00 and "now" at 2024-06-01 12:00 local.
struct DotNetDateTimeParseTests {
    static let plusOne = TimeZone(secondsFromGMT: 3600)!
    static let now = try! DotNetDateTime(year: 2024, month: 6, day: 1, hour: 12, kind: .local)

    static func parse(_ text: String) -> DotNetDateTime? {
        DotNetDateTime.parse(text, timeZone: plusOne, now: now)
    }

    static let unspecifiedCases: [(String, String)] = [
        ("2024-03-15", "2024-03-15T00:00:00.0000000"),
        ("2024-03-15T10:30:00", "2024-03-15T10:30:00.0000000"),
        ("2024-03-15T10:30", "2024-03-15T10:30:00.0000000"),
        ("2024-03-15T10:30:00.5", "2024-03-15T10:30:00.5000000"),
        ("2024-03-15T10:30:00.1234567", "2024-03-15T10:30:00.1234567"),
        ("2024-03-15 10:30:00", "2024-03-15T10:30:00.0000000"),
        ("  2024-03-15 10:30:00  ", "2024-03-15T10:30:00.0000000"),
        ("2024/03/15", "2024-03-15T00:00:00.0000000"),
        ("2024-3-5", "2024-03-05T00:00:00.0000000"),
        ("03/15/2024", "2024-03-15T00:00:00.0000000"),
        ("3/15/2024", "2024-03-15T00:00:00.0000000"),
        ("03/15/2024 10:30:00", "2024-03-15T10:30:00.0000000"),
        ("03/15/2024 10:30", "2024-03-15T10:30:00.0000000"),
        ("3/5/2024 1:02:03 PM", "2024-03-05T13:02:03.0000000"),
        ("3/5/2024 12:00:00 AM", "2024-03-05T00:00:00.0000000"),
        ("3/5/2024 12:15 PM", "2024-03-05T12:15:00.0000000"),
        ("12/31/99", "1999-12-31T00:00:00.0000000"),
        ("1/1/30", "2030-01-01T00:00:00.0000000"),
        ("15 January 2024", "2024-01-15T00:00:00.0000000"),
        ("15 Jan 2024", "2024-01-15T00:00:00.0000000"),
        ("January 15, 2024", "2024-01-15T00:00:00.0000000"),
        ("Friday, 15 March 2024", "2024-03-15T00:00:00.0000000"),
        ("Friday, 15 March 2024 10:30:00", "2024-03-15T10:30:00.0000000"),
        ("Friday, 15 March 2024 10:30", "2024-03-15T10:30:00.0000000"),
        ("15 March 2024 10:30:00 PM", "2024-03-15T22:30:00.0000000"),
        ("March 15", "2024-03-15T00:00:00.0000000"),
        ("10:30", "2024-06-01T10:30:00.0000000"),
        ("10:30:15", "2024-06-01T10:30:15.0000000"),
        ("10:30 PM", "2024-06-01T22:30:00.0000000"),
    ]

    @Test(arguments: Self.unspecifiedCases)
    func parsesUnspecified(text: String, expected: String) throws {
        let value = try #require(Self.parse(text))
        #expect(value.kind == .unspecified)
        #expect(value.format("o") == expected)
    }

    /// A zone designator gives a Local DateTime converted into the local zone (.NET semantics).
    static let zonedCases: [(String, String)] = [
        ("2024-03-15T10:30:00Z", "2024-03-15T11:30:00.0000000+01:00"),
        ("2024-03-15T10:30:00.25Z", "2024-03-15T11:30:00.2500000+01:00"),
        ("2024-03-15T10:30:00.1234567Z", "2024-03-15T11:30:00.1234567+01:00"),
        ("2024-03-15 10:30:00Z", "2024-03-15T11:30:00.0000000+01:00"),
        ("2024-03-15T10:30:00+05:00", "2024-03-15T06:30:00.0000000+01:00"),
        ("2024-03-15T10:30:00-05:00", "2024-03-15T16:30:00.0000000+01:00"),
        ("2024-03-15T10:30:00+0530", "2024-03-15T06:00:00.0000000+01:00"),
        ("2024-03-15T10:30:00.0000000+01:00", "2024-03-15T10:30:00.0000000+01:00"),
        ("2024-01-01T00:00:00Z", "2024-01-01T01:00:00.0000000+01:00"),
        ("Mon, 15 Jan 2024 10:00:00 GMT", "2024-01-15T11:00:00.0000000+01:00"),
        ("Fri, 15 Mar 2024 10:30:00 GMT", "2024-03-15T11:30:00.0000000+01:00"),
    ]

    @Test(arguments: Self.zonedCases)
    func parsesZoneDesignators(text: String, expected: String) throws {
        let value = try #require(Self.parse(text))
        #expect(value.kind == .local)
        #expect(try value.formatChecked("o", timeZone: Self.plusOne) == expected)
    }

    @Test(arguments: [
        "", "   ", "not a date", "2024-02-30", "2023-02-29", "13/01/2024", "15/03/2024", "25:00",
        "10:60", "Thursday, 15 March 2024", "2024-03-15 10:30:00 XYZ", "Jan",
    ])
    func rejectsInvalidText(text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test func roundTripsItsOwnStandardFormats() throws {
        let value = try DotNetDateTime(year: 2024, month: 3, day: 15, hour: 10, minute: 30, second: 45)
        for spec in ["G", "s", "F", "D", "d", "o", "g", "f"] {
            let text = value.format(spec)
            let parsed = try #require(Self.parse(text), "\(spec): \(text)")
            let expected = spec == "D" || spec == "d" ? value.date
                : spec == "g" || spec == "f" ? try value.addSeconds(-45) : value
            #expect(parsed == expected, "\(spec): \(text)")
        }
    }

    @Test func defaultOverloadUsesTheClock() throws {
        let value = try #require(DotNetDateTime.parse("2024-03-15"))
        #expect(value.format("s") == "2024-03-15T00:00:00")
        let time = try #require(DotNetDateTime.parse("00:00"))
        #expect(time.date == DotNetDateTime.today())
    }
}
