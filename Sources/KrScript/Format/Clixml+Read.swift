import Foundation

// Reading CLIXML: a small XML parser (elements, attributes, namespaces, character and predefined
// entity references, CDATA, comments, processing instructions; no DTDs, as PowerShell prohibits
// them) producing a tree, then PowerShell's InternalDeserializer rules over that tree.

extension Clixml {
    /// PSSerializer.Deserialize: no object gives $null, one object gives itself, several an array.
    static func deserialize(_ text: String) throws -> Value {
        let values = try deserializeAll(text)
        switch values.count {
        case 0: return .null
        case 1: return values[0]
        default: return .array(PSArray(values))
        }
    }

    /// Every top-level object (Import-Clixml writes each to the pipeline). `timeZone` is the zone a
    /// `<DT>` with an offset is converted to (DateTimeKind.Local), as XmlConvert does.
    static func deserializeAll(_ text: String, timeZone: TimeZone = .current) throws -> [Value] {
        var parser = ClixmlXMLParser(text)
        let root = try parser.parse()
        var reader = ClixmlReader(timeZone: timeZone)
        return try reader.readRoot(root)
    }

    // MARK: Primitive parsing (XmlConvert)

    /// XML white space, which XmlConvert trims from numbers, booleans, dates and durations.
    static func trimXML(_ s: String) -> Substring {
        let ws: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        var sub = Substring(s)
        while let f = sub.first, ws.contains(f) { sub.removeFirst() }
        while let l = sub.last, ws.contains(l) { sub.removeLast() }
        return sub
    }

    /// Int32.Parse etc. with a sign allowed (signed) or not (unsigned), no other decoration.
    static func parseInteger(_ raw: String, signed: Bool) -> Int64? {
        let s = trimXML(raw)
        guard let f = s.utf8.first else { return nil }
        if !signed && !(f >= 0x30 && f <= 0x39) { return nil }
        return Int64(s)
    }

    static func parseUInt64(_ raw: String) -> UInt64? {
        let s = trimXML(raw)
        guard let f = s.utf8.first, f >= 0x30 && f <= 0x39 else { return nil }
        return UInt64(s)
    }

    /// [+-]digits[.digits][e[+-]digits], with at least one mantissa digit.
    static func isDecimalNumber(_ s: Substring, allowExponent: Bool) -> Bool {
        var u = s.utf8[...]
        if let f = u.first, f == 0x2B || f == 0x2D { u = u.dropFirst() }
        var mantissaDigits = 0
        while let c = u.first, c >= 0x30 && c <= 0x39 { mantissaDigits += 1; u = u.dropFirst() }
        if u.first == 0x2E {
            u = u.dropFirst()
            while let c = u.first, c >= 0x30 && c <= 0x39 { mantissaDigits += 1; u = u.dropFirst() }
        }
        guard mantissaDigits > 0 else { return false }
        if allowExponent, let c = u.first, c == 0x45 || c == 0x65 {
            u = u.dropFirst()
            if let f = u.first, f == 0x2B || f == 0x2D { u = u.dropFirst() }
            var expDigits = 0
            while let c = u.first, c >= 0x30 && c <= 0x39 { expDigits += 1; u = u.dropFirst() }
            guard expDigits > 0 else { return false }
        }
        return u.isEmpty
    }

    /// XmlConvert.ToDouble: `INF`, `-INF`, NaN/Infinity (as Double.Parse knows them), or a number.
    static func parseDouble(_ raw: String) -> Double? {
        let s = trimXML(raw)
        if s == "INF" { return .infinity }
        if s == "-INF" { return -.infinity }
        switch s.lowercased() {
        case "nan": return .nan
        case "infinity", "+infinity": return .infinity
        case "-infinity": return -.infinity
        default: break
        }
        guard isDecimalNumber(s, allowExponent: true), let d = Double(String(s)) else { return nil }
        return d
    }

    /// XmlConvert.ToDecimal: no exponent; kept as a double like every KrShell decimal.
    static func parseDecimal(_ raw: String) -> Double? {
        let s = trimXML(raw)
        guard isDecimalNumber(s, allowExponent: false), let d = Double(String(s)), abs(d) <= decimalLimit else { return nil }
        return d
    }

