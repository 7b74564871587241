import Foundation

/// System.DateTime: 100 ns ticks since 0001-01-01T00:00:00 (proleptic Gregorian) plus a Kind.
/// Like .NET, equality, hashing and ordering look at the ticks only, never at the kind.
/// The type (and Kind) are public because KrScript's public `Value` enum carries it; members are internal.
public struct DotNetDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unspecified, utc, local
    }

    static let maxTicks: Int64 = 3_155_378_975_999_999_999
    static let unixEpochTicks: Int64 = 621_355_968_000_000_000
    static let minValue = DotNetDateTime(uncheckedTicks: 0, kind: .unspecified)
    static let maxValue = DotNetDateTime(uncheckedTicks: maxTicks, kind: .unspecified)

    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let abbreviatedDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
    static let abbreviatedMonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let daysToMonth365 = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
    private static let daysToMonth366 = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366]

    let ticks: Int64
    let kind: Kind

    init(uncheckedTicks: Int64, kind: Kind) {
        self.ticks = uncheckedTicks
        self.kind = kind
    }

    /// new DateTime(ticks, kind).
    init(ticks: Int64, kind: Kind = .unspecified) throws {
        guard ticks >= 0 && ticks <= DotNetDateTime.maxTicks else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badTicks)
        }
        self.init(uncheckedTicks: ticks, kind: kind)
    }

    /// new DateTime(year, month, day, hour, minute, second, millisecond, kind).
    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
         millisecond: Int = 0, kind: Kind = .unspecified) throws {
        guard year >= 1 && year <= 9999 && month >= 1 && month <= 12
            && day >= 1 && day <= DotNetDateTime.daysInMonth(year: year, month: month) else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badYearMonthDay)
        }
        guard hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badHourMinuteSecond)
        }
        guard millisecond >= 0 && millisecond < 1000 else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badMillisecond)
        }
        let days = DotNetDateTime.daysToYear(year) + DotNetDateTime.daysToMonth(year: year, month: month) + Int64(day - 1)
        let time = Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        let ticks = days * DotNetTimeSpan.ticksPerDay + time * DotNetTimeSpan.ticksPerSecond
            + Int64(millisecond) * DotNetTimeSpan.ticksPerMillisecond
        self.init(uncheckedTicks: ticks, kind: kind)
    }

    // MARK: Calendar helpers

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        let table = isLeapYear(year) ? daysToMonth366 : daysToMonth365
        return table[month] - table[month - 1]
    }

    private static func daysToYear(_ year: Int) -> Int64 {
        let y = Int64(year - 1)
        return y * 365 + y / 4 - y / 100 + y / 400
    }

    private static func daysToMonth(year: Int, month: Int) -> Int64 {
        Int64((isLeapYear(year) ? daysToMonth366 : daysToMonth365)[month - 1])
    }

    /// (year, month, day, dayOfYear) from the day number, like DateTime.GetDate.
    private var dateParts: (year: Int, month: Int, day: Int, dayOfYear: Int) {
        var n = Int(ticks / DotNetTimeSpan.ticksPerDay)
        let y400 = n / 146_097
        n -= y400 * 146_097
        var y100 = n / 36_524
        if y100 == 4 { y100 = 3 }
        n -= y100 * 36_524
        let y4 = n / 1461
        n -= y4 * 1461
        var y1 = n / 365
        if y1 == 4 { y1 = 3 }
        n -= y1 * 365
        let year = y400 * 400 + y100 * 100 + y4 * 4 + y1 + 1
        let table = DotNetDateTime.isLeapYear(year) ? DotNetDateTime.daysToMonth366 : DotNetDateTime.daysToMonth365
        var month = (n >> 5) + 1
        while n >= table[month] { month += 1 }
        return (year, month, n - table[month - 1] + 1, n + 1)
    }

    // MARK: Properties

    var year: Int { dateParts.year }
    var month: Int { dateParts.month }
    var day: Int { dateParts.day }
    var dayOfYear: Int { dateParts.dayOfYear }
    var hour: Int { Int(ticks / DotNetTimeSpan.ticksPerHour % 24) }
    var minute: Int { Int(ticks / DotNetTimeSpan.ticksPerMinute % 60) }
    var second: Int { Int(ticks / DotNetTimeSpan.ticksPerSecond % 60) }
    var millisecond: Int { Int(ticks / DotNetTimeSpan.ticksPerMillisecond % 1000) }
    var microsecond: Int { Int(ticks / 10 % 1000) }
    var nanosecond: Int { Int(ticks % 10 * 100) }
    /// System.DayOfWeek as a number: 0 = Sunday ... 6 = Saturday.
    var dayOfWeekNumber: Int { Int((ticks / DotNetTimeSpan.ticksPerDay + 1) % 7) }
    /// System.DayOfWeek name, e.g. "Friday".
    var dayOfWeek: String { DotNetDateTime.dayNames[dayOfWeekNumber] }
    /// Midnight of the same day, same kind.
    var date: DotNetDateTime {
        DotNetDateTime(uncheckedTicks: ticks - ticks % DotNetTimeSpan.ticksPerDay, kind: kind)
    }
    var timeOfDay: DotNetTimeSpan { DotNetTimeSpan(ticks: ticks % DotNetTimeSpan.ticksPerDay) }

    func specifyingKind(_ kind: Kind) -> DotNetDateTime {
        DotNetDateTime(uncheckedTicks: ticks, kind: kind)
    }

    // MARK: Clock

    static func utcNow() -> DotNetDateTime {
        let seconds = Date().timeIntervalSince1970
        let ticks = unixEpochTicks + Int64((seconds * 10_000_000).rounded(.down))
        return DotNetDateTime(uncheckedTicks: min(max(ticks, 0), maxTicks), kind: .utc)
    }

    static func now(timeZone: TimeZone = .current) -> DotNetDateTime {
        utcNow().toLocalTime(timeZone: timeZone)
    }

    static func today(timeZone: TimeZone = .current) -> DotNetDateTime {
        now(timeZone: timeZone).date
    }

    // MARK: Time zone conversion

    private static func offsetTicks(atUTC utcTicks: Int64, in timeZone: TimeZone) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(utcTicks - unixEpochTicks) / 10_000_000)
        return Int64(timeZone.secondsFromGMT(for: date)) * DotNetTimeSpan.ticksPerSecond
    }

    /// The UTC offset that applies to a local wall-clock time; ambiguous and invalid (skipped)
    /// local times use the standard (smaller) offset, like TimeZoneInfo.GetUtcOffset.
    static func localOffset(forLocalTicks local: Int64, in timeZone: TimeZone) -> DotNetTimeSpan {
        let day = DotNetTimeSpan.ticksPerDay
        let candidates = Set([local - day, local, local + day].map { offsetTicks(atUTC: $0, in: timeZone) })
        let valid = candidates.filter { offsetTicks(atUTC: local - $0, in: timeZone) == $0 }
        return DotNetTimeSpan(ticks: (valid.isEmpty ? candidates : valid).min() ?? 0)
    }

    /// The UTC offset of the instant represented by a UTC value.
    static func utcOffset(forUTCTicks utc: Int64, in timeZone: TimeZone) -> DotNetTimeSpan {
        DotNetTimeSpan(ticks: offsetTicks(atUTC: utc, in: timeZone))
    }

    /// ToLocalTime: .local stays; .utc and .unspecified are treated as UTC. Clamps like .NET.
    func toLocalTime(timeZone: TimeZone = .current) -> DotNetDateTime {
        if kind == .local { return self }
        let local = ticks + DotNetDateTime.offsetTicks(atUTC: ticks, in: timeZone)
        return DotNetDateTime(uncheckedTicks: min(max(local, 0), DotNetDateTime.maxTicks), kind: .local)
    }

    /// ToUniversalTime: .utc stays; .local and .unspecified are treated as local. Clamps like .NET.
    func toUniversalTime(timeZone: TimeZone = .current) -> DotNetDateTime {
        if kind == .utc { return self }
        let utc = ticks - DotNetDateTime.localOffset(forLocalTicks: ticks, in: timeZone).ticks
        return DotNetDateTime(uncheckedTicks: min(max(utc, 0), DotNetDateTime.maxTicks), kind: .utc)
    }

    // MARK: Arithmetic (ArgumentOutOfRangeException like .NET)

    func addingTicks(_ value: Int64) throws -> DotNetDateTime {
        let (result, overflow) = ticks.addingReportingOverflow(value)
        guard !overflow && result >= 0 && result <= DotNetDateTime.maxTicks else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.dateArithmetic)
        }
        return DotNetDateTime(uncheckedTicks: result, kind: kind)
    }

    func add(_ value: DotNetTimeSpan) throws -> DotNetDateTime { try addingTicks(value.ticks) }

    /// DateTime.AddUnits (.NET 7+): whole units exactly, the fraction truncated to ticks.
    private func addUnits(_ value: Double, maxUnits: Int64, ticksPerUnit: Int64) throws -> DotNetDateTime {
        guard value.isFinite && abs(value) <= Double(maxUnits) else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.dateArithmetic)
        }
        let integral = value.rounded(.towardZero)
        let fractionTicks = Int64((value - integral) * Double(ticksPerUnit))
        return try addingTicks(Int64(integral) * ticksPerUnit + fractionTicks)
    }

    private static let maxDays: Int64 = 3_652_059  // days from MinValue to MaxValue

    func addDays(_ value: Double) throws -> DotNetDateTime {
        try addUnits(value, maxUnits: DotNetDateTime.maxDays, ticksPerUnit: DotNetTimeSpan.ticksPerDay)
    }
    func addHours(_ value: Double) throws -> DotNetDateTime {
        try addUnits(value, maxUnits: DotNetDateTime.maxDays * 24, ticksPerUnit: DotNetTimeSpan.ticksPerHour)
    }
    func addMinutes(_ value: Double) throws -> DotNetDateTime {
        try addUnits(value, maxUnits: DotNetDateTime.maxDays * 1440, ticksPerUnit: DotNetTimeSpan.ticksPerMinute)
    }
    func addSeconds(_ value: Double) throws -> DotNetDateTime {
        try addUnits(value, maxUnits: DotNetDateTime.maxDays * 86_400, ticksPerUnit: DotNetTimeSpan.ticksPerSecond)
    }
    func addMilliseconds(_ value: Double) throws -> DotNetDateTime {
        try addUnits(value, maxUnits: DotNetDateTime.maxDays * 86_400_000,
                     ticksPerUnit: DotNetTimeSpan.ticksPerMillisecond)
    }

    /// AddMonths: the day is clamped to the length of the target month.
    func addMonths(_ months: Int) throws -> DotNetDateTime {
        guard months >= -120_000 && months <= 120_000 else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badMonths)
        }
        let parts = dateParts
        var y = parts.year
        var m = parts.month + months
        let q = m > 0 ? (m - 1) / 12 : m / 12 - 1
        y += q
        m -= q * 12
        guard y >= 1 && y <= 9999 else { throw DotNetValueError.argumentOutOfRange(DotNetValueError.dateArithmetic) }
        let d = min(parts.day, DotNetDateTime.daysInMonth(year: y, month: m))
        let days = DotNetDateTime.daysToYear(y) + DotNetDateTime.daysToMonth(year: y, month: m) + Int64(d - 1)
        return DotNetDateTime(uncheckedTicks: days * DotNetTimeSpan.ticksPerDay + ticks % DotNetTimeSpan.ticksPerDay,
                              kind: kind)
    }

    /// AddYears: 29 February becomes 28 February in a non-leap year.
    func addYears(_ years: Int) throws -> DotNetDateTime {
        guard years >= -10_000 && years <= 10_000 else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.badYears)
        }
        return try addMonths(years * 12)
    }

    /// Convenience for callers that cannot throw: like `add(_:)` but clamps to MinValue/MaxValue
    /// instead of throwing ArgumentOutOfRangeException. Prefer `add(_:)` for .NET semantics.
    func adding(_ value: DotNetTimeSpan) -> DotNetDateTime {
        let (result, overflow) = ticks.addingReportingOverflow(value.ticks)
        let clamped = overflow ? (value.ticks < 0 ? 0 : DotNetDateTime.maxTicks) : min(max(result, 0), DotNetDateTime.maxTicks)
        return DotNetDateTime(uncheckedTicks: clamped, kind: kind)
    }

    /// DateTime.Subtract(DateTime): never overflows.
    func subtracting(_ other: DotNetDateTime) -> DotNetTimeSpan { self - other }

    /// Alias of `addMonths(_:)`.
    func addingMonths(_ months: Int) throws -> DotNetDateTime { try addMonths(months) }

    static func - (lhs: DotNetDateTime, rhs: DotNetDateTime) -> DotNetTimeSpan {
        DotNetTimeSpan(ticks: lhs.ticks - rhs.ticks)
    }

    static func - (lhs: DotNetDateTime, rhs: DotNetTimeSpan) throws -> DotNetDateTime {
        guard rhs.ticks != .min else { throw DotNetValueError.argumentOutOfRange(DotNetValueError.dateArithmetic) }
        return try lhs.addingTicks(-rhs.ticks)
    }

    static func + (lhs: DotNetDateTime, rhs: DotNetTimeSpan) throws -> DotNetDateTime {
        try lhs.addingTicks(rhs.ticks)
    }

    // MARK: Equality / ordering on ticks only

    public static func == (lhs: DotNetDateTime, rhs: DotNetDateTime) -> Bool { lhs.ticks == rhs.ticks }
    public static func < (lhs: DotNetDateTime, rhs: DotNetDateTime) -> Bool { lhs.ticks < rhs.ticks }
    public func hash(into hasher: inout Hasher) { hasher.combine(ticks) }

    /// DateTime.ToString() with the invariant culture ("G").
    func toString() -> String { format(nil) }
    public var description: String { toString() }
}
