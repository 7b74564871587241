/// Writing JSON as ConvertTo-Json does (Newtonsoft.Json's JsonConvert.SerializeObject).
extension JSONText {
    /// `-Compress`: `{"name":"api","port":8080}`. Otherwise Newtonsoft's indented layout: two spaces,
    /// `"key": value`, one element per line, `[]` and `{}` for empty containers. Top-level scalars are bare.
    static func write(_ node: JSONNode, compress: Bool = false) -> String {
        var output = ""
        write(node, compress: compress, indent: 0, into: &output)
        return output
    }

    private static func write(_ node: JSONNode, compress: Bool, indent: Int, into output: inout String) {
        switch node {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .bigInt(let text): output += text
        case .double(let value): output += formatDouble(value)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                newline(compress, indent + 1, &output)
                write(element, compress: compress, indent: indent + 1, into: &output)
            }
            newline(compress, indent, &output)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                newline(compress, indent + 1, &output)
                writeString(key, into: &output)
                output += compress ? ":" : ": "
                write(value, compress: compress, indent: indent + 1, into: &output)
            }
            newline(compress, indent, &output)
            output += "}"
        }
    }

    private static func newline(_ compress: Bool, _ indent: Int, _ output: inout String) {
        guard !compress else { return }
        output += "\n"
        output += String(repeating: " ", count: indent * 2)
    }

    /// Newtonsoft's default escaping: `"` `\` and the control characters (`\n \r \t \b \f`, others as
    /// lower-case `\u001f`), plus U+0085, U+2028 and U+2029. Everything else, non-ASCII included, is literal.
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// Newtonsoft writes a double as .NET's shortest round-trip text ("R") and appends `.0` when that has
    /// no `.` or exponent: `1.5`, `2.0`, `1E+20`, `1E-05`, `1E+17`, `1000000000000000.0`.
    /// NaN and the infinities are written as strings (`"NaN"`, `"Infinity"`, `"-Infinity"`).
    static func formatDouble(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        let text = dotNetRoundTrip(value)
        return text.contains(where: { $0 == "." || $0 == "E" }) ? text : text + ".0"
    }

    /// `double.ToString("R", InvariantCulture)` on .NET Core 3.0+: the shortest digits that round-trip,
    /// in fixed notation unless it has more integer digits than max(17, its digit count) or is below
    /// 0.0001 (then `1.5E+20`, `1E-05`): .NET's "G" with MaxRoundTripDigits = 17.
    static func dotNetRoundTrip(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description is also the shortest round-trip form; take its digits and exponent.
        let swiftText = "\(value.magnitude)"
        let parts = swiftText.split(separator: "e")
        let mantissa = parts[0]
        var exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pointIndex = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
        exponent += mantissa.distance(from: mantissa.startIndex, to: pointIndex)
        var digits = Array(mantissa.filter { $0 != "." })
        // Normalise to digits d1 d2 ... with the value 0.d1d2... x 10^exponent.
        while digits.first == "0" { digits.removeFirst(); exponent -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let digitCount = digits.count
        if exponent > max(17, digitCount) || exponent < -3 {
            var text = sign + String(digits[0])
            if digitCount > 1 { text += "." + String(digits[1...]) }
            let power = exponent - 1
            let powerDigits = String(abs(power))
            return text + "E" + (power < 0 ? "-" : "+") + (powerDigits.count < 2 ? "0" : "") + powerDigits
        }
        if exponent <= 0 {
            return sign + "0." + String(repeating: "0", count: -exponent) + String(digits)
        }
        if exponent >= digitCount {
            return sign + String(digits) + String(repeating: "0", count: exponent - digitCount)
        }
        return sign + String(digits[..<exponent]) + "." + String(digits[exponent...])
    }
}
