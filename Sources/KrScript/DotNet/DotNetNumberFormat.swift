// .NET-compatible numeric formatting (invariant culture), ported from the logic of
// System.Number.Formatting (.NET 8): standard formats C D E F G N P R X B and custom formats.

enum DotNetNumberFormat {
    // Invariant NumberFormatInfo values.
    static let negativeSign: [UInt16] = Array("-".utf16)
    static let decimalSeparator = UInt16(dnAscii: ".")
    static let groupSeparator = UInt16(dnAscii: ",")
    static let currencySymbol: [UInt16] = Array("\u{00A4}".utf16)
    static let perMilleSymbol: [UInt16] = Array("\u{2030}".utf16)
    static let maxPrecision = 999_999_999

    /// Formats an integer like Int64.ToString(spec, InvariantCulture). `bits` (32 or 64) is the
    /// width of the .NET type for the two's complement of negative values under X/B; when nil,
    /// Int32 is assumed for values that fit in Int32 (as PowerShell's ints do), else Int64.
    static func format(_ value: Int64, _ spec: String, bits: Int? = nil) throws -> String {
        let format = Array(spec.utf16)
        if format.isEmpty { return String(value) }
        let (fmt, digits) = try parseFormatSpecifier(format, spec: spec)
        let upper = fmt & 0xFFDF
        if upper == UInt16(dnAscii: "G") ? digits < 1 : upper == UInt16(dnAscii: "D") {
            let text = String(value.magnitude)
            let padded = String(repeating: "0", count: max(0, digits - text.count)) + text
            return value < 0 ? "-" + padded : padded
        }
        if upper == UInt16(dnAscii: "X") || upper == UInt16(dnAscii: "B") {
            let is32 = bits.map { $0 <= 32 } ?? (Int64(Int32.min)...Int64(Int32.max) ~= value)
            let pattern = is32 ? UInt64(UInt32(truncatingIfNeeded: value)) : UInt64(bitPattern: value)
            let radix = upper == UInt16(dnAscii: "X") ? 16 : 2
            let text = String(pattern, radix: radix, uppercase: fmt == UInt16(dnAscii: "X"))
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        var number = DotNetNumberBuffer(integer: value)
        if fmt != 0 {
            return try numberToString(&number, fmt, digits, spec: spec)
        }
        return numberToStringFormat(&number, format)
    }

    /// Formats a double like Double.ToString(spec, InvariantCulture) on .NET Core 3.0+.
    static func format(_ value: Double, _ spec: String) throws -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let format = Array(spec.utf16)
        var (fmt, precision) = try parseFormatSpecifier(format, spec: spec)
        if fmt == 0 { precision = 15 }  // DoublePrecisionCustomFormat
        let maxDigits = precision
        var isSignificantDigits = true
        switch UInt8(truncatingIfNeeded: fmt) {
        case 0:
            break
        case UInt8(ascii: "C"), UInt8(ascii: "c"), UInt8(ascii: "F"), UInt8(ascii: "f"),
             UInt8(ascii: "N"), UInt8(ascii: "n"):
            if precision == -1 { precision = 2 }
            isSignificantDigits = false
        case UInt8(ascii: "E"), UInt8(ascii: "e"):
            if precision == -1 { precision = 6 }
            precision += 1
        case UInt8(ascii: "G"), UInt8(ascii: "g"):
            if precision == 0 { precision = -1 }
        case UInt8(ascii: "P"), UInt8(ascii: "p"):
            if precision == -1 { precision = 2 }
            precision += 2
            isSignificantDigits = false
        case UInt8(ascii: "R"), UInt8(ascii: "r"):
            precision = -1
        default:
            throw DotNetFormatError.invalidFormat(spec)
        }
        var number = DotNetNumberBuffer(double: value, precision: precision,
                                        isSignificantDigits: isSignificantDigits)
        if fmt != 0 {
            let digits = precision == -1 ? max(number.digits.count, 17) : maxDigits
            return try numberToString(&number, fmt, digits, spec: spec)
        }
        return numberToStringFormat(&number, format)
    }

