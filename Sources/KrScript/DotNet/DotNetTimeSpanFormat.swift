// TimeSpan.ToString(format) and TimeSpan.Parse with the invariant culture.

extension DotNetTimeSpan {
    /// TimeSpan.ToString(format): nil/"" and "c"/"t"/"T" give `[-][d.]hh:mm:ss[.fffffff]`,
    /// "g" `[-][d:]h:mm:ss[.FFFFFFF]`, "G" `[-]d:hh:mm:ss.fffffff`, otherwise a custom format.
    /// Invalid formats (a FormatException in .NET) fall back to the default format here; use
    /// `formatChecked` to get the error.
    func format(_ spec: String?) -> String {
        (try? formatChecked(spec)) ?? standardFormat(UInt16(dnAscii: "c"))
    }

    /// Throwing overload chosen for a non-optional String argument (TimeSpan.ToString(string)).
    func format(_ spec: String) throws -> String {
        try formatChecked(spec)
    }

    func formatChecked(_ spec: String?) throws -> String {
        guard let spec, !spec.isEmpty else { return standardFormat(UInt16(dnAscii: "c")) }
        let format = Array(spec.utf16)
        if format.count == 1 {
            switch format[0] {
            case UInt16(dnAscii: "c"), UInt16(dnAscii: "t"), UInt16(dnAscii: "T"):
                return standardFormat(UInt16(dnAscii: "c"))
            case UInt16(dnAscii: "g"), UInt16(dnAscii: "G"):
                return standardFormat(format[0])
            default:
                throw DotNetFormatError.invalidFormat(spec)
            }
        }
        var result: [UInt16] = []
        try formatCustom(format, spec: spec, into: &result)
        return String(decoding: result, as: UTF16.self)
    }

