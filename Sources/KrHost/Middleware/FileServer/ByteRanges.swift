import Foundation

/// Single byte ranges (RFC 9110 §14), as ASP.NET Core's static files serve them: one range gives
/// 206 with Content-Range, a range past the end gives 416, and anything else (no header, another
/// unit, several ranges, bad syntax) is ignored so the whole file is sent with 200.
enum ByteRange: Equatable {
    /// Send the whole representation.
    case whole
    /// 206: these bytes (inclusive offsets).
    case partial(ClosedRange<Int>)
    /// 416: no byte of the representation is in the range.
    case unsatisfiable

    static func evaluate(_ header: String?, length: Int) -> ByteRange {
        guard let header else { return .whole }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard let eq = value.firstIndex(of: "=") else { return .whole }
        let unit = value[..<eq].trimmingCharacters(in: .whitespaces)
        let spec = value[value.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        guard unit.lowercased() == "bytes", !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let firstText = String(spec[..<dash]), lastText = String(spec[spec.index(after: dash)...])

        if firstText.isEmpty {
            // -N: the last N bytes.
            guard let suffix = number(lastText) else { return .whole }
            if suffix == 0 || length == 0 { return .unsatisfiable }
            return .partial(max(0, length - suffix)...(length - 1))
        }
        guard let first = number(firstText) else { return .whole }
        var last = Int.max
        if !lastText.isEmpty {
            guard let l = number(lastText) else { return .whole }
            if l < first { return .whole }
            last = l
        }
        if first >= length { return .unsatisfiable }
        return .partial(first...min(last, length - 1))
    }

    /// `bytes 0-499/1234`
    static func contentRange(_ r: ClosedRange<Int>, length: Int) -> String { "bytes \(r.lowerBound)-\(r.upperBound)/\(length)" }

    /// `bytes */1234` (with 416).
    static func unsatisfiedRange(length: Int) -> String { "bytes */\(length)" }

    /// Digits only; values too large for Int saturate (they are past any file's end).
    private static func number(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(s) ?? Int.max
    }
}
