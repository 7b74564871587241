import Foundation

// DateTime.ToString(format) with the invariant culture (port of the logic of .NET's DateTimeFormat).

extension DotNetDateTime {
    /// DateTime.ToString(format, InvariantCulture) with the current time zone for z/K/U. An invalid
    /// format (a FormatException in .NET) falls back to "G" here; use `formatChecked` for the error.
    func format(_ spec: String?) -> String {
        (try? formatChecked(spec)) ?? ((try? formatChecked("G")) ?? "")
    }

    /// Throws DotNetFormatError.invalidFormat where .NET throws FormatException.
    func formatChecked(_ spec: String?, timeZone: TimeZone = .current) throws -> String {
        var value = self
        var pattern = spec ?? ""
        if pattern.isEmpty { pattern = "G" }
        let format = Array(pattern.utf16)
        var custom = format
        if format.count == 1 {
            guard let expanded = DotNetDateTime.standardPattern(format[0]) else {
                throw DotNetFormatError.invalidFormat(pattern)
            }
            if format[0] == UInt16(dnAscii: "U") { value = toUniversalTime(timeZone: timeZone) }
            custom = Array(expanded.utf16)
        }
        var result: [UInt16] = []
        try value.formatCustom(custom, spec: pattern, timeZone: timeZone, into: &result)
        return String(decoding: result, as: UTF16.self)
    }

    /// Invariant DateTimeFormatInfo patterns for the standard format characters.
    static func standardPattern(_ c: UInt16) -> String? {
        switch UInt8(truncatingIfNeeded: c) {
        case _ where c > 0x7F: return nil
        case UInt8(ascii: "d"): return "MM/dd/yyyy"
        case UInt8(ascii: "D"): return "dddd, dd MMMM yyyy"
        case UInt8(ascii: "f"): return "dddd, dd MMMM yyyy HH:mm"
        case UInt8(ascii: "F"), UInt8(ascii: "U"): return "dddd, dd MMMM yyyy HH:mm:ss"
        case UInt8(ascii: "g"): return "MM/dd/yyyy HH:mm"
        case UInt8(ascii: "G"): return "MM/dd/yyyy HH:mm:ss"
        case UInt8(ascii: "m"), UInt8(ascii: "M"): return "MMMM dd"
        case UInt8(ascii: "o"), UInt8(ascii: "O"): return "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK"
        case UInt8(ascii: "r"), UInt8(ascii: "R"): return "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'"
        case UInt8(ascii: "s"): return "yyyy'-'MM'-'dd'T'HH':'mm':'ss"
        case UInt8(ascii: "t"): return "HH:mm"
        case UInt8(ascii: "T"): return "HH:mm:ss"
        case UInt8(ascii: "u"): return "yyyy'-'MM'-'dd HH':'mm':'ss'Z'"
        case UInt8(ascii: "y"), UInt8(ascii: "Y"): return "yyyy MMMM"
        default: return nil
        }
    }

