import Foundation

/// PowerShell CLIXML (PSSerializer / Export-Clixml / Import-Clixml), as specified by [MS-PSRP]
/// section 2.2.5 and implemented by System.Management.Automation's serializer.
///
/// Writing follows `PSSerializer.Serialize(obj, depth)`: an `<Objs>` root with one child per object,
/// two-space indentation, no XML declaration (Export-Clixml writes none either). Reading follows
/// `PSSerializer.Deserialize` / Import-Clixml: see Clixml+Read.swift.
///
/// Depth works as in PowerShell, which is not "everything below `depth` becomes a string": arrays,
/// hashtables and other collections never count against the depth (their items get the same depth),
/// nor do the note properties of a [pscustomobject]. Only the properties of other objects (error
/// records, regex matches, dictionary entries ...) are written with `depth - 1`; such an object met
/// at depth 0 is written as its string form. So Export-KrSharedState's nested hashtables/arrays/pscustomobjects
/// keep full fidelity at any depth.
enum Clixml {
    static let namespace = "http://schemas.microsoft.com/powershell/2004/04"
    static let version = "1.1.0.1"
    /// PowerShell's MaxDepthBelowTopLevel: its reader rejects anything nested 50 levels deep.
    static let maxNesting = 50
    /// The text PowerShell writes in place of an object nested too deeply (Serialization.resx).
    static let tooDeepMessage = "Serialized XML is nested too deeply."
    /// XmlWriter's NewLineChars is Environment.NewLine: LF on the platforms KrShell runs on.
    static let newline = "\n"

    /// One object as a CLIXML document (PSSerializer.Serialize(obj, depth)). A depth below 1 is
    /// treated as 1 (PowerShell throws "Value of depth parameter must be greater than or equal to 1").
    static func serialize(_ v: Value, depth: Int = 1) -> String {
        serializeAll([v], depth: depth)
    }

    /// Several top-level objects in one document, sharing reference and type ids, as Export-Clixml
    /// writes its pipeline input.
    static func serializeAll(_ values: [Value], depth: Int = 1) -> String {
        var w = Writer(depth: max(1, depth))
        w.out += "<Objs Version=\"\(version)\" xmlns=\"\(namespace)\">"
        w.indentLevel = 1
        for v in values { w.write(v, name: nil, depth: w.topDepth) }
        w.out += newline + "</Objs>"
        return w.out
    }

    // MARK: Writer

    struct Writer {
        let topDepth: Int
        var out = ""
        var indentLevel = 0
        /// Nesting of the value being written (PowerShell's depthBelowTopLevel): 1 for top-level objects.
        var level = 0
        var objectIds: [ObjectIdentifier: Int] = [:]
        /// Objects given a RefId, kept alive so that an ObjectIdentifier cannot be reused for a
        /// value a property getter creates on the fly.
        var retained: [AnyObject] = []
        var typeIds: [[String]: Int] = [:]
        /// `out.utf8.count` right after each open start tag, to spot empty elements.
        var openMarks: [Int] = []

        init(depth: Int) { topDepth = depth }

        // MARK: layout

        mutating func startLine() {
            out += Clixml.newline
            out += String(repeating: "  ", count: indentLevel)
        }

        static func nameAttribute(_ name: String?) -> String {
            guard let name else { return "" }
            return " N=\"" + Clixml.escapeAttribute(Clixml.encode(name)) + "\""
        }

        /// `<tag N="..">text</tag>`; `text` is already in its final (encoded, unescaped) form.
        mutating func element(_ tag: String, _ name: String?, _ text: String) {
            startLine()
            out += "<" + tag + Writer.nameAttribute(name) + ">" + Clixml.escapeText(text) + "</" + tag + ">"
        }

        mutating func empty(_ tag: String, _ attributes: String) {
            startLine()
            out += "<" + tag + attributes + " />"
        }

        mutating func open(_ tag: String, _ attributes: String = "") {
            startLine()
            out += "<" + tag + attributes + ">"
            indentLevel += 1
            openMarks.append(out.utf8.count)
        }

