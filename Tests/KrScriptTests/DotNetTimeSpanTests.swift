import Testing
@testable import KrScript

/// System.TimeSpan expectations (invariant culture).
struct DotNetTimeSpanTests {
    static let sample = try! DotNetTimeSpan(days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 500)

    @Test func componentsAndTotals() throws {
        let value = Self.sample
        #expect(value.ticks == 937_845_000_000)
        #expect(value.days == 1)
        #expect(value.hours == 2)
        #expect(value.minutes == 3)
        #expect(value.seconds == 4)
        #expect(value.milliseconds == 500)
        #expect(value.totalSeconds == 93_784.5)
        #expect(value.totalMilliseconds == 93_784_500)
        #expect(value.totalMinutes == 1563.075)
        #expect(abs(value.totalHours - 26.05125) < 1e-12)
        #expect(abs(value.totalDays - 1.085468750) < 1e-12)
        let negative = try DotNetTimeSpan(seconds: -90)
        #expect(negative.minutes == -1)
        #expect(negative.seconds == -30)
        #expect(negative.totalSeconds == -90)
        #expect(try DotNetTimeSpan(hours: 1, minutes: 30, seconds: 0).totalMinutes == 90)
        #expect(try DotNetTimeSpan(days: 0, hours: 25).format(nil) == "1.01:00:00")
        #expect(try DotNetTimeSpan(days: 0, minutes: -1, seconds: 30).format(nil) == "-00:00:30")
        #expect(try DotNetTimeSpan(seconds: 1.5).ticks == 15_000_000)
        #expect(try DotNetTimeSpan.fromMinutes(1.5).format(nil) == "00:01:30")
        #expect(try DotNetTimeSpan.fromHours(36).format(nil) == "1.12:00:00")
        #expect(try DotNetTimeSpan.fromDays(0.5).format(nil) == "12:00:00")
        #expect(try DotNetTimeSpan.fromMilliseconds(250).format(nil) == "00:00:00.2500000")
    }

    @Test func errors() {
        #expect(throws: DotNetValueError.self) { try DotNetTimeSpan(seconds: .nan) }
        #expect(throws: DotNetValueError.self) { try DotNetTimeSpan(seconds: 1e300) }
        #expect(throws: DotNetValueError.self) { try DotNetTimeSpan(days: 10_675_200) }
        #expect(throws: DotNetValueError.overflow(DotNetValueError.timeSpanTooLong)) {
            try DotNetTimeSpan.maxValue + DotNetTimeSpan(ticks: 1)
        }
        #expect(throws: DotNetValueError.self) { try -DotNetTimeSpan.minValue }
    }

    @Test func formatOverloads() throws {
        #expect(Self.sample.format(nil) == "1.02:03:04.5000000")
        #expect(try Self.sample.format("hh\\:mm") == "02:03")
        #expect(Self.sample.description == "1.02:03:04.5000000")
    }

    @Test func arithmeticAndOrder() throws {
        let a = try DotNetTimeSpan(hours: 1, minutes: 0, seconds: 0)
        let b = try DotNetTimeSpan(hours: 0, minutes: 30, seconds: 0)
        #expect(try (a + b).format(nil) == "01:30:00")
        #expect(try (b - a).format(nil) == "-00:30:00")
        #expect(try (-a).format(nil) == "-01:00:00")
        #expect(try (b - a).duration() == b)
        #expect(b < a)
        #expect([a, b].min() == b)
    }

    static let formatCases: [(Int64, String?, String)] = [
        (900_000_000, nil, "00:01:30"),
        (900_000_000, "c", "00:01:30"),
        (937_845_000_000, nil, "1.02:03:04.5000000"),
        (-937_845_000_000, nil, "-1.02:03:04.5000000"),
        (937_845_000_000, "g", "1:2:03:04.5"),
        (900_000_000, "g", "0:01:30"),
        (-900_000_000, "g", "-0:01:30"),
        (937_845_000_000, "G", "1:02:03:04.5000000"),
        (900_000_000, "G", "0:00:01:30.0000000"),
        (0, nil, "00:00:00"),
        (1, nil, "00:00:00.0000001"),
        (Int64.max, nil, "10675199.02:48:05.4775807"),
        (Int64.min, nil, "-10675199.02:48:05.4775808"),
        (937_845_000_000, "hh\\:mm", "02:03"),
        (937_845_000_000, "hh\\:mm\\:ss", "02:03:04"),
        (937_845_000_000, "d\\.hh\\:mm\\:ss", "1.02:03:04"),
        (937_845_000_000, "%d", "1"),
        (937_845_000_000, "%m", "3"),
        (937_845_000_000, "mm", "03"),
        (937_845_000_000, "ss\\.fff", "04.500"),
        (937_845_000_000, "ss\\.FFF", "04.5"),
        (937_845_000_000, "dddddddd", "00000001"),
        (937_845_000_000, "'Days: 'd", "Days: 1"),
        (-937_845_000_000, "hh\\:mm", "02:03"),
        (360_000_000_000, "%h' hours'", "10 hours"),
    ]

    @Test(arguments: Self.formatCases)
    func formats(ticks: Int64, spec: String?, expected: String) throws {
        #expect(try DotNetTimeSpan(ticks: ticks).formatChecked(spec) == expected)
    }

    @Test(arguments: ["hhh", "x", "hh:mm", "ffffffff", "ddddddddd", "'abc", "hh\\", "%"])
    func invalidFormatsThrow(spec: String) {
        #expect(throws: DotNetFormatError.invalidFormat(spec)) {
            try Self.sample.formatChecked(spec)
        }
        #expect(throws: DotNetFormatError.invalidFormat(spec)) {
            try Self.sample.format(spec)  // the non-optional String overload throws
        }
        let optionalSpec: String? = spec
        #expect(Self.sample.format(optionalSpec) == "1.02:03:04.5000000")
    }

    static let parseCases: [(String, String)] = [
        ("01:30", "01:30:00"),
        ("1:30", "01:30:00"),
        ("01:30:15", "01:30:15"),
        ("1.02:03:04", "1.02:03:04"),
        ("1.02:03", "1.02:03:00"),
        ("00:00:01.5", "00:00:01.5000000"),
        ("1.02:03:04.1234567", "1.02:03:04.1234567"),
        ("-00:01:30", "-00:01:30"),
        ("5", "5.00:00:00"),
        (" 10:00 ", "10:00:00"),
        ("1:02:03:04", "1.02:03:04"),
        ("10675199.02:48:05.4775807", "10675199.02:48:05.4775807"),
    ]

    @Test(arguments: Self.parseCases)
    func parses(text: String, expected: String) throws {
        let value = try #require(DotNetTimeSpan.parse(text))
        #expect(value.format(nil) == expected)
    }

    @Test(arguments: ["", "abc", "24:00:00", "00:60:00", "00:00:60", "1.", "10:", "1.2.3",
                      "00:00:00.12345678", "99999999.00:00:00"])
    func rejectsInvalidText(text: String) {
        #expect(DotNetTimeSpan.parse(text) == nil)
    }
}
