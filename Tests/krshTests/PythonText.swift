/// The few Python string operations Tests/conformance/run.py relies on, so that the Swift harness
/// compares and reports exactly as the reference runner does. Python strings are sequences of code
/// points, so everything here works on Unicode scalars (Swift's String compares by grapheme and
/// canonical equivalence, which would be more lenient than Python).
enum PythonText {
    typealias Scalars = [Unicode.Scalar]

    static func scalars(_ text: String) -> Scalars { Array(text.unicodeScalars) }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Code-point equality, as Python's `==` on str.
    static func same(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// `text.replace(old, new)` for the one use run.py has: CRLF to LF.
    static func crlfToLF(_ text: String) -> String {
        var out = Scalars()
        var pendingCR = false
        for scalar in text.unicodeScalars {
            if pendingCR && scalar != "\n" { out.append("\r") }
            pendingCR = scalar == "\r"
            if !pendingCR { out.append(scalar) }
        }
        if pendingCR { out.append("\r") }
        return string(out)
    }

    /// `text.split('\n')`: keeps empty pieces.
    static func splitLines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { string($0) }
    }

    /// `str.splitlines()`: every line boundary Python knows, no trailing empty piece.
    static func splitlines(_ text: String) -> [String] {
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        var lines: [String] = []
        var current = Scalars()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if afterCR && scalar == "\n" {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if breaks.contains(scalar.value) {
                lines.append(string(current))
                current.removeAll()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(string(current)) }
        return lines
    }

    /// `str.isspace()` for one code point.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// `str.strip()`.
    static func strip(_ text: String) -> String {
        let all = scalars(text)
        guard let first = all.firstIndex(where: { !isSpace($0) }),
              let last = all.lastIndex(where: { !isSpace($0) }) else { return "" }
        return string(all[first...last])
    }

    /// `text[:n]`.
    static func prefix(_ text: String, _ count: Int) -> String { string(text.unicodeScalars.prefix(count)) }

    /// `text[-n:]`.
    static func suffix(_ text: String, _ count: Int) -> String { string(text.unicodeScalars.suffix(count)) }

    /// `str.lower()`, and `needle in haystack` on code points.
    static func containsIgnoringCase(_ haystack: String, _ needle: String) -> Bool {
        let hay = scalars(haystack.lowercased()), want = scalars(needle.lowercased())
        guard !want.isEmpty else { return true }
        guard hay.count >= want.count else { return false }
        return (0...(hay.count - want.count)).contains { hay[$0..<($0 + want.count)].elementsEqual(want) }
    }

    /// `repr(text)`: quotes and escapes as Python 3 prints a str.
    static func repr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\" + String(quote)
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F || scalar.value > 0x7F && isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    /// run.py's `clip`: the repr, cut to `limit` code points with `...`.
    static func clip(_ text: String, _ limit: Int = 60) -> String {
        let shown = scalars(repr(text))
        return shown.count <= limit ? string(shown) : string(shown.prefix(limit - 3)) + "..."
    }

    /// `str.isprintable()` for one code point beyond ASCII.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