        /// Closes an element opened with `open`; one with nothing written inside becomes
        /// `<tag />`, as XmlWriter writes it.
        mutating func close(_ tag: String) {
            indentLevel -= 1
            if openMarks.removeLast() == out.utf8.count {
                out.removeLast()
                out += " />"
                return
            }
            startLine()
            out += "</" + tag + ">"
        }

        // MARK: ids

        func existingRef(_ obj: AnyObject) -> Int? { objectIds[ObjectIdentifier(obj)] }

        mutating func newRef(_ obj: AnyObject) -> Int {
            let id = objectIds.count
            objectIds[ObjectIdentifier(obj)] = id
            retained.append(obj)
            return id
        }

        /// `<Obj N=".." RefId="n">` plus `<TN>` (or `<TNRef>`) when type names are given.
        mutating func openObj(_ name: String?, refId: Int?, typeNames: [String]?) {
            var attrs = Writer.nameAttribute(name)
            if let refId { attrs += " RefId=\"\(refId)\"" }
            open("Obj", attrs)
            if let typeNames, !typeNames.isEmpty {
                if let tid = typeIds[typeNames] {
                    empty("TNRef", " RefId=\"\(tid)\"")
                } else {
                    let tid = typeIds.count
                    typeIds[typeNames] = tid
                    open("TN", " RefId=\"\(tid)\"")
                    for t in typeNames { element("T", nil, Clixml.encode(t)) }
                    close("TN")
                }
            }
        }

        // MARK: values

        mutating func write(_ v: Value, name: String?, depth: Int) {
            if case .null = v {
                empty("Nil", Writer.nameAttribute(name))
                return
            }
            level += 1
            defer { level -= 1 }
            // PowerShell's reader refuses the 50th level, so nothing with children goes at level 49.
            if level >= Clixml.maxNesting - 1 && Writer.needsObj(v) {
                element("S", name, Clixml.encode(Clixml.tooDeepMessage))
                return
            }
            switch v {
            case .null: break
            case .bool(let b): element("B", name, b ? "true" : "false")
            case .int(let i): element("I32", name, String(i))
            case .long(let l): element("I64", name, String(l))
            case .double(let d): element("Db", name, Clixml.formatDouble(d))
            case .decimal(let d):
                if let text = Clixml.formatDecimal(d) { element("D", name, text) } else { element("Db", name, Clixml.formatDouble(d)) }
            case .char(let c): element("C", name, String(c))
            case .string(let s): element("S", name, Clixml.encode(s))
            case .dateTime(let d): element("DT", name, Clixml.formatDateTime(d))
            case .timeSpan(let t): element("TS", name, Clixml.formatTimeSpan(t))
            case .scriptBlock(let sb): element("SBK", name, Clixml.encode(sb.text))
            case .type(let t): element("S", name, Clixml.encode(t.fullName))
            case .array(let a):
                let tn = Clixml.typeNames(a.elementType.map { DotNetType.arrayOf($0) } ?? .objectArray)
                writeList(a, a.items, typeNames: tn, name: name, depth: depth)
            case .hashtable(let h):
                let t: DotNetType = h.ordered ? .ordered : (h.synchronized ? .syncHashtable : .hashtable)
                writeDictionary(h, h.entries, typeNames: Clixml.typeNames(t), name: name, depth: depth)
            case .object(let o): writeObject(o, name: name, depth: depth)
            }
        }

        /// Whether the value is written as an `<Obj>` that can hold nested values.
        static func needsObj(_ v: Value) -> Bool {
            switch v {
            case .array, .hashtable: return true
            case .object(let o): return !(o is TypeRegistry.GuidObject)
            default: return false
            }
        }

        mutating func writeList(_ obj: AnyObject, _ items: [Value], typeNames: [String], name: String?, depth: Int) {
            if let id = existingRef(obj) { return writeRef(id, name) }
            openObj(name, refId: newRef(obj), typeNames: typeNames)
            open("LST")
            for item in items { write(item, name: nil, depth: depth) }
            close("LST")
            close("Obj")
        }