    /// XmlConvert.ToDateTime(s, RoundtripKind): `yyyy-MM-dd[THH:mm:ss[.fffffff]][Z|±hh:mm]`.
    /// `Z` gives a UTC value, an offset a Local one (converted to `timeZone`), neither Unspecified.
    /// Fraction digits past the seventh round the tick as XsdDateTime does.
    static func parseDateTime(_ raw: String, timeZone: TimeZone = .current) -> DotNetDateTime? {
        let s = Array(trimXML(raw).utf8)
        var i = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in i..<i + n {
                guard isDigit(s[k]) else { return nil }
                v = v * 10 + Int(s[k] - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < s.count, s[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction: Int64 = 0
        if expect("T") {
            guard let h = digits(2), expect(":"), let m = digits(2), expect(":"), let sec = digits(2) else { return nil }
            (hour, minute, second) = (h, m, sec)
            if expect(".") {
                var f: Int64 = 0, count = 0, round: Int64 = 0
                while i < s.count, isDigit(s[i]) {
                    let d = Int64(s[i] - 0x30)
                    if count < 7 {
                        f = f * 10 + d
                    } else if count == 7 {
                        if d > 5 { round = 1 } else if d == 5 { round = -1 }
                    } else if round < 0 && d != 0 {
                        round = 1
                    }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                if count < 7 {
                    for _ in count..<7 { f *= 10 }
                } else {
                    if round < 0 { round = f & 1 }
                    f += round
                }
                fraction = f
            }
        }
        var kind = DotNetDateTime.Kind.unspecified
        var offsetMinutes = 0
        if expect("Z") {
            kind = .utc
        } else if i < s.count, s[i] == 0x2B || s[i] == 0x2D {
            let negative = s[i] == 0x2D
            i += 1
            guard let zh = digits(2), expect(":"), let zm = digits(2), zh <= 14, zm <= 59 else { return nil }
            offsetMinutes = (zh * 60 + zm) * (negative ? -1 : 1)
            kind = .local
        }
        guard i == s.count,
              let base = try? DotNetDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        let ticks = base.ticks + fraction
        switch kind {
        case .unspecified, .utc:
            return try? DotNetDateTime(ticks: ticks, kind: kind)
        case .local:
            let utc = ticks - Int64(offsetMinutes) * DotNetTimeSpan.ticksPerMinute
            let clamped = min(max(utc, 0), DotNetDateTime.maxTicks)
            return DotNetDateTime(uncheckedTicks: clamped, kind: .utc).toLocalTime(timeZone: timeZone)
        }
    }

    /// XmlConvert.ToTimeSpan: `-?P[nY][nM][nD][T[nH][nM][n[.f]S]]`; a year counts 365 days and a
    /// month 30, as XsdDuration converts them.
    static func parseTimeSpan(_ raw: String) -> DotNetTimeSpan? {
        let s = Array(trimXML(raw).utf8)
        var i = 0
        let negative = i < s.count && s[i] == 0x2D
        if negative { i += 1 }
        guard i < s.count, s[i] == 0x50 else { return nil }  // P
        i += 1
        var parts = [UInt64](repeating: 0, count: 6)  // Y M D H M S
        var nanoseconds: UInt64 = 0
        var stage = 0
        var any = false
        var inTime = false
        while i < s.count {
            if s[i] == 0x54 {  // T
                guard !inTime else { return nil }
                inTime = true
                stage = max(stage, 3)
                i += 1
                guard i < s.count else { return nil }
                continue
            }
            var v: UInt64 = 0, n = 0
            while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 {
                v = v * 10 + UInt64(s[i] - 0x30)
                guard v <= UInt64(Int32.max) else { return nil }
                n += 1
                i += 1
            }
            guard n > 0, i < s.count else { return nil }
            if s[i] == 0x2E {  // fraction, seconds only
                guard inTime else { return nil }
                i += 1
                var f: UInt64 = 0, digits = 0
                while i < s.count, s[i] >= 0x30 && s[i] <= 0x39 {
                    if digits < 9 { f = f * 10 + UInt64(s[i] - 0x30); digits += 1 }
                    i += 1
                }
                guard digits > 0, i < s.count, s[i] == 0x53 else { return nil }
                for _ in digits..<9 { f *= 10 }
                nanoseconds = f
            }
            let slot: Int
            switch (s[i], inTime) {
            case (0x59, false): slot = 0  // Y
            case (0x4D, false): slot = 1  // M (months)
            case (0x44, false): slot = 2  // D
            case (0x48, true): slot = 3   // H
            case (0x4D, true): slot = 4   // M (minutes)
            case (0x53, true): slot = 5   // S
            default: return nil
            }
            guard slot >= stage else { return nil }
            parts[slot] = v
            stage = slot + 1
            any = true
            i += 1
        }
        guard any else { return nil }
        func mul(_ a: UInt64, _ b: UInt64) -> UInt64? { let r = a.multipliedReportingOverflow(by: b); return r.overflow ? nil : r.partialValue }
        func add(_ a: UInt64, _ b: UInt64) -> UInt64? { let r = a.addingReportingOverflow(b); return r.overflow ? nil : r.partialValue }
        guard var t = mul(parts[0] + parts[1] / 12, 365),
              let t1 = add(t, parts[1] % 12 * 30) else { return nil }
        t = t1
        guard let d = add(t, parts[2]), let h = mul(d, 24), let h1 = add(h, parts[3]),
              let m = mul(h1, 60), let m1 = add(m, parts[4]), let sec = mul(m1, 60), let sec1 = add(sec, parts[5]),
              let ticks0 = mul(sec1, 10_000_000), let ticks = add(ticks0, nanoseconds / 100) else { return nil }
        if negative {
            if ticks == UInt64(Int64.max) + 1 { return DotNetTimeSpan(ticks: .min) }
            guard ticks <= UInt64(Int64.max) else { return nil }
            return DotNetTimeSpan(ticks: -Int64(ticks))
        }
        guard ticks <= UInt64(Int64.max) else { return nil }
        return DotNetTimeSpan(ticks: Int64(ticks))
    }

    /// Guid text in the forms Guid.Parse takes most often (D, N, B, P), as KrShell's lower-case form.
    static func parseGuid(_ raw: String) -> String? {
        var s = String(trimXML(raw))
        if (s.hasPrefix("{") && s.hasSuffix("}")) || (s.hasPrefix("(") && s.hasSuffix(")")) { s = String(s.dropFirst().dropLast()) }
        if s.count == 32, s.allSatisfy(\.isHexDigit) {
            let c = Array(s)
            s = String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20...])
        }
        guard let u = UUID(uuidString: s) else { return nil }
        return u.uuidString.lowercased()
    }

    /// Array element types restored from a `<LST>`'s first type name.
    static let arrayElementTypes: [String: DotNetType] = [
        "System.String[]": .string, "System.Int32[]": .int32, "System.Int64[]": .int64, "System.Double[]": .double,
        "System.Decimal[]": .decimal, "System.Boolean[]": .bool, "System.Char[]": .char, "System.Byte[]": .byte,
        "System.DateTime[]": .dateTime, "System.TimeSpan[]": .timeSpan, "System.Collections.Hashtable[]": .hashtable,
        "System.Management.Automation.PSCustomObject[]": .psCustomObject,
    ]
}

// MARK: - XML tree

/// An element of the parsed document: resolved namespace, attributes, children and its text.
final class ClixmlNode {
    let name: String
    let qname: String
    let namespace: String?
    let attributes: [(name: String, value: String)]
    var children: [ClixmlNode] = []
    var textBytes: [UInt8] = []
    /// Character data other than white space.
    var hasText = false
    let line: Int
    let column: Int

    init(qname: String, name: String, namespace: String?, attributes: [(name: String, value: String)], line: Int, column: Int) {
        self.qname = qname
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    var text: String { String(decoding: textBytes, as: UTF8.self) }

    func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
}

/// A non-validating XML 1.0 parser over UTF-8, iterative so that deep documents cannot exhaust the
/// stack. Line ends are normalised (CR LF and CR become LF) as XML requires.
struct ClixmlXMLParser {
    private let b: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) { b = Array(text.utf8) }

    private var column: Int { i - lineStart + 1 }

    private func error(_ message: String) -> ClixmlError {
        ClixmlError(message, line: line, column: column)
    }

    private func starts(with s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        return true
    }

    /// Moves past `n` bytes, counting lines.
    private mutating func advance(_ n: Int) {
        let end = min(i + n, b.count)
        while i < end {
            if b[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = i
        while i < b.count, ClixmlXMLParser.isSpace(b[i]) { advance(1) }
        return i > start
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A || c >= 0x80
    }

    private static func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    private mutating func parseName(_ what: String) throws -> String {
        guard i < b.count, ClixmlXMLParser.isNameStart(b[i]) else {
            throw error(i < b.count ? "Expected \(what), found '\(String(decoding: [b[i]], as: UTF8.self))'."
                        : "Unexpected end of input; expected \(what).")
        }
        let start = i
        while i < b.count, ClixmlXMLParser.isNameChar(b[i]) { i += 1 }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    mutating func parse() throws -> ClixmlNode {
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3; lineStart = 3 }
        var root: ClixmlNode?
        var stack: [(node: ClixmlNode, ns: [String: String])] = []
        while true {
            guard let top = stack.last else {
                // Prolog and epilog: white space, comments, processing instructions.
                skipWhitespace()
                if i >= b.count {
                    if let root { return root }
                    throw error("The document has no root element.")
                }
                if starts(with: "<?") { try skipProcessingInstruction(); continue }
                if starts(with: "<!--") { try skipComment(); continue }
                if starts(with: "<!DOCTYPE") { throw error("DTDs are not allowed in CLIXML (PowerShell prohibits DTD processing).") }
                if starts(with: "</") || starts(with: "<!") { throw error("Unexpected markup outside the root element.") }
                if b[i] == 0x3C {
                    if let root { throw error("Only one root element is allowed; <\(root.qname)> is already closed.") }
                    let (node, selfClosing, ns) = try parseStartTag(parentNS: [:])
                    root = node
                    if !selfClosing { stack.append((node, ns)) }
                    continue
                }
                throw error(root == nil ? "Text is not allowed before the root element." : "Text is not allowed after the root element.")
            }
            guard i < b.count else {
                throw error("Unexpected end of input: <\(top.node.qname)> opened at line \(top.node.line), column \(top.node.column) is not closed.")
            }
            if b[i] != 0x3C {
                try parseText(into: top.node)
                continue
            }
            if starts(with: "</") {
                let (l, c) = (line, column)
                advance(2)
                let name = try parseName("an element name")
                skipWhitespace()
                guard i < b.count, b[i] == 0x3E else { throw error("Expected '>' to end the end tag </\(name)>.") }
                advance(1)
                guard name == top.node.qname else {
                    throw ClixmlError("The end tag </\(name)> does not match the start tag <\(top.node.qname)> at line \(top.node.line), column \(top.node.column).",
                                      line: l, column: c)
                }
                stack.removeLast()
            } else if starts(with: "<!--") {
                try skipComment()
            } else if starts(with: "<![CDATA[") {
                advance(9)
                let start = i
                while i < b.count && !starts(with: "]]>") { advance(1) }
                guard i < b.count else { throw error("Unterminated CDATA section.") }
                appendText(b[start..<i], to: top.node)
                advance(3)
            } else if starts(with: "<?") {
                try skipProcessingInstruction()
            } else if starts(with: "<!") {
                throw error("Unexpected markup inside <\(top.node.qname)>.")
            } else {
                let (node, selfClosing, ns) = try parseStartTag(parentNS: top.ns)
                top.node.children.append(node)
                if !selfClosing { stack.append((node, ns)) }
            }
        }
    }

    private func appendText(_ bytes: ArraySlice<UInt8>, to node: ClixmlNode) {
        var k = bytes.startIndex
        while k < bytes.endIndex {
            var c = bytes[k]
            if c == 0x0D {  // CR LF and lone CR become LF
                c = 0x0A
                if k + 1 < bytes.endIndex && bytes[k + 1] == 0x0A { k += 1 }
            }
            if !ClixmlXMLParser.isSpace(c) { node.hasText = true }
            node.textBytes.append(c)
            k += 1
        }
    }

    private mutating func parseText(into node: ClixmlNode) throws {
        while i < b.count && b[i] != 0x3C {
            if b[i] == 0x26 {
                var out: [UInt8] = []
                try parseReference(into: &out)
                node.textBytes.append(contentsOf: out)
                node.hasText = true
            } else {
                let start = i
                while i < b.count && b[i] != 0x3C && b[i] != 0x26 { advance(1) }
                appendText(b[start..<i], to: node)
            }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&apos;` `&quot;` `&#N;` `&#xH;` (the only entities without a DTD).
    private mutating func parseReference(into out: inout [UInt8]) throws {
        let start = i
        var end = i + 1
        while end < b.count && end - start < 16 && b[end] != 0x3B { end += 1 }
        guard end < b.count, b[end] == 0x3B else { throw error("Malformed entity reference: '&' must start a reference such as &amp; (use &amp; for a literal '&').") }
        let name = String(decoding: b[(start + 1)..<end], as: UTF8.self)
        switch name {
        case "lt": out.append(0x3C)
        case "gt": out.append(0x3E)
        case "amp": out.append(0x26)
        case "apos": out.append(0x27)
        case "quot": out.append(0x22)
        default:
            var value: UInt32?
            if name.hasPrefix("#x") { value = UInt32(name.dropFirst(2), radix: 16) }
            else if name.hasPrefix("#") { value = UInt32(name.dropFirst(1), radix: 10) }
            else { throw error("Unknown entity reference &\(name); (only the predefined XML entities are allowed).") }
            guard let v = value, let scalar = Unicode.Scalar(v) else {
                throw error("The character reference &\(name); is not a valid character.")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        i = end + 1
    }

    private mutating func skipComment() throws {
        advance(4)
        while i < b.count && !starts(with: "-->") { advance(1) }
        guard i < b.count else { throw error("Unterminated comment.") }
        advance(3)
    }

    private mutating func skipProcessingInstruction() throws {
        advance(2)
        while i < b.count && !starts(with: "?>") { advance(1) }
        guard i < b.count else { throw error("Unterminated processing instruction.") }
        advance(2)
    }

    private mutating func parseStartTag(parentNS: [String: String]) throws -> (ClixmlNode, Bool, [String: String]) {
        let (l, c) = (line, column)
        advance(1)
        let qname = try parseName("an element name")
        var raw: [(name: String, value: String)] = []
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard i < b.count else { throw error("Unexpected end of input in the start tag <\(qname)>.") }
            if b[i] == 0x3E { advance(1); break }
            if starts(with: "/>") { advance(2); selfClosing = true; break }
            guard hadSpace else { throw error("Expected white space, '>' or '/>' in the start tag <\(qname)>.") }
            let attr = try parseName("an attribute name")
            skipWhitespace()
            guard i < b.count, b[i] == 0x3D else { throw error("Expected '=' after the attribute \(attr) in <\(qname)>.") }
            advance(1)
            skipWhitespace()
            guard i < b.count, b[i] == 0x22 || b[i] == 0x27 else { throw error("Expected a quoted value for the attribute \(attr) in <\(qname)>.") }
            let quote = b[i]
            advance(1)
            var value: [UInt8] = []
            while true {
                guard i < b.count else { throw error("Unterminated value of the attribute \(attr) in <\(qname)>.") }
                let ch = b[i]
                if ch == quote { advance(1); break }
                if ch == 0x3C { throw error("'<' is not allowed in the value of the attribute \(attr) in <\(qname)>.") }
                if ch == 0x26 { try parseReference(into: &value); continue }
                if ch == 0x0D {  // CR LF is one line end, normalised to one space
                    value.append(0x20)
                    advance(1)
                    if i < b.count && b[i] == 0x0A { advance(1) }
                    continue
                }
                value.append(ch == 0x09 || ch == 0x0A ? 0x20 : ch)
                advance(1)
            }
            if raw.contains(where: { $0.name == attr }) { throw error("Duplicate attribute \(attr) in <\(qname)>.") }
            raw.append((attr, String(decoding: value, as: UTF8.self)))
        }
        var ns = parentNS
        var attributes: [(name: String, value: String)] = []
        for (n, v) in raw {
            if n == "xmlns" { ns[""] = v }
            else if n.hasPrefix("xmlns:") { ns[String(n.dropFirst(6))] = v }
            else { attributes.append((n, v)) }
        }
        let local: String
        let uri: String?
        if let colon = qname.firstIndex(of: ":") {
            let prefix = String(qname[..<colon])
            local = String(qname[qname.index(after: colon)...])
            guard let u = ns[prefix] else {
                throw ClixmlError("The namespace prefix '\(prefix)' of <\(qname)> is not declared.", line: l, column: c)
            }
            uri = u
        } else {
            local = qname
            uri = ns[""].flatMap { $0.isEmpty ? nil : $0 }
        }
        let node = ClixmlNode(qname: qname, name: local, namespace: uri, attributes: attributes, line: l, column: c)
        return (node, selfClosing, ns)
    }
}

// MARK: - Deserializer

/// PowerShell's InternalDeserializer over the parsed tree.
struct ClixmlReader {
    let timeZone: TimeZone
    var objects: [String: Value] = [:]
    var typeNameTable: [String: [String]] = [:]
    var level = 0
    /// Version 1.2 and later may add elements an older reader skips inside `<Obj>`.
    var unknownTagsAllowed = false

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    func error(_ node: ClixmlNode, _ message: String) -> ClixmlError {
        ClixmlError(message, line: node.line, column: node.column)
    }

    /// Elements are in the PowerShell namespace (or in none, as remoting writes them).
    func isPS(_ node: ClixmlNode) -> Bool { node.namespace == nil || node.namespace == Clixml.namespace }

    func checkNoText(_ node: ClixmlNode) throws {
        if node.hasText { throw error(node, "Unexpected text in <\(node.qname)>; it holds only elements.") }
    }

    func text(_ node: ClixmlNode) throws -> String {
        if let child = node.children.first {
            throw error(child, "<\(node.qname)> must contain only text, but contains <\(child.qname)>.")
        }
        return node.text
    }

    func nameAttribute(_ node: ClixmlNode) throws -> String {
        guard let n = node.attribute("N") else { throw error(node, "N attribute was expected on <\(node.qname)>.") }
        return Clixml.decode(n)
    }

    mutating func readRoot(_ root: ClixmlNode) throws -> [Value] {
        guard root.name == "Objs", root.namespace == Clixml.namespace else {
            throw error(root, "Expected the root element <Objs xmlns=\"\(Clixml.namespace)\">, found <\(root.qname)>"
                        + (root.namespace.map { " in namespace \($0)" } ?? "") + ".")
        }
        let versionText = root.attribute("Version") ?? Clixml.version
        let parts = versionText.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...4).contains(parts.count), parts.allSatisfy({ ($0 ?? -1) >= 0 }), let major = parts[0], let minor = parts[1] else {
            throw error(root, "Version of PSObject is not valid: '\(versionText)'.")
        }
        guard major == 1 else { throw error(root, "Version of incoming PSObject is \(major). Expected value is 1.") }
        unknownTagsAllowed = minor > 1
        try checkNoText(root)
        return try root.children.map { try readObject($0) }
    }

    /// One object element (ReadOneObject).
    mutating func readObject(_ node: ClixmlNode) throws -> Value {
        level += 1
        defer { level -= 1 }
        if level >= Clixml.maxNesting { throw error(node, Clixml.tooDeepMessage) }
        guard isPS(node) else { throw error(node, "<\(node.qname)> XML tag is not recognized (namespace \(node.namespace ?? "")).") }
        switch node.name {
        case "Nil":
            return .null
        case "Ref":
            guard let id = node.attribute("RefId") else { throw error(node, "RefId attribute was expected on <Ref>.") }
            guard let v = objects[id] else { throw error(node, "No object found for referenceId \(id).") }
            return v
        case "Obj":
            return try readObj(node)
        default:
            if let v = try readPrimitive(node) { return v }
            throw error(node, "<\(node.qname)> XML tag is not recognized.")
        }
    }

    func invalid(_ node: ClixmlNode, _ type: String, _ content: String) -> ClixmlError {
        error(node, "The contents of the \(type) primitive type are not valid: '\(content)' in <\(node.qname)>.")
    }

    /// A primitive known type, or nil when the tag is none.
    mutating func readPrimitive(_ node: ClixmlNode) throws -> Value? {
        func integer(_ type: String, _ range: ClosedRange<Int64>, signed: Bool = true) throws -> Int64 {
            let t = try text(node)
            guard let v = Clixml.parseInteger(t, signed: signed), range.contains(v) else { throw invalid(node, type, t) }
            return v
        }
        switch node.name {
        case "S": return .string(Clixml.decode(try text(node)))
        case "B":
            let t = try text(node)
            switch Clixml.trimXML(t) {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw invalid(node, "System.Boolean", t)
            }
        case "I32": return .int(Int32(try integer("System.Int32", Int64(Int32.min)...Int64(Int32.max))))
        case "I64": return .long(try integer("System.Int64", Int64.min...Int64.max))
        case "I16": return .int(Int32(try integer("System.Int16", Int64(Int16.min)...Int64(Int16.max))))
        case "SB": return .int(Int32(try integer("System.SByte", -128...127)))
        case "By": return .int(Int32(try integer("System.Byte", 0...255, signed: false)))
        case "U16": return .int(Int32(try integer("System.UInt16", 0...65_535, signed: false)))
        case "U32":
            let v = try integer("System.UInt32", 0...Int64(UInt32.max), signed: false)
            return v <= Int64(Int32.max) ? .int(Int32(v)) : .long(v)
        case "U64":
            let t = try text(node)
            guard let v = Clixml.parseUInt64(t) else { throw invalid(node, "System.UInt64", t) }
            return v <= UInt64(Int64.max) ? .long(Int64(v)) : .double(Double(v))
        case "C": return .char(UInt16(try integer("System.Char", 0...65_535, signed: false)))
        case "Db":
            let t = try text(node)
            guard let d = Clixml.parseDouble(t) else { throw invalid(node, "System.Double", t) }
            return .double(d)
        case "Sg":
            let t = try text(node)
            guard let d = Clixml.parseDouble(t), d.isNaN || d.isInfinite || abs(d) <= Double(Float.greatestFiniteMagnitude) else {
                throw invalid(node, "System.Single", t)
            }
            return .double(Double(Float(d)))
        case "D":
            let t = try text(node)
            guard let d = Clixml.parseDecimal(t) else { throw invalid(node, "System.Decimal", t) }
            return .decimal(d)
        case "DT":
            let t = try text(node)
            guard let d = Clixml.parseDateTime(t, timeZone: timeZone) else { throw invalid(node, "System.DateTime", t) }
            return .dateTime(d)
        case "TS":
            let t = try text(node)
            guard let d = Clixml.parseTimeSpan(t) else { throw invalid(node, "System.TimeSpan", t) }
            return .timeSpan(d)
        case "G":
            let t = try text(node)
            guard let g = Clixml.parseGuid(t) else { throw invalid(node, "System.Guid", t) }
            return .object(TypeRegistry.GuidObject(g))
        // Script blocks come back as their text, as Import-Clixml gives them; so do URIs, versions
        // and XML documents.
        case "SBK", "URI", "Version", "SemanticVersion", "XD": return .string(Clixml.decode(try text(node)))
        case "BA":
            let t = try text(node)
            let compact = t.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: compact) else { throw invalid(node, "System.Byte[]", t) }
            return .array(PSArray(data.map { .int(Int32($0)) }, elementType: .byte))
        case "PR": return try readProgressRecord(node)
        case "SS":
            throw error(node, "A SecureString (<SS>) cannot be imported: it is encrypted for the Windows account that exported it.")
        default: return nil
        }
    }

    /// `<PR>`: AV, AI, the current operation, PI, PC, T, SR, SD, as a pscustomobject.
    mutating func readProgressRecord(_ node: ClixmlNode) throws -> Value {
        try checkNoText(node)
        let c = node.children
        let tags = ["AV", "AI", nil, "PI", "PC", "T", "SR", "SD"]
        guard c.count == tags.count else {
            throw error(node, "<PR> holds \(c.count) elements; a progress record has AV, AI, an object, PI, PC, T, SR and SD.")
        }
        for (k, tag) in tags.enumerated() {
            if let tag, c[k].name != tag || !isPS(c[k]) {
                throw error(c[k], "Expected <\(tag)> in <PR>, found <\(c[k].qname)>.")
            }
        }
        func int(_ n: ClixmlNode) throws -> Value {
            let t = try text(n)
            guard let v = Int32(Clixml.trimXML(t)) else { throw invalid(n, "System.Int32", t) }
            return .int(v)
        }
        let o = PSCustomObject()
        o.set("Activity", .string(Clixml.decode(try text(c[0]))))
        o.set("ActivityId", try int(c[1]))
        let op = try readObject(c[2])
        o.set("CurrentOperation", op.isNull ? .null : .string(Conversions.toString(op, nil)))
        o.set("ParentActivityId", try int(c[3]))
        o.set("PercentComplete", try int(c[4]))
        o.set("RecordType", .string(Clixml.decode(try text(c[5]))))
        o.set("SecondsRemaining", try int(c[6]))
        o.set("StatusDescription", .string(Clixml.decode(try text(c[7]))))
        return .object(o)
    }

    /// The first type name without its "Deserialized." prefix.
    static func mainTypeName(_ names: [String]?) -> String? {
        guard var t = names?.first else { return nil }
        if t.lowercased().hasPrefix("deserialized.") { t.removeFirst("Deserialized.".count) }
        return t
    }

    /// `<Obj>`: type names, ToString, a base (primitive, container or nested object) and/or
    /// properties. Containers become arrays and hashtables; an object with only properties a
    /// pscustomobject; one with a primitive base that primitive.
    mutating func readObj(_ node: ClixmlNode) throws -> Value {
        try checkNoText(node)
        let refId = node.attribute("RefId")
        var typeNames: [String]?
        var toString: String?
        var base: Value?
        var bag: PSCustomObject?
        func register(_ v: Value) { if let refId { objects[refId] = v } }
        for child in node.children {
            guard isPS(child) else {
                if unknownTagsAllowed { continue }
                throw error(child, "<\(child.qname)> XML tag is not recognized (namespace \(child.namespace ?? "")).")
            }
            switch child.name {
            case "TN":
                try checkNoText(child)
                var names: [String] = []
                for t in child.children {
                    guard isPS(t), t.name == "T" else { throw error(t, "<\(t.qname)> XML tag is not recognized in <TN>; expected <T>.") }
                    let name = Clixml.decode(try text(t))
                    if !name.isEmpty { names.append(name) }
                }
                if let id = child.attribute("RefId") { typeNameTable[id] = names }
                typeNames = names
            case "TNRef":
                guard let id = child.attribute("RefId") else { throw error(child, "RefId attribute was expected on <TNRef>.") }
                guard let names = typeNameTable[id] else {
                    throw error(child, "Cannot process names because no TypeNames were found for referenceId \(id).")
                }
                typeNames = names
            case "ToString":
                toString = Clixml.decode(try text(child))
            case "Props", "MS":
                if base == nil && bag == nil {
                    let b = PSCustomObject()
                    bag = b
                    register(.object(b))
                }
                try readMembers(child, into: base == nil ? bag : nil)
            case "DCT":
                try checkNoText(child)
                let main = ClixmlReader.mainTypeName(typeNames)
                let h = PSHashtable(ordered: main == DotNetType.ordered.fullName,
                                    synchronized: main == DotNetType.syncHashtable.fullName)
                base = .hashtable(h)
                register(.hashtable(h))
                try readDictionary(child, into: h)
            case "LST", "IE", "QUE", "STK":
                try checkNoText(child)
                let a = PSArray([], elementType: ClixmlReader.mainTypeName(typeNames).flatMap { Clixml.arrayElementTypes[$0] })
                base = .array(a)
                register(.array(a))
                for item in child.children { a.items.append(try readObject(item)) }
            case "Obj":
                let v = try readObject(child)
                base = v
                register(v)
            default:
                if let v = try readPrimitive(child) {
                    base = v
                    register(v)
                } else if !unknownTagsAllowed {
                    throw error(child, "<\(child.qname)> XML tag is not recognized.")
                }
            }
        }
        let value: Value
        if let base { value = base }
        else if let bag { value = .object(bag) }
        else if let toString { value = .string(toString) }
        else { value = .object(PSCustomObject()) }
        register(value)
        return value
    }

    /// `<Props>` / `<MS>`: named values; a nested `<MS N="..">` member set becomes a nested
    /// pscustomobject. With no target the members are still read (their RefIds count).
    mutating func readMembers(_ node: ClixmlNode, into bag: PSCustomObject?) throws {
        try checkNoText(node)
        for child in node.children {
            let name = try nameAttribute(child)
            if child.name == "MS" && isPS(child) {
                let nested = PSCustomObject()
                try readMembers(child, into: nested)
                bag?.set(name, .object(nested))
            } else {
                bag?.set(name, try readObject(child))
            }
        }
    }

    /// `<DCT>`: `<En>` elements of a key named "Key" and a value named "Value". Keys compare
    /// case-insensitively (a later duplicate replaces the earlier value).
    mutating func readDictionary(_ node: ClixmlNode, into h: PSHashtable) throws {
        for en in node.children {
            guard isPS(en), en.name == "En" else { throw error(en, "Expected <En> in <DCT>, found <\(en.qname)>.") }
            try checkNoText(en)
            guard en.children.count >= 1 else { throw error(en, "Key for dictionary entry is not specified.") }
            let k = en.children[0]
            guard try nameAttribute(k).lowercased() == "key" else {
                throw error(k, "Name attribute for dictionary key is incorrectly specified (expected N=\"Key\").")
            }
            let key = try readObject(k)
            if key.isNull { throw error(k, "Null is specified as dictionary key.") }
            guard en.children.count >= 2 else { throw error(en, "Value for dictionary entry is not specified.") }
            let v = en.children[1]
            guard try nameAttribute(v).lowercased() == "value" else {
                throw error(v, "Name attribute for dictionary value is incorrectly specified (expected N=\"Value\").")
            }
            let value = try readObject(v)
            if en.children.count > 2 {
                throw error(en.children[2], "Unexpected <\(en.children[2].qname)> in <En>: an entry holds one key and one value.")
            }
            h.set(key, value)
        }
    }
}