    /// How PowerShell renders a double ("$d", host output): 15 significant digits ("G15").
    static func powerShellString(_ value: Double) -> String {
        (try? format(value, "G15")) ?? value.description
    }

    // MARK: - Standard formats

    /// Port of Number.ParseFormatSpecifier: returns (format char or 0 for custom, precision or -1).
    static func parseFormatSpecifier(_ format: [UInt16], spec: String) throws -> (UInt16, Int) {
        guard let c = format.first else { return (UInt16(dnAscii: "G"), -1) }
        let isLetter = (UInt16(dnAscii: "A")...UInt16(dnAscii: "Z")).contains(c)
            || (UInt16(dnAscii: "a")...UInt16(dnAscii: "z")).contains(c)
        if isLetter {
            var n = 0
            var i = 1
            while i < format.count, let d = asciiDigit(format[i]) {
                n = n * 10 + d
                if n > maxPrecision { throw DotNetFormatError.invalidFormat(spec) }
                i += 1
            }
            if i == format.count || format[i] == 0 { return (c, i == 1 ? -1 : n) }
        }
        return (c == 0 ? UInt16(dnAscii: "G") : 0, -1)
    }

    static func asciiDigit(_ c: UInt16) -> Int? {
        c >= UInt16(dnAscii: "0") && c <= UInt16(dnAscii: "9") ? Int(c - UInt16(dnAscii: "0")) : nil
    }