        mutating func writeDictionary(_ obj: AnyObject, _ entries: [(key: Value, value: Value)], typeNames: [String],
                                      name: String?, depth: Int) {
            if let id = existingRef(obj) { return writeRef(id, name) }
            openObj(name, refId: newRef(obj), typeNames: typeNames)
            open("DCT")
            for (k, v) in entries {
                open("En")
                write(k, name: "Key", depth: depth)
                write(v, name: "Value", depth: depth)
                close("En")
            }
            close("DCT")
            close("Obj")
        }

        mutating func writeRef(_ id: Int, _ name: String?) {
            empty("Ref", Writer.nameAttribute(name) + " RefId=\"\(id)\"")
        }

        mutating func writeObject(_ o: PSObject, name: String?, depth: Int) {
            if let g = o as? TypeRegistry.GuidObject {
                return element("G", name, Clixml.encode(g.text))
            }
            if let list = o as? ListObject {
                return writeList(list, list.enumerated ?? [], typeNames: Clixml.typeNames(list.type), name: name, depth: depth)
            }
            if let dict = o as? DictionaryObject {
                return writeDictionary(dict, dict.table.entries, typeNames: Clixml.typeNames(dict.type), name: name, depth: depth)
            }
            if let bag = o as? PSCustomObject, bag.typeName == .psCustomObject {
                return writePropertyBag(bag, name: name, depth: depth)
            }
            if o is PSCustomObject == false, let items = o.enumerated {
                return writeList(o, items, typeNames: Clixml.typeNames(o.dotNetType), name: name, depth: depth)
            }
            // GetDepthOfSerialization: a SwitchParameter always gets depth 1.
            let depth = o is SwitchValue ? 1 : depth
            if let id = existingRef(o) { return writeRef(id, name) }
            let display = o.toDisplayString(nil)
            if depth <= 0 {
                // HandlePSObjectAsString: the string form, with no RefId.
                return element("S", name, Clixml.encode(display))
            }
            openObj(name, refId: newRef(o), typeNames: Clixml.typeNames(o.dotNetType))
            element("ToString", nil, Clixml.encode(display))
            if let e = o as? EnumValue {
                // An enum is its underlying integer plus type names and ToString.
                write(.int(Int32(truncatingIfNeeded: e.raw)), name: nil, depth: depth)
            } else {
                let names = o is SwitchValue ? ["IsPresent"] : o.propertyNames
                if !names.isEmpty {
                    open("Props")
                    for n in names { write(o.getProperty(n) ?? .null, name: n, depth: depth - 1) }
                    close("Props")
                }
            }
            close("Obj")
        }

        /// [pscustomobject]: note properties in `<MS>`, at the same depth (instance members do not
        /// use up depth in PowerShell).
        mutating func writePropertyBag(_ bag: PSCustomObject, name: String?, depth: Int) {
            if let id = existingRef(bag) { return writeRef(id, name) }
            let props = bag.properties
            if depth <= 0 {
                // A property bag at depth 0 is written as its string form plus its notes.
                let display = bag.toDisplayString(nil)
                if props.isEmpty { return element("S", name, Clixml.encode(display)) }
                openObj(name, refId: newRef(bag), typeNames: nil)
                element("S", nil, Clixml.encode(display))
            } else {
                openObj(name, refId: newRef(bag), typeNames: Clixml.typeNames(.psCustomObject))
            }
            if !props.isEmpty {
                open("MS")
                for (n, v) in props { write(v, name: n, depth: depth) }
                close("MS")
            }
            close("Obj")
        }
    }

    /// A type and its base types, most specific first, ending with System.Object.
    static func typeNames(_ t: DotNetType) -> [String] {
        var names: [String] = []
        var cur: DotNetType? = t
        while let c = cur {
            names.append(c.fullName)
            cur = c.baseType
        }
        if t.kind == .enumeration && !names.contains("System.Enum") { names.insert("System.Enum", at: 1) }
        if names.last != "System.Object" { names.append("System.Object") }
        return names
    }

    // MARK: String encoding ([MS-PSRP] 2.2.5.3.2)

