import Foundation

/// Instance methods of System.String (ordinal and case-sensitive, as in .NET).
enum StringMethods {
    static func chars(_ v: Value, _ c: ExecutionContext) -> [UInt16] {
        if case .char(let ch) = v { return [ch] }
        return Array(Conversions.toString(v, c).utf16)
    }

    static func str(_ u: ArraySlice<UInt16>) -> String { String(decoding: u, as: UTF16.self) }

    static func trimSet(_ args: [Value], _ c: ExecutionContext) -> Set<UInt16>? {
        guard !args.isEmpty else { return nil }
        var set = Set<UInt16>()
        for a in args { for item in Operators.elements(a) ?? [a] { set.formUnion(chars(item, c)) } }
        return set
    }

    static func call(_ s: String, _ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        func arg(_ i: Int) -> String { Conversions.toString(a[i], c) }
        func int(_ i: Int) throws -> Int { Int(try Conversions.toInt32(a[i], l)) }
        let u = Array(s.utf16)
        func outOfRange(_ what: String) -> RuntimeError {
            RuntimeError("Exception calling \"\(n)\" with \"\(a.count)\" argument(s): \"\(what)\"", at: l, type: .methodInvocationException)
        }
        switch (n, a.count) {
        case ("toupper", 0), ("toupperinvariant", 0): return .string(s.uppercased())
        case ("tolower", 0), ("tolowerinvariant", 0): return .string(s.lowercased())
        case ("trim", _), ("trimstart", _), ("trimend", _):
            let set = trimSet(a, c)
            func strip(_ ch: UInt16) -> Bool {
                if let set { return set.contains(ch) }
                return Unicode.Scalar(ch).map { $0.properties.isWhitespace } ?? false
            }
            var lo = 0, hi = u.count
            if n != "trimend" { while lo < hi && strip(u[lo]) { lo += 1 } }
            if n != "trimstart" { while hi > lo && strip(u[hi - 1]) { hi -= 1 } }
            return .string(str(u[lo..<hi]))
        case ("contains", 1): return .bool(arg(0).isEmpty || s.contains(arg(0)))
        case ("startswith", 1): return .bool(s.hasPrefix(arg(0)))
        case ("endswith", 1): return .bool(s.hasSuffix(arg(0)))
        case (let m, 2) where ["startswith", "endswith", "contains", "indexof"].contains(m) && isComparison(a[1], c):
            let ignore = Conversions.toString(a[1], c).lowercased().contains("ignorecase")
            let x = ignore ? s.lowercased() : s, y = ignore ? arg(0).lowercased() : arg(0)
            switch n {
            case "startswith": return .bool(x.hasPrefix(y))
            case "endswith": return .bool(x.hasSuffix(y))
            case "contains": return .bool(y.isEmpty || x.contains(y))
            default: return .int(Int32(indexOf(Array(x.utf16), Array(y.utf16), from: 0)))
            }
        case ("indexof", 1), ("indexof", 2):
            let needle = chars(a[0], c)
            let from = a.count > 1 ? try int(1) : 0
            guard from >= 0 && from <= u.count else { throw outOfRange("startIndex cannot be larger than length of string.") }
            return .int(Int32(indexOf(u, needle, from: from)))
        case ("lastindexof", 1):
            let needle = chars(a[0], c)
            guard !needle.isEmpty else { return .int(Int32(u.count - 1)) }
            var i = u.count - needle.count
            while i >= 0 { if Array(u[i..<i + needle.count]) == needle { return .int(Int32(i)) }; i -= 1 }
            return .int(-1)
        case ("indexofany", 1):
            let set = Set(chars(a[0], c).isEmpty ? [] : (Operators.elements(a[0]) ?? [a[0]]).flatMap { chars($0, c) })
            return .int(Int32(u.firstIndex { set.contains($0) } ?? -1))
        case ("substring", 1), ("substring", 2):
            let start = try int(0)
            let len = a.count > 1 ? try int(1) : u.count - start
            guard start >= 0, start <= u.count else { throw outOfRange("startIndex cannot be larger than length of string. (Parameter 'startIndex')") }
            guard len >= 0, start + len <= u.count else { throw outOfRange("Index and length must refer to a location within the string. (Parameter 'length')") }
            return .string(str(u[start..<start + len]))
        case ("replace", 2):
            let old = arg(0)
            guard !old.isEmpty else { throw outOfRange("String cannot be of zero length. (Parameter 'oldValue')") }
            return .string(s.replacingOccurrences(of: old, with: arg(1)))
        case ("replace", 3):
            let ignore = Conversions.toBool(a[2]) || Conversions.toString(a[2], c).lowercased().contains("ignorecase")
            return .string(s.replacingOccurrences(of: arg(0), with: arg(1), options: ignore ? [.caseInsensitive] : []))
        case ("split", _):
            return .array(PSArray(try split(u, a, c, l).map { .string($0) }))
        case ("insert", 2):
            let i = try int(0)
            guard i >= 0 && i <= u.count else { throw outOfRange("Index was out of range.") }
            return .string(str(u[0..<i]) + arg(1) + str(u[i...]))
        case ("remove", 1), ("remove", 2):
            let i = try int(0)
            let len = a.count > 1 ? try int(1) : u.count - i
            guard i >= 0, len >= 0, i + len <= u.count else { throw outOfRange("Index and count must refer to a location within the string.") }
            return .string(str(u[0..<i]) + str(u[(i + len)...]))
        case ("padleft", 1), ("padleft", 2), ("padright", 1), ("padright", 2):
            let width = try int(0)
            guard width >= 0 else { throw outOfRange("Non-negative number required. (Parameter 'totalWidth')") }
            try Operators.checkSize(1, width, l)
            let pad = a.count > 1 ? (chars(a[1], c).first ?? 32) : 32
            guard width > u.count else { return .string(s) }
            let fill = str(ArraySlice(repeating: pad, count: width - u.count))
            return .string(n == "padleft" ? fill + s : s + fill)
        case ("tochararray", 0): return .array(PSArray(u.map { .char($0) }, elementType: .char))
        case ("tostring", _): return .string(s)
        case ("equals", 1): return .bool(s == arg(0))
        case ("equals", 2):
            let ignore = Conversions.toString(a[1], c).lowercased().contains("ignorecase")
            return .bool(ignore ? Operators.stringEqualsIgnoringCase(s, arg(0)) : s == arg(0))
        case ("compareto", 1): return .int(Int32(Operators.compareStrings(s, arg(0), caseSensitive: true)))
        case ("normalize", 0): return .string(s.precomposedStringWithCanonicalMapping)
        case ("isnormalized", 0): return .bool(true)
        case ("getenumerator", 0): return .array(PSArray(u.map { .char($0) }))
        default: return nil
        }
    }