    private func standardFormat(_ kind: UInt16) -> String {
        let magnitude = ticks.magnitude
        let fraction = magnitude % UInt64(DotNetTimeSpan.ticksPerSecond)
        let totalSeconds = magnitude / UInt64(DotNetTimeSpan.ticksPerSecond)
        let days = totalSeconds / 86_400
        let hours = totalSeconds / 3600 % 24
        let minutes = totalSeconds / 60 % 60
        let seconds = totalSeconds % 60
        func pad(_ value: UInt64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var out = ticks < 0 ? "-" : ""
        switch kind {
        case UInt16(dnAscii: "g"):
            if days != 0 { out += "\(days):" }
            out += "\(hours):\(pad(minutes, 2)):\(pad(seconds, 2))"
            if fraction != 0 {
                var text = pad(fraction, 7)
                while text.hasSuffix("0") { text.removeLast() }
                out += "." + text
            }
        case UInt16(dnAscii: "G"):
            out += "\(days):\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(fraction, 7))"
        default:
            if days != 0 { out += "\(days)." }
            out += "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2))"
            if fraction != 0 { out += "." + pad(fraction, 7) }
        }
        return out
    }

    /// Port of TimeSpanFormat.FormatCustomized: d..dddddddd h hh m mm s ss f..fffffff F..FFFFFFF,
    /// quoted literals, `\` escapes and `%`; any other character is a FormatException.
    private func formatCustom(_ format: [UInt16], spec: String, into result: inout [UInt16]) throws {
        var day = ticks / DotNetTimeSpan.ticksPerDay
        var time = ticks % DotNetTimeSpan.ticksPerDay
        if ticks < 0 {
            day = -day
            time = -time
        }
        let hours = Int(time / DotNetTimeSpan.ticksPerHour % 24)
        let minutes = Int(time / DotNetTimeSpan.ticksPerMinute % 60)
        let seconds = Int(time / DotNetTimeSpan.ticksPerSecond % 60)
        let fraction = time % DotNetTimeSpan.ticksPerSecond
        let invalid = DotNetFormatError.invalidFormat(spec)

        var i = 0
        while i < format.count {
            let ch = format[i]
            var tokenLength = 1
            switch ch {
            case UInt16(dnAscii: "h"), UInt16(dnAscii: "m"), UInt16(dnAscii: "s"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength > 2 { throw invalid }
                let value = ch == UInt16(dnAscii: "h") ? hours : ch == UInt16(dnAscii: "m") ? minutes : seconds
                DotNetDateFormatHelpers.appendDigits(&result, Int64(value), minimumLength: tokenLength)
            case UInt16(dnAscii: "f"), UInt16(dnAscii: "F"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength > 7 { throw invalid }
                var value = fraction / DotNetDateFormatHelpers.powerOf10(7 - tokenLength)
                var digits = tokenLength
                if ch == UInt16(dnAscii: "F") {
                    while digits > 0 && value % 10 == 0 {
                        value /= 10
                        digits -= 1
                    }
                }
                if digits > 0 { DotNetDateFormatHelpers.appendDigits(&result, value, minimumLength: digits) }
            case UInt16(dnAscii: "d"):
                tokenLength = DotNetDateFormatHelpers.repeatCount(format, i)
                if tokenLength > 8 { throw invalid }
                DotNetDateFormatHelpers.appendDigits(&result, day, minimumLength: tokenLength)
            case UInt16(dnAscii: "'"), UInt16(dnAscii: "\""):
                tokenLength = try DotNetDateFormatHelpers.appendQuoted(format, i, into: &result, spec: spec)
            case UInt16(dnAscii: "%"):
                guard let next = DotNetDateFormatHelpers.nextChar(format, i), next != UInt16(dnAscii: "%") else {
                    throw invalid
                }
                try formatCustom([next], spec: spec, into: &result)
                tokenLength = 2
            case UInt16(dnAscii: "\\"):
                guard let next = DotNetDateFormatHelpers.nextChar(format, i) else { throw invalid }
                result.append(next)
                tokenLength = 2
            default:
                throw invalid
            }
            i += tokenLength
        }
    }

    /// TimeSpan.Parse (invariant): `[ws][-]{ d | [d.]hh:mm[:ss[.fffffff]] | d:hh:mm:ss[.fffffff] }[ws]`.
    static func parse(_ text: String) -> DotNetTimeSpan? {
        var chars = Array(text.utf8)[...]
        while let first = chars.first, first == 0x20 || first == 0x09 { chars.removeFirst() }
        while let last = chars.last, last == 0x20 || last == 0x09 { chars.removeLast() }
        var negative = false
        if chars.first == UInt8(ascii: "-") {
            negative = true
            chars.removeFirst()
        }
        var numbers: [[UInt8]] = [[]]
        var separators: [UInt8] = []
        for c in chars {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                numbers[numbers.count - 1].append(c)
            } else if c == UInt8(ascii: ":") || c == UInt8(ascii: ".") {
                separators.append(c)
                numbers.append([])
            } else {
                return nil
            }
        }
        guard numbers.allSatisfy({ !$0.isEmpty }) else { return nil }
        func value(_ digits: [UInt8]) -> Int64? {
            digits.count <= 10 ? Int64(String(decoding: digits, as: UTF8.self)) : nil
        }
        let pattern = String(decoding: separators, as: UTF8.self)
        var day: Int64 = 0, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var fractionDigits: [UInt8] = []
        var parts = numbers.map(value)
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        switch pattern {
        case "": day = parts[0]!
        case ":", "::", "::.": break
        case ".:", ".::", ".::.", ":::", ":::.": day = parts.removeFirst()!
        default: return nil
        }
        if !pattern.isEmpty {
            if pattern.hasSuffix("::.") { fractionDigits = numbers[numbers.count - 1] }
            hour = parts[0]!
            minute = parts[1]!
            if parts.count > 2 { second = parts[2]! }
        }
        guard hour <= 23, minute <= 59, second <= 59, fractionDigits.count <= 7, day <= 10_675_199 else {
            return nil
        }
        var fraction: Int64 = 0
        if !fractionDigits.isEmpty {
            fraction = value(fractionDigits)! * DotNetDateFormatHelpers.powerOf10(7 - fractionDigits.count)
        }
        let time = hour * DotNetTimeSpan.ticksPerHour + minute * DotNetTimeSpan.ticksPerMinute
            + second * DotNetTimeSpan.ticksPerSecond + fraction
        let (total, overflow) = (day * DotNetTimeSpan.ticksPerDay).addingReportingOverflow(time)
        guard !overflow else { return nil }
        return DotNetTimeSpan(ticks: negative ? -total : total)
    }
}