    /// PowerShell's InternalSerializer.EncodeString: control characters (U+0000-U+001F,
    /// U+007F-U+009F) and every UTF-16 surrogate become `_xHHHH_`; `_` followed by `x` or `X`
    /// becomes `_x005F_`. U+FFFE and U+FFFF, which XML cannot carry and PowerShell's writer would
    /// reject, are encoded the same way (its reader decodes them).
    static func encode(_ s: String) -> String {
        // Fast path: printable ASCII without `_` needs nothing.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5F }) { return s }
        let units = Array(s.utf16)
        func needs(_ i: Int) -> Bool {
            let c = units[i]
            if c <= 0x1F || (c >= 0x7F && c <= 0x9F) || (c >= 0xD800 && c <= 0xDFFF) || c >= 0xFFFE { return true }
            return c == 0x5F && i + 1 < units.count && (units[i + 1] == 0x78 || units[i + 1] == 0x58)
        }
        guard let first = units.indices.first(where: needs) else { return s }
        var out: [UInt16] = Array(units[..<first])
        out.reserveCapacity(units.count + 16)
        let hex = Array("0123456789ABCDEF".utf16)
        for i in first..<units.count {
            if needs(i) {
                let c = units[i]
                out.append(contentsOf: [0x5F, 0x78, hex[Int(c >> 12)], hex[Int(c >> 8 & 0xF)], hex[Int(c >> 4 & 0xF)], hex[Int(c & 0xF)], 0x5F])
            } else {
                out.append(units[i])
            }
        }
        return String(decoding: out, as: UTF16.self)
    }

