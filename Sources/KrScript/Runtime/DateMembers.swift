import Foundation

/// Members of System.DateTime and System.TimeSpan.
enum DateMembers {
    static func property(_ d: DotNetDateTime, _ n: String) -> Value? {
        switch n {
        case "year": return .int(Int32(d.year))
        case "month": return .int(Int32(d.month))
        case "day": return .int(Int32(d.day))
        case "hour": return .int(Int32(d.hour))
        case "minute": return .int(Int32(d.minute))
        case "second": return .int(Int32(d.second))
        case "millisecond": return .int(Int32(d.millisecond))
        case "dayofweek": return .object(EnumValue(type: dayOfWeekType, name: d.dayOfWeek, raw: d.dayOfWeekNumber))
        case "dayofyear": return .int(Int32(d.dayOfYear))
        case "date": return .dateTime(d.date)
        case "timeofday": return .timeSpan(d.timeOfDay)
        case "ticks": return .long(d.ticks)
        case "kind":
            let name: String
            switch d.kind {
            case .utc: name = "Utc"
            case .local: name = "Local"
            case .unspecified: name = "Unspecified"
            }
            return .string(name)
        default: return nil
        }
    }

    static let dayOfWeekType = DotNetType("System.DayOfWeek", kind: .enumeration, base: .valueType)

    static func property(_ t: DotNetTimeSpan, _ n: String) -> Value? {
        switch n {
        case "days": return .int(Int32(t.days))
        case "hours": return .int(Int32(t.hours))
        case "minutes": return .int(Int32(t.minutes))
        case "seconds": return .int(Int32(t.seconds))
        case "milliseconds": return .int(Int32(t.milliseconds))
        case "ticks": return .long(t.ticks)
        case "totaldays": return .double(t.totalDays)
        case "totalhours": return .double(t.totalHours)
        case "totalminutes": return .double(t.totalMinutes)
        case "totalseconds": return .double(t.totalSeconds)
        case "totalmilliseconds": return .double(t.totalMilliseconds)
        default: return nil
        }
    }

    static func call(_ d: DotNetDateTime, _ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        func x() throws -> Double { try Conversions.toDouble(a[0], l) }
        func wrap(_ f: () throws -> DotNetDateTime) throws -> Value {
            do { return .dateTime(try f()) } catch let e as RuntimeError { throw e } catch {
                throw RuntimeError("The added or subtracted value results in an un-representable DateTime.", at: l, type: .argumentOutOfRangeException)
            }
        }
        switch (n, a.count) {
        case ("tostring", 0): return .string(d.format(nil))
        case ("tostring", 1), ("tostring", 2): return .string(d.format(Conversions.toString(a[0], c)))
        case ("touniversaltime", 0): return .dateTime(d.toUniversalTime())
        case ("tolocaltime", 0): return .dateTime(d.toLocalTime())
        case ("adddays", 1): return try wrap { try d.addingTicks(try Conversions.ticks(try x(), perUnit: 864_000_000_000, l)) }
        case ("addhours", 1): return try wrap { try d.addingTicks(try Conversions.ticks(try x(), perUnit: 36_000_000_000, l)) }
        case ("addminutes", 1): return try wrap { try d.addingTicks(try Conversions.ticks(try x(), perUnit: 600_000_000, l)) }
        case ("addseconds", 1): return try wrap { try d.addingTicks(try Conversions.ticks(try x(), perUnit: 10_000_000, l)) }
        case ("addmilliseconds", 1): return try wrap { try d.addingTicks(try Conversions.ticks(try x(), perUnit: 10_000, l)) }
        case ("addticks", 1): return try wrap { try d.addingTicks(try Conversions.toInt64(a[0], l)) }
        case ("addmonths", 1): return try wrap { try d.addingMonths(Int(try Conversions.toInt32(a[0], l))) }
        case ("addyears", 1): return try wrap { try d.addingMonths(12 * Int(try Conversions.toInt32(a[0], l))) }
        case ("add", 1):
            guard case .timeSpan(let t) = a[0] else { return nil }
            return .dateTime(d.adding(t))
        case ("subtract", 1):
            switch a[0] {
            case .dateTime(let e): return .timeSpan(d.subtracting(e))
            case .timeSpan(let t): return .dateTime(d.adding(DotNetTimeSpan(ticks: -t.ticks)))
            default: return nil
            }
        case ("toshortdatestring", 0): return .string(d.format("d"))
        case ("tolongdatestring", 0): return .string(d.format("D"))
        case ("toshorttimestring", 0): return .string(d.format("t"))
        case ("tolongtimestring", 0): return .string(d.format("T"))
        case ("tofiletime", 0): return .long(d.toUniversalTime().ticks - 504_911_232_000_000_000)
        case ("compareto", 1): return .int(Int32(try Operators.compare(.dateTime(d), a[0], caseSensitive: true, l)))
        default: return nil
        }
    }

    static func call(_ t: DotNetTimeSpan, _ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch (n, a.count) {
        case ("tostring", 0): return .string(t.format(nil))
        case ("tostring", 1):
            do { return .string(try t.format(Conversions.toString(a[0], c))) } catch {
                throw RuntimeError("Input string was not in a correct format.", at: l, type: .formatException)
            }
        case ("add", 1):
            guard case .timeSpan(let u) = a[0] else { return nil }
            return .timeSpan(DotNetTimeSpan(ticks: t.ticks + u.ticks))
        case ("negate", 0): return .timeSpan(DotNetTimeSpan(ticks: -t.ticks))
        case ("duration", 0): return .timeSpan(DotNetTimeSpan(ticks: abs(t.ticks)))
        default: return nil
        }
    }
}
