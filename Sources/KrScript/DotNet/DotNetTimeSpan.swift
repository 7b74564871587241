// System.TimeSpan: a signed duration in 100 ns ticks, with .NET formatting and parsing.
// The type is public only because KrScript's public `Value` enum carries it; members are internal.

public struct DotNetTimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    static let ticksPerMillisecond: Int64 = 10_000
    static let ticksPerSecond: Int64 = 10_000_000
    static let ticksPerMinute: Int64 = 600_000_000
    static let ticksPerHour: Int64 = 36_000_000_000
    static let ticksPerDay: Int64 = 864_000_000_000

    static let zero = DotNetTimeSpan(ticks: 0)
    static let maxValue = DotNetTimeSpan(ticks: .max)
    static let minValue = DotNetTimeSpan(ticks: .min)

    var ticks: Int64

    init(ticks: Int64) {
        self.ticks = ticks
    }

    /// new TimeSpan(hours, minutes, seconds).
    init(hours: Int, minutes: Int, seconds: Int) throws {
        try self.init(days: 0, hours: hours, minutes: minutes, seconds: seconds, milliseconds: 0)
    }

    /// new TimeSpan(days, hours, minutes, seconds[, milliseconds]); components may exceed their
    /// usual ranges or be negative, like .NET.
    init(days: Int, hours: Int = 0, minutes: Int = 0, seconds: Int = 0, milliseconds: Int = 0) throws {
        func checked(_ result: (partialValue: Int64, overflow: Bool)) throws -> Int64 {
            if result.overflow { throw DotNetValueError.argumentOutOfRange(DotNetValueError.timeSpanTooLong) }
            return result.partialValue
        }
        var total = try checked(Int64(days).multipliedReportingOverflow(by: 86_400))
        total = try checked(total.addingReportingOverflow(try checked(Int64(hours).multipliedReportingOverflow(by: 3600))))
        total = try checked(total.addingReportingOverflow(try checked(Int64(minutes).multipliedReportingOverflow(by: 60))))
        total = try checked(total.addingReportingOverflow(Int64(seconds)))
        total = try checked(total.multipliedReportingOverflow(by: 1000))
        total = try checked(total.addingReportingOverflow(Int64(milliseconds)))
        let maxMilliseconds = Int64.max / DotNetTimeSpan.ticksPerMillisecond
        let minMilliseconds = Int64.min / DotNetTimeSpan.ticksPerMillisecond
        guard total <= maxMilliseconds && total >= minMilliseconds else {
            throw DotNetValueError.argumentOutOfRange(DotNetValueError.timeSpanTooLong)
        }
        ticks = total * DotNetTimeSpan.ticksPerMillisecond
    }

    /// TimeSpan.FromSeconds(double) (.NET 7+: truncates to whole ticks, no millisecond rounding).
    init(seconds: Double) throws {
        try self.init(interval: seconds, scale: Double(DotNetTimeSpan.ticksPerSecond))
    }

    static func fromDays(_ value: Double) throws -> DotNetTimeSpan {
        try DotNetTimeSpan(interval: value, scale: Double(ticksPerDay))
    }
    static func fromHours(_ value: Double) throws -> DotNetTimeSpan {
        try DotNetTimeSpan(interval: value, scale: Double(ticksPerHour))
    }
    static func fromMinutes(_ value: Double) throws -> DotNetTimeSpan {
        try DotNetTimeSpan(interval: value, scale: Double(ticksPerMinute))
    }
    static func fromSeconds(_ value: Double) throws -> DotNetTimeSpan {
        try DotNetTimeSpan(seconds: value)
    }
    static func fromMilliseconds(_ value: Double) throws -> DotNetTimeSpan {
        try DotNetTimeSpan(interval: value, scale: Double(ticksPerMillisecond))
    }

    private init(interval value: Double, scale: Double) throws {
        if value.isNaN { throw DotNetValueError.argumentOutOfRange(DotNetValueError.timeSpanNaN) }
        let doubleTicks = value * scale
        // (double)long.MaxValue is 2^63: above it overflows, exactly it clamps to MaxValue.
        let limit = 9_223_372_036_854_775_808.0
        guard doubleTicks <= limit && doubleTicks >= -limit else {
            throw DotNetValueError.overflow(DotNetValueError.timeSpanTooLong)
        }
        ticks = doubleTicks == limit ? .max : Int64(doubleTicks)
    }

    // MARK: Components

    var days: Int { Int(ticks / DotNetTimeSpan.ticksPerDay) }
    var hours: Int { Int(ticks / DotNetTimeSpan.ticksPerHour % 24) }
    var minutes: Int { Int(ticks / DotNetTimeSpan.ticksPerMinute % 60) }
    var seconds: Int { Int(ticks / DotNetTimeSpan.ticksPerSecond % 60) }
    var milliseconds: Int { Int(ticks / DotNetTimeSpan.ticksPerMillisecond % 1000) }
    var microseconds: Int { Int(ticks / 10 % 1000) }
    var nanoseconds: Int { Int(ticks % 10 * 100) }

    var totalDays: Double { Double(ticks) / Double(DotNetTimeSpan.ticksPerDay) }
    var totalHours: Double { Double(ticks) / Double(DotNetTimeSpan.ticksPerHour) }
    var totalMinutes: Double { Double(ticks) / Double(DotNetTimeSpan.ticksPerMinute) }
    var totalSeconds: Double { Double(ticks) / Double(DotNetTimeSpan.ticksPerSecond) }
    var totalMilliseconds: Double {
        let value = Double(ticks) / Double(DotNetTimeSpan.ticksPerMillisecond)
        let limit = Double(Int64.max / DotNetTimeSpan.ticksPerMillisecond)
        return min(max(value, -limit - 1), limit)
    }

    // MARK: Arithmetic (OverflowException like .NET)

    func adding(_ other: DotNetTimeSpan) throws -> DotNetTimeSpan {
        let (result, overflow) = ticks.addingReportingOverflow(other.ticks)
        if overflow { throw DotNetValueError.overflow(DotNetValueError.timeSpanTooLong) }
        return DotNetTimeSpan(ticks: result)
    }

    func subtracting(_ other: DotNetTimeSpan) throws -> DotNetTimeSpan {
        let (result, overflow) = ticks.subtractingReportingOverflow(other.ticks)
        if overflow { throw DotNetValueError.overflow(DotNetValueError.timeSpanTooLong) }
        return DotNetTimeSpan(ticks: result)
    }

    func negated() throws -> DotNetTimeSpan {
        if ticks == .min { throw DotNetValueError.overflow(DotNetValueError.negateTwosCompNum) }
        return DotNetTimeSpan(ticks: -ticks)
    }

    /// TimeSpan.Duration(): the absolute value.
    func duration() throws -> DotNetTimeSpan {
        ticks < 0 ? try negated() : self
    }

    static func + (lhs: DotNetTimeSpan, rhs: DotNetTimeSpan) throws -> DotNetTimeSpan {
        try lhs.adding(rhs)
    }

    static func - (lhs: DotNetTimeSpan, rhs: DotNetTimeSpan) throws -> DotNetTimeSpan {
        try lhs.subtracting(rhs)
    }

    static prefix func - (value: DotNetTimeSpan) throws -> DotNetTimeSpan {
        try value.negated()
    }

    public static func < (lhs: DotNetTimeSpan, rhs: DotNetTimeSpan) -> Bool {
        lhs.ticks < rhs.ticks
    }

    public var description: String { format(nil) }
}