    /// XmlConvert.DecodeName, which PowerShell's reader applies to strings, names and type names:
    /// `_xHHHH_` is one UTF-16 unit, `_xHHHHHHHH_` a code point (left alone above U+10FFFF).
    static func decode(_ s: String) -> String {
        guard s.utf8.contains(0x5F) else { return s }
        let u = Array(s.utf16)
        func hex(_ c: UInt16) -> UInt32? {
            switch c {
            case 0x30...0x39: return UInt32(c - 0x30)
            case 0x41...0x46: return UInt32(c - 0x41 + 10)
            case 0x61...0x66: return UInt32(c - 0x61 + 10)
            default: return nil
            }
        }
        func hexRun(_ start: Int, _ count: Int) -> UInt32? {
            guard start + count <= u.count else { return nil }
            var v: UInt32 = 0
            for k in start..<start + count {
                guard let h = hex(u[k]) else { return nil }
                v = v << 4 | h
            }
            return v
        }
        var out: [UInt16] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if u[i] == 0x5F, i + 1 < u.count, u[i + 1] == 0x78 || u[i + 1] == 0x58 {
                if let v = hexRun(i + 2, 4), i + 6 < u.count, u[i + 6] == 0x5F {
                    out.append(UInt16(v))
                    i += 7
                    continue
                }
                if let v = hexRun(i + 2, 8), i + 10 < u.count, u[i + 10] == 0x5F {
                    if v <= 0xFFFF {
                        out.append(UInt16(v))
                    } else if v <= 0x10FFFF {
                        let x = v - 0x10000
                        out.append(UInt16(0xD800 + (x >> 10)))
                        out.append(UInt16(0xDC00 + (x & 0x3FF)))
                    } else {
                        out.append(contentsOf: u[i..<i + 11])
                    }
                    i += 11
                    continue
                }
            }
            out.append(u[i])
            i += 1
        }
        return String(decoding: out, as: UTF16.self)
    }

    /// Text content: `&`, `<` and `>` escaped, as XmlWriter.WriteString does.
    static func escapeText(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Attribute values (double-quoted): also `"`.
    static func escapeAttribute(_ s: String) -> String {
        escapeText(s).replacingOccurrences(of: "\"", with: "&quot;")
    }

    // MARK: Primitive formats (XmlConvert)

    /// XmlConvert.ToString(Double): "R" round-trip digits, `INF`, `-INF`, `NaN`, `-0`.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-INF" : "INF" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        return (try? DotNetNumberFormat.format(d, "R")) ?? String(d)
    }

    static let decimalLimit = 79_228_162_514_264_337_593_543_950_335.0

    /// Decimal.ToString(InvariantCulture) for a decimal kept as a double: plain digits, never an
    /// exponent. Nil when the value is no decimal (NaN, infinite, beyond ±7.9E28).
    static func formatDecimal(_ d: Double) -> String? {
        guard d.isFinite, abs(d) <= decimalLimit else { return nil }
        if d == 0 { return "0" }
        // The double nearest Decimal.MaxValue prints as 7.922816251426434E+28, which is above it.
        if abs(d) == decimalLimit { return (d < 0 ? "-" : "") + "79228162514264337593543950335" }
        let r = formatDouble(d)
        guard let e = r.firstIndex(where: { $0 == "E" || $0 == "e" }) else { return r }
        let exponent = Int(r[r.index(after: e)...]) ?? 0
        var mantissa = String(r[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intDigits = String(parts[0])
        let fracDigits = parts.count > 1 ? String(parts[1]) : ""
        let digits = intDigits + fracDigits
        let point = intDigits.count + exponent  // position of the decimal point within `digits`
        var text: String
        if point <= 0 {
            text = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            text = digits + String(repeating: "0", count: point - digits.count)
        } else {
            text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return negative ? "-" + text : text
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// XmlConvert.ToString(DateTime, RoundtripKind): `yyyy-MM-ddTHH:mm:ss`, up to seven fraction
    /// digits with trailing zeros dropped, then `Z` (UTC), the local offset (Local) or nothing.
    static func formatDateTime(_ d: DotNetDateTime, timeZone: TimeZone = .current) -> String {
        var s = pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2) + "T"
            + pad(d.hour, 2) + ":" + pad(d.minute, 2) + ":" + pad(d.second, 2)
        var fraction = Int(d.ticks % DotNetTimeSpan.ticksPerSecond)
        if fraction != 0 {
            var digits = 7
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            s += "." + pad(fraction, digits)
        }
        switch d.kind {
        case .unspecified: break
        case .utc: s += "Z"
        case .local:
            let offset = DotNetDateTime.localOffset(forLocalTicks: d.ticks, in: timeZone).ticks
            let minutes = Int(abs(offset) / DotNetTimeSpan.ticksPerMinute)
            s += (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
        }
        return s
    }

    /// XmlConvert.ToString(TimeSpan): an xs:duration with days as the largest unit
    /// (`PT1H30M`, `P1DT2H3M4.5S`, `-PT0.0000001S`, `PT0S`).
    static func formatTimeSpan(_ t: DotNetTimeSpan) -> String {
        var rest = t.ticks.magnitude
        let fraction = rest % 10_000_000
        rest /= 10_000_000
        let seconds = rest % 60
        rest /= 60
        let minutes = rest % 60
        rest /= 60
        let hours = rest % 24
        let days = rest / 24
        var s = t.ticks < 0 ? "-P" : "P"
        if days != 0 { s += "\(days)D" }
        if hours != 0 || minutes != 0 || seconds != 0 || fraction != 0 {
            s += "T"
            if hours != 0 { s += "\(hours)H" }
            if minutes != 0 { s += "\(minutes)M" }
            if seconds != 0 || fraction != 0 {
                s += "\(seconds)"
                if fraction != 0 {
                    var f = Int(fraction)
                    var digits = 7
                    while f % 10 == 0 { f /= 10; digits -= 1 }
                    s += "." + pad(f, digits)
                }
                s += "S"
            }
        }
        if s.hasSuffix("P") { s += "T0S" }
        return s
    }
}

/// A CLIXML document that could not be read: what was wrong and where.
struct ClixmlError: Error, CustomStringConvertible, Equatable {
    let message: String
    let line: Int?
    let column: Int?

    init(_ message: String, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    var description: String {
        guard let line else { return "CLIXML: " + message }
        return "CLIXML: \(message) (line \(line), column \(column ?? 1))"
    }
}