    /// Port of DateTimeFormat.FormatCustomized for a DateTime (no explicit offset).
    private func formatCustom(_ format: [UInt16], spec: String, timeZone: TimeZone,
                              into result: inout [UInt16]) throws {
        let parts = (year: year, month: month, day: day)
        var timeOnly = true
        let invalid = DotNetFormatError.invalidFormat(spec)
        var i = 0
        while i < format.count {
            let ch = format[i]
            var tokenLength = 1
            let ascii = ch < 0x80 ? UInt8(ch) : 0
            switch ascii {
            case UInt8(ascii: "g"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                result += Array("A.D.".utf16)
            case UInt8(ascii: "h"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                let hour12 = hour % 12 == 0 ? 12 : hour % 12
                DotNetDateFormatHelpers.appendDigits(&result, Int64(hour12), minimumLength: min(tokenLength, 2))
            case UInt8(ascii: "H"), UInt8(ascii: "m"), UInt8(ascii: "s"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                let value = ascii == UInt8(ascii: "H") ? hour : ascii == UInt8(ascii: "m") ? minute : second
                DotNetDateFormatHelpers.appendDigits(&result, Int64(value), minimumLength: min(tokenLength, 2))
            case UInt8(ascii: "f"), UInt8(ascii: "F"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                guard tokenLength <= 7 else { throw invalid }
                var fraction = ticks % DotNetTimeSpan.ticksPerSecond / DotNetDateFormatHelpers.powerOf10(7 - tokenLength)
                if ascii == UInt8(ascii: "f") {
                    DotNetDateFormatHelpers.appendDigits(&result, fraction, minimumLength: tokenLength)
                } else {
                    var digits = tokenLength
                    while digits > 0 && fraction % 10 == 0 {
                        fraction /= 10
                        digits -= 1
                    }
                    if digits > 0 {
                        DotNetDateFormatHelpers.appendDigits(&result, fraction, minimumLength: digits)
                    } else if result.last == UInt16(dnAscii: ".") {
                        result.removeLast()
                    }
                }
            case UInt8(ascii: "t"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                let designator = hour < 12 ? "AM" : "PM"
                result += Array((tokenLength == 1 ? String(designator.prefix(1)) : designator).utf16)
            case UInt8(ascii: "d"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength <= 2 {
                    DotNetDateFormatHelpers.appendDigits(&result, Int64(parts.day), minimumLength: tokenLength)
                } else {
                    let names = tokenLength == 3 ? DotNetDateTime.abbreviatedDayNames : DotNetDateTime.dayNames
                    result += Array(names[dayOfWeekNumber].utf16)
                }
                timeOnly = false
            case UInt8(ascii: "M"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength <= 2 {
                    DotNetDateFormatHelpers.appendDigits(&result, Int64(parts.month), minimumLength: tokenLength)
                } else {
                    let names = tokenLength == 3 ? DotNetDateTime.abbreviatedMonthNames : DotNetDateTime.monthNames
                    result += Array(names[parts.month - 1].utf16)
                }
                timeOnly = false
            case UInt8(ascii: "y"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength <= 2 {
                    DotNetDateFormatHelpers.appendDigits(&result, Int64(parts.year % 100), minimumLength: tokenLength)
                } else {
                    DotNetDateFormatHelpers.appendDigits(&result, Int64(parts.year), minimumLength: tokenLength)
                }
                timeOnly = false
            case UInt8(ascii: "z"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                let offset: DotNetTimeSpan
                if timeOnly && ticks < DotNetTimeSpan.ticksPerDay {
                    offset = DotNetDateTime.utcOffset(forUTCTicks: DotNetDateTime.utcNow().ticks, in: timeZone)
                } else if kind == .utc {
                    offset = .zero
                } else {
                    offset = DotNetDateTime.localOffset(forLocalTicks: ticks, in: timeZone)
                }
                appendOffset(offset, tokenLength: tokenLength, into: &result)
            case UInt8(ascii: "K"):
                switch kind {
                case .local:
                    appendOffset(DotNetDateTime.localOffset(forLocalTicks: ticks, in: timeZone), tokenLength: 3,
                                 into: &result)
                case .utc:
                    result.append(UInt16(dnAscii: "Z"))
                case .unspecified:
                    break
                }
            case UInt8(ascii: ":"), UInt8(ascii: "/"):
                result.append(ch)  // invariant TimeSeparator / DateSeparator
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                tokenLength = try DotNetDateFormatHelpers.appendQuoted(format, i, into: &result, spec: spec)
            case UInt8(ascii: "%"):
                guard let next = DotNetDateFormatHelpers.nextChar(format, i), next != UInt16(dnAscii: "%") else {
                    throw invalid
                }
                try formatCustom([next], spec: spec, timeZone: timeZone, into: &result)
                tokenLength = 2
            case UInt8(ascii: "\\"):
                guard let next = DotNetDateFormatHelpers.nextChar(format, i) else { throw invalid }
                result.append(next)
                tokenLength = 2
            default:
                result.append(ch)
            }
            i += tokenLength
        }
    }

    /// "z" -> +1, "zz" -> +01, "zzz" -> +01:00 (also K for local values).
    private func appendOffset(_ offset: DotNetTimeSpan, tokenLength: Int, into result: inout [UInt16]) {
        result.append(UInt16(dnAscii: offset.ticks >= 0 ? "+" : "-"))
        let magnitude = DotNetTimeSpan(ticks: offset.ticks == .min ? .max : abs(offset.ticks))
        DotNetDateFormatHelpers.appendDigits(&result, Int64(magnitude.hours), minimumLength: tokenLength <= 1 ? 1 : 2)
        if tokenLength >= 3 {
            result.append(UInt16(dnAscii: ":"))
            DotNetDateFormatHelpers.appendDigits(&result, Int64(magnitude.minutes), minimumLength: 2)
        }
    }
}

/// Scanning helpers shared by the DateTime and TimeSpan custom format ports.
enum DotNetDateFormatHelpers {
    /// Length of the run of identical characters starting at `position`.
    static func repeatCount(_ format: [UInt16], _ position: Int) -> Int {
        var end = position + 1
        while end < format.count && format[end] == format[position] { end += 1 }
        return end - position
    }

    static func nextChar(_ format: [UInt16], _ position: Int) -> UInt16? {
        position + 1 < format.count ? format[position + 1] : nil
    }

    /// Copies a quoted literal (backslash escapes allowed inside); returns the characters consumed.
    static func appendQuoted(_ format: [UInt16], _ position: Int, into result: inout [UInt16],
                             spec: String) throws -> Int {
        let quote = format[position]
        var pos = position + 1
        while pos < format.count {
            let ch = format[pos]
            pos += 1
            if ch == quote { return pos - position }
            if ch == UInt16(dnAscii: "\\") {
                guard pos < format.count else { throw DotNetFormatError.invalidFormat(spec) }
                result.append(format[pos])
                pos += 1
            } else {
                result.append(ch)
            }
        }
        throw DotNetFormatError.invalidFormat(spec)  // no closing quote
    }

    static func appendDigits(_ result: inout [UInt16], _ value: Int64, minimumLength: Int) {
        let text = Array(String(value.magnitude).utf16)
        if value < 0 { result.append(UInt16(dnAscii: "-")) }
        result += repeatElement(UInt16(dnAscii: "0"), count: max(0, minimumLength - text.count))
        result += text
    }

    static func powerOf10(_ exponent: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