    static func numberToString(_ number: inout DotNetNumberBuffer, _ fmt: UInt16, _ maxDigits: Int,
                               spec: String) throws -> String {
        let isCorrectlyRounded = number.kind == .floatingPoint
        var nMaxDigits = maxDigits
        var sb: [UInt16] = []
        switch UInt8(truncatingIfNeeded: fmt) {
        case UInt8(ascii: "C"), UInt8(ascii: "c"):
            if nMaxDigits < 0 { nMaxDigits = 2 }
            number.round(to: number.scale + nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            // Invariant patterns: positive "$n", negative "($n)".
            if number.isNegative { sb.append(UInt16(dnAscii: "(")) }
            sb += currencySymbol
            formatFixed(&sb, number, nMaxDigits, grouped: true)
            if number.isNegative { sb.append(UInt16(dnAscii: ")")) }
        case UInt8(ascii: "F"), UInt8(ascii: "f"):
            if nMaxDigits < 0 { nMaxDigits = 2 }
            number.round(to: number.scale + nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            if number.isNegative { sb += negativeSign }
            formatFixed(&sb, number, nMaxDigits, grouped: false)
        case UInt8(ascii: "N"), UInt8(ascii: "n"):
            if nMaxDigits < 0 { nMaxDigits = 2 }
            number.round(to: number.scale + nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            if number.isNegative { sb += negativeSign }  // invariant NumberNegativePattern 1: "-n"
            formatFixed(&sb, number, nMaxDigits, grouped: true)
        case UInt8(ascii: "E"), UInt8(ascii: "e"):
            if nMaxDigits < 0 { nMaxDigits = 6 }
            nMaxDigits += 1
            number.round(to: nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            if number.isNegative { sb += negativeSign }
            formatScientific(&sb, number, nMaxDigits, expChar: fmt)
        case UInt8(ascii: "G"), UInt8(ascii: "g"), UInt8(ascii: "R"), UInt8(ascii: "r"):
            let isRoundTrip = fmt == UInt16(dnAscii: "R") || fmt == UInt16(dnAscii: "r")
            if isRoundTrip && number.kind != .floatingPoint { throw DotNetFormatError.invalidFormat(spec) }
            if nMaxDigits < 1 { nMaxDigits = number.digits.count }
            number.round(to: nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            if number.isNegative { sb += negativeSign }
            let isUpper = fmt == UInt16(dnAscii: "G") || fmt == UInt16(dnAscii: "R")
            formatGeneral(&sb, number, nMaxDigits, expChar: UInt16(dnAscii: isUpper ? "E" : "e"))
        case UInt8(ascii: "P"), UInt8(ascii: "p"):
            if nMaxDigits < 0 { nMaxDigits = 2 }
            number.scale += 2
            number.round(to: number.scale + nMaxDigits, isCorrectlyRounded: isCorrectlyRounded)
            // Invariant patterns: positive "n %", negative "-n %".
            if number.isNegative { sb += negativeSign }
            formatFixed(&sb, number, nMaxDigits, grouped: true)
            sb += Array(" %".utf16)
        default:
            throw DotNetFormatError.invalidFormat(spec)
        }
        return String(decoding: sb, as: UTF16.self)
    }

    static func formatFixed(_ sb: inout [UInt16], _ number: DotNetNumberBuffer, _ maxDigits: Int,
                            grouped: Bool) {
        var digPos = number.scale
        var digIndex = 0
        if digPos > 0 {
            var integral: [UInt16] = []
            for i in 0..<digPos {
                let d = number.digit(i)
                integral.append(UInt16(d != 0 ? d : UInt8(ascii: "0")))
            }
            if grouped {
                for (offset, c) in integral.enumerated() {
                    if offset > 0 && (digPos - offset) % 3 == 0 { sb.append(groupSeparator) }
                    sb.append(c)
                }
            } else {
                sb += integral
            }
            digIndex = min(digPos, number.digits.count)
            digPos = 0
        } else {
            sb.append(UInt16(dnAscii: "0"))
        }
        var remaining = maxDigits
        if remaining > 0 {
            sb.append(decimalSeparator)
            if digPos < 0 {
                let zeroes = min(-digPos, remaining)
                sb += repeatElement(UInt16(dnAscii: "0"), count: zeroes)
                remaining -= zeroes
            }
            while remaining > 0 {
                let d = number.digit(digIndex)
                if d != 0 { digIndex += 1 }
                sb.append(UInt16(d != 0 ? d : UInt8(ascii: "0")))
                remaining -= 1
            }
        }
    }

    static func formatScientific(_ sb: inout [UInt16], _ number: DotNetNumberBuffer, _ maxDigits: Int,
                                 expChar: UInt16) {
        var digIndex = 0
        func next() -> UInt16 {
            let d = number.digit(digIndex)
            if d != 0 { digIndex += 1 }
            return UInt16(d != 0 ? d : UInt8(ascii: "0"))
        }
        sb.append(next())
        if maxDigits != 1 { sb.append(decimalSeparator) }
        var remaining = maxDigits
        while remaining > 1 {
            sb.append(next())
            remaining -= 1
        }
        let exponent = number.digit(0) == 0 ? 0 : number.scale - 1
        formatExponent(&sb, exponent, expChar: expChar, minDigits: 3, positiveSign: true)
    }

    static func formatExponent(_ sb: inout [UInt16], _ value: Int, expChar: UInt16, minDigits: Int,
                               positiveSign: Bool) {
        sb.append(expChar)
        if value < 0 {
            sb += negativeSign
        } else if positiveSign {
            sb.append(UInt16(dnAscii: "+"))
        }
        let text = String(value.magnitude)
        sb += repeatElement(UInt16(dnAscii: "0"), count: max(0, minDigits - text.count))
        sb += Array(text.utf16)
    }

    static func formatGeneral(_ sb: inout [UInt16], _ number: DotNetNumberBuffer, _ maxDigits: Int,
                              expChar: UInt16) {
        var digPos = number.scale
        var scientific = false
        if digPos > maxDigits || digPos < -3 {
            digPos = 1
            scientific = true
        }
        var digIndex = 0
        if digPos > 0 {
            repeat {
                let d = number.digit(digIndex)
                if d != 0 { digIndex += 1 }
                sb.append(UInt16(d != 0 ? d : UInt8(ascii: "0")))
                digPos -= 1
            } while digPos > 0
        } else {
            sb.append(UInt16(dnAscii: "0"))
        }
        if number.digit(digIndex) != 0 || digPos < 0 {
            sb.append(decimalSeparator)
            while digPos < 0 {
                sb.append(UInt16(dnAscii: "0"))
                digPos += 1
            }
            while number.digit(digIndex) != 0 {
                sb.append(UInt16(number.digit(digIndex)))
                digIndex += 1
            }
        }
        if scientific {
            formatExponent(&sb, number.scale - 1, expChar: expChar, minDigits: 2, positiveSign: true)
        }
    }
}