    private static func isComparison(_ v: Value, _ c: ExecutionContext) -> Bool {
        if case .object(let e as EnumValue) = v { return e.name.lowercased().contains("case") || e.name.lowercased().contains("ordinal") }
        if case .string(let s) = v { return s.lowercased().contains("case") || s.lowercased().contains("ordinal") }
        return false
    }

    static func indexOf(_ u: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        guard !needle.isEmpty else { return from }
        guard needle.count <= u.count else { return -1 }
        var i = from
        while i + needle.count <= u.count {
            if u[i] == needle[0] && Array(u[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return -1
    }

    /// String.Split(separators[, count][, options]): ordinal, on any of the given strings or chars.
    static func split(_ u: [UInt16], _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> [String] {
        var seps: [[UInt16]] = []
        var count = Int.max
        var removeEmpty = false
        for (i, arg) in a.enumerated() {
            if i > 0, case .int = arg { count = try Conversions.toInt(arg, l); continue }
            if i > 0, case .object(let e as EnumValue) = arg { removeEmpty = e.name.lowercased().contains("removeempty"); continue }
            if i > 0, case .string(let s) = arg, s.lowercased().contains("removeemptyentries") || s.lowercased() == "none" {
                removeEmpty = s.lowercased().contains("removeempty")
                continue
            }
            switch arg {
            case .char(let ch): seps.append([ch])
            case .string(let s): seps.append(Array(s.utf16))
            default: for item in Operators.elements(arg) ?? [arg] { seps.append(chars(item, c)) }
            }
        }
        if seps.isEmpty || seps.allSatisfy(\.isEmpty) { seps = [[32], [9], [10], [13]] }
        var out: [String] = []
        var start = 0, i = 0
        while i < u.count {
            if out.count == count - 1 { break }
            if let sep = seps.first(where: { !$0.isEmpty && i + $0.count <= u.count && Array(u[i..<i + $0.count]) == $0 }) {
                let piece = str(u[start..<i])
                if !(removeEmpty && piece.isEmpty) { out.append(piece) }
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        let last = str(u[start...])
        if !(removeEmpty && last.isEmpty) { out.append(last) }
        return out
    }
}

/// Methods of arrays and hashtables.
enum CollectionMethods {
    static func callArray(_ a: PSArray, _ n: String, _ args: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch (n, args.count) {
        case ("foreach", 1):
            let out = CollectingPipe()
            for item in a.items {
                switch args[0] {
                case .scriptBlock(let sb): _ = try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: item, c, dotSource: true, output: out)
                default: try out.writeEnumerated(try Members.get(item, Conversions.toString(args[0], c), c, l))
                }
            }
            return .array(PSArray(out.items))
        case ("where", 1), ("where", 2):
            guard case .scriptBlock(let sb) = args[0] else { return nil }
            var out: [Value] = []
            for item in a.items where Conversions.toBool(try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: item, c, dotSource: true)) {
                out.append(item)
                if args.count == 2, Conversions.toString(args[1], c).lowercased() == "first" { break }
            }
            return .array(PSArray(out))
        case ("contains", 1): return .bool(a.items.contains { Operators.equals($0, args[0], caseSensitive: true) })
        case ("indexof", 1): return .int(Int32(a.items.firstIndex { Operators.equals($0, args[0], caseSensitive: true) } ?? -1))
        case ("clone", 0): return .array(PSArray(a.items, elementType: a.elementType))
        case ("getenumerator", 0): return .array(a)
        case ("add", 1), ("remove", 1), ("clear", 0), ("insert", 2), ("removeat", 1):
            throw RuntimeError("Exception calling \"\(n.capitalized)\" with \"\(args.count)\" argument(s): \"Collection was of a fixed size.\"",
                               at: l, type: .methodInvocationException)
        default: return nil
        }
    }

    static func callHashtable(_ h: PSHashtable, _ n: String, _ args: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch (n, args.count) {
        case ("add", 2):
            guard h.add(args[0], args[1]) else {
                let k = Conversions.toString(args[0], c)
                throw RuntimeError("Exception calling \"Add\" with \"2\" argument(s): \"Item has already been added. Key in dictionary: '\(k)'  Key being added: '\(k)'\"",
                                   at: l, type: .methodInvocationException)
            }
            return .null
        case ("remove", 1): h.remove(args[0]); return .null
        case ("containskey", 1), ("contains", 1): return .bool(h.contains(args[0]))
        case ("containsvalue", 1): return .bool(h.values.contains { Operators.equals($0, args[0], caseSensitive: true) })
        case ("clear", 0): h.removeAll(); return .null
        case ("clone", 0): return .hashtable(h.clone())
        case ("getenumerator", 0): return .array(PSArray(h.entries.map { .object(DictionaryEntry($0.key, $0.value)) }))
        case ("get_item", 1): return h.get(args[0]) ?? .null
        case ("set_item", 2): h.set(args[0], args[1]); return .null
        default: return nil
        }
    }
}

/// Methods of numbers: ToString(format), CompareTo, Equals.
enum NumberMethods {
    static func call(_ v: Value, _ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch (n, a.count) {
        case ("tostring", 0): return .string(Conversions.toString(v, c))
        case ("tostring", 1), ("tostring", 2):
            do { return .string(try TextOperators.formatValue(v, Conversions.toString(a[0], c), c, l)) } catch let e as RuntimeError { throw e } catch {
                throw RuntimeError("Exception calling \"ToString\" with \"1\" argument(s): \"Format specifier was invalid.\"", at: l, type: .formatException)
            }
        case ("compareto", 1): return .int(Int32(try Operators.compare(v, a[0], caseSensitive: true, l)))
        case ("equals", 1): return .bool(Operators.equals(v, a[0], caseSensitive: true) && Conversions.typeOf(v) == Conversions.typeOf(a[0]))
        default: return nil
        }
    }
}
