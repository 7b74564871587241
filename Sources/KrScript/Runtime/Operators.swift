import Foundation

/// PowerShell's operators. The left operand's type decides how the right one is converted.
enum Operators {
    // MARK: arithmetic

    enum Arith { case add, sub, mul }

    /// `a + b` or `a - b` for the common numeric pairs (int, long, double), with the same results as
    /// `add`/`subtract`; nil for everything else.
    // (Nested switches, not `switch (a, b)`: a tuple of two Values is a copy of both.)
    @inline(__always)
    static func fastAddOrSubtract(_ a: Value, _ b: Value, subtract: Bool) -> Value? {
        switch a {
        case .int(let i):
            switch b {
            case .int(let j):
                let (r, o) = subtract ? i.subtractingReportingOverflow(j) : i.addingReportingOverflow(j)
                if !o { return .int(r) }
                return .double(subtract ? Double(i) - Double(j) : Double(i) + Double(j))
            case .double(let y):
                return .double(subtract ? Double(i) - y : Double(i) + y)
            default:
                return nil
            }
        case .double(let x):
            switch b {
            case .int(let j): return .double(subtract ? x - Double(j) : x + Double(j))
            case .double(let y): return .double(subtract ? x - y : x + y)
            default: return nil
            }
        case .long(let i):
            let j: Int64
            switch b {
            case .long(let l): j = l
            case .int(let n): j = Int64(n)
            default: return nil
            }
            let (r, o) = subtract ? i.subtractingReportingOverflow(j) : i.addingReportingOverflow(j)
            if !o { return .long(r) }
            return .double(subtract ? Double(i) - Double(j) : Double(i) + Double(j))
        default:
            return nil
        }
    }

    static func add(_ a: Value, _ b: Value, _ loc: SourceLocation?, _ ctx: ExecutionContext?) throws -> Value {
        switch a {
        case .null:
            return b
        case .string(let s):
            return .string(s + Conversions.toString(b, ctx))
        case .char(let c) where !isNumeric(b):
            return .string(String(utf16CodeUnits: [c], count: 1) + Conversions.toString(b, ctx))
        case .array(let arr):
            var items = arr.items
            switch b {
            case .array(let other): items.append(contentsOf: other.items)
            default: items.append(b)
            }
            return .array(PSArray(items))
        case .hashtable(let h):
            guard case .hashtable(let other) = b else {
                throw RuntimeError("A hash table can only be added to another hash table.", at: loc, type: .invalidOperationException)
            }
            let r = h.clone()
            for (k, v) in other.entries {
                guard r.add(k, v) else {
                    throw RuntimeError("Item has already been added. Key in dictionary: '\(Conversions.toString(k, ctx))'  Key being added: '\(Conversions.toString(k, ctx))'",
                                       at: loc, type: .argumentException)
                }
            }
            return .hashtable(r)
        case .dateTime(let d):
            if case .timeSpan(let t) = b { return .dateTime(d.adding(t)) }
            return .dateTime(d.adding(DotNetTimeSpan(ticks: try Conversions.toInt64(b, loc))))
        case .timeSpan(let t):
            if case .timeSpan(let u) = b { return .timeSpan(DotNetTimeSpan(ticks: t.ticks &+ u.ticks)) }
            if case .dateTime(let d) = b { return .dateTime(d.adding(t)) }
            throw RuntimeError("Method invocation failed because [System.TimeSpan] does not contain a method named 'op_Addition'.", at: loc)
        default:
            return try arith(.add, a, b, loc)
        }
    }

    static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .long, .double, .decimal: return true
        default: return false
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        switch (a, b) {
        case (.dateTime(let x), .dateTime(let y)): return .timeSpan(x.subtracting(y))
        case (.dateTime(let x), .timeSpan(let t)): return .dateTime(x.adding(DotNetTimeSpan(ticks: -t.ticks)))
        case (.timeSpan(let x), .timeSpan(let y)): return .timeSpan(DotNetTimeSpan(ticks: x.ticks &- y.ticks))
        case (.array, _), (.hashtable, _), (.string, .array):
            throw RuntimeError("Method invocation failed because [\(Conversions.typeOf(a).fullName)] does not contain a method named 'op_Subtraction'.",
                               at: loc, type: .runtimeException)
        default: return try arith(.sub, a, b, loc)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ loc: SourceLocation?, _ ctx: ExecutionContext?) throws -> Value {
        switch a {
        case .string(let s):
            let n = Int(try Conversions.toInt32(b, loc))
            guard n >= 0 else { return .string("") }
            try checkSize(s.utf16.count, n, loc)
            return .string(String(repeating: s, count: n))
        case .array(let arr):
            let n = Int(try Conversions.toInt32(b, loc))
            try checkSize(arr.count, n, loc)
            var items: [Value] = []
            for _ in 0..<max(0, n) { items.append(contentsOf: arr.items) }
            return .array(PSArray(items))
        default:
            return try arith(.mul, a, b, loc)
        }
    }

    /// The largest string or array repetition builds (PowerShell would fail with OutOfMemory).
    static let maxRepetition = 100_000_000

    static func checkSize(_ unit: Int, _ count: Int, _ loc: SourceLocation?) throws {
        let (total, overflow) = unit.multipliedReportingOverflow(by: count)
        if overflow || total > maxRepetition {
            throw RuntimeError("The result would hold more than \(maxRepetition) elements; the operation was not done.", at: loc,
                               type: .argumentOutOfRangeException, errorId: "OutOfMemory")
        }
    }

    static func arith(_ op: Arith, _ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        let x = try Conversions.toNumber(a, loc), y = try Conversions.toNumber(b, loc)
        switch (x, y) {
        case (.int(let i), .int(let j)):
            let (r, o): (Int32, Bool)
            switch op {
            case .add: (r, o) = i.addingReportingOverflow(j)
            case .sub: (r, o) = i.subtractingReportingOverflow(j)
            case .mul: (r, o) = i.multipliedReportingOverflow(by: j)
            }
            return o ? .double(doubleOp(op, Double(i), Double(j))) : .int(r)
        case (.int, .long), (.long, .int), (.long, .long):
            let i = int64(x), j = int64(y)
            let (r, o): (Int64, Bool)
            switch op {
            case .add: (r, o) = i.addingReportingOverflow(j)
            case .sub: (r, o) = i.subtractingReportingOverflow(j)
            case .mul: (r, o) = i.multipliedReportingOverflow(by: j)
            }
            return o ? .double(doubleOp(op, Double(i), Double(j))) : .long(r)
        case (.decimal, _), (_, .decimal):
            return .decimal(doubleOp(op, double(x), double(y)))
        default:
            return .double(doubleOp(op, double(x), double(y)))
        }
    }

    @inline(__always) static func doubleOp(_ op: Arith, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        }
    }

    @inline(__always) static func int64(_ v: Value) -> Int64 {
        switch v {
        case .int(let i): return Int64(i)
        case .long(let l): return l
        case .double(let d), .decimal(let d): return Int64(d)
        default: return 0
        }
    }

    @inline(__always) static func double(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .long(let l): return Double(l)
        case .double(let d), .decimal(let d): return d
        default: return 0
        }
    }

    static func divideByZero(_ loc: SourceLocation?) -> RuntimeError {
        RuntimeError("Attempted to divide by zero.", at: loc, type: .divideByZeroException, errorId: "RuntimeException")
    }

    static func divide(_ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        let x = try Conversions.toNumber(a, loc), y = try Conversions.toNumber(b, loc)
        switch (x, y) {
        case (.int, .int), (.int, .long), (.long, .int), (.long, .long):
            let i = int64(x), j = int64(y)
            if j == 0 { throw divideByZero(loc) }
            if j == -1 && i == Int64.min { return .double(-Double(i)) }
            if i % j == 0 {
                let q = i / j
                if case .int = x, case .int = y, let small = Int32(exactly: q) { return .int(small) }
                return .long(q)
            }
            return .double(Double(i) / Double(j))
        case (.decimal, _), (_, .decimal):
            if double(y) == 0 { throw divideByZero(loc) }
            return .decimal(double(x) / double(y))
        default:
            // Floating-point division follows IEEE 754, as in .NET: 1.0 / 0 is Infinity, 0.0 / 0 NaN.
            return .double(double(x) / double(y))
        }
    }

    static func modulo(_ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        let x = try Conversions.toNumber(a, loc), y = try Conversions.toNumber(b, loc)
        switch (x, y) {
        case (.int(let i), .int(let j)):
            if j == 0 { throw divideByZero(loc) }
            return j == -1 ? .int(0) : .int(i % j)
        case (.int, .long), (.long, .int), (.long, .long):
            let i = int64(x), j = int64(y)
            if j == 0 { throw divideByZero(loc) }
            return j == -1 ? .long(0) : .long(i % j)
        case (.decimal, _), (_, .decimal):
            if double(y) == 0 { throw divideByZero(loc) }
            return .decimal(double(x).truncatingRemainder(dividingBy: double(y)))
        default:
            return .double(double(x).truncatingRemainder(dividingBy: double(y)))
        }
    }

    static func negate(_ v: Value, _ loc: SourceLocation?) throws -> Value {
        switch try Conversions.toNumber(v, loc) {
        case .int(let i): return i == Int32.min ? .long(-Int64(i)) : .int(-i)
        case .long(let l): return l == Int64.min ? .double(-Double(l)) : .long(-l)
        case .double(let d): return .double(-d)
        case .decimal(let d): return .decimal(-d)
        default: return .int(0)
        }
    }

    // MARK: bitwise

    static func bitwise(_ op: BinaryOperator, _ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        let x = try Conversions.toInt64(a, loc), y = try Conversions.toInt64(b, loc)
        let r: Int64
        switch op {
        case .band: r = x & y
        case .bor: r = x | y
        case .bxor: r = x ^ y
        case .shl: r = x << (y & 63)
        case .shr: r = x >> (y & 63)
        default: r = 0
        }
        let bothInt: Bool
        switch (try Conversions.toNumber(a, loc), try Conversions.toNumber(b, loc)) {
        case (.int, .int): bothInt = true
        default: bothInt = false
        }
        if bothInt, op == .shl { return .int(Int32(truncatingIfNeeded: Int32(truncatingIfNeeded: x) << (y & 31))) }
        if bothInt, let small = Int32(exactly: r) { return .int(small) }
        return .long(r)
    }

    // MARK: ranges

    static func range(_ a: Value, _ b: Value, _ loc: SourceLocation?) throws -> Value {
        if case .string(let s) = a, case .string(let t) = b, s.utf16.count == 1, t.utf16.count == 1,
           Conversions.parseNumber(s) == nil {
            let from = Int(s.utf16.first ?? 0), to = Int(t.utf16.first ?? 0)
            let seq = from <= to ? Array(from...to) : Array((to...from).reversed())
            return .array(PSArray(seq.map { .char(UInt16($0)) }))
        }
        let from = try Conversions.toInt32(a, loc), to = try Conversions.toInt32(b, loc)
        let count = abs(Int(to) - Int(from)) + 1
        guard count <= 50_000_000 else {
            throw RuntimeError("The range is too large: \(count) elements.", at: loc, type: .argumentOutOfRangeException)
        }
        var items: [Value] = []
        items.reserveCapacity(count)
        if from <= to { for i in from...to { items.append(.int(i)) } } else { for i in (to...from).reversed() { items.append(.int(i)) } }
        return .array(PSArray(items))
    }

    // MARK: equality and ordering

    /// `-eq`: the left operand's type decides how the right one is compared.
    static func equals(_ a: Value, _ b: Value, caseSensitive cs: Bool) -> Bool {
        switch a {
        case .null:
            return b.isNull
        case .string(let s):
            if b.isNull { return false }
            let t = Conversions.toString(b, nil)
            return cs ? s == t : stringEqualsIgnoringCase(s, t)
        case .int(let i):
            if case .int(let j) = b { return i == j }
            return numericEquals(a, b)
        case .long, .double, .decimal:
            return numericEquals(a, b)
        case .bool(let x):
            if b.isNull { return false }
            return x == Conversions.toBool(b)
        case .char(let c):
            switch b {
            case .char(let d): return cs ? c == d : stringEqualsIgnoringCase(String(utf16CodeUnits: [c], count: 1), String(utf16CodeUnits: [d], count: 1))
            case .string(let s): return cs ? String(utf16CodeUnits: [c], count: 1) == s : stringEqualsIgnoringCase(String(utf16CodeUnits: [c], count: 1), s)
            case .int, .long, .double: return numericEquals(.int(Int32(c)), b)
            default: return false
            }
        case .dateTime(let d):
            if case .dateTime(let e) = b { return d.ticks == e.ticks }
            if case .string(let s) = b, let e = DotNetDateTime.parse(s) { return d.ticks == e.ticks }
            return false
        case .timeSpan(let t):
            if case .timeSpan(let u) = b { return t.ticks == u.ticks }
            return false
        case .type(let t):
            if case .type(let u) = b { return t == u }
            if case .string(let s) = b { return stringEqualsIgnoringCase(t.fullName, s) || stringEqualsIgnoringCase(t.name, s) }
            return false
        case .array(let x):
            if case .array(let y) = b { return x === y }
            return false
        case .hashtable(let x):
            if case .hashtable(let y) = b { return x === y }
            return false
        case .scriptBlock(let x):
            if case .scriptBlock(let y) = b { return x === y }
            return false
        case .object(let o):
            if let e = o as? EnumValue {
                switch b {
                case .object(let p as EnumValue): return e.type == p.type && e.raw == p.raw
                case .string(let s): return stringEqualsIgnoringCase(e.name, s)
                case .int, .long: return Int64(e.raw) == (try? Conversions.toInt64(b, nil))
                default: return false
                }
            }
            if let s = o as? SwitchValue { return s.isPresent == Conversions.toBool(b) }
            if case .object(let p) = b { return o === p }
            return false
        }
    }

    private static func numericEquals(_ a: Value, _ b: Value) -> Bool {
        let y: Value
        switch b {
        case .null: return false
        case .string(let s):
            guard let n = Conversions.parseNumber(s), !s.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
            y = n
        case .bool(let v): y = .int(v ? 1 : 0)
        case .char(let c): y = .int(Int32(c))
        case .int, .long, .double, .decimal: y = b
        default: return false
        }
        switch (a, y) {
        case (.int, .int), (.int, .long), (.long, .int), (.long, .long): return int64(a) == int64(y)
        default: return double(a) == double(y)
        }
    }

    static func stringEqualsIgnoringCase(_ a: String, _ b: String) -> Bool {
        return a.caseInsensitiveCompare(b) == .orderedSame
    }

    private static let collationLocale = Locale(identifier: "en_US")

    /// Culture-aware string ordering (the invariant culture in PowerShell): case-insensitive unless asked.
    static func compareStrings(_ a: String, _ b: String, caseSensitive: Bool) -> Int {
        let r = a.compare(b, options: caseSensitive ? [] : [.caseInsensitive], range: nil, locale: collationLocale)
        switch r {
        case .orderedAscending: return -1
        case .orderedDescending: return 1
        case .orderedSame: return 0
        }
    }

    /// Ordering for `-lt`/`-gt` and Sort-Object; nil when the values cannot be compared.
    static func compare(_ a: Value, _ b: Value, caseSensitive cs: Bool, _ loc: SourceLocation?) throws -> Int {
        switch a {
        case .null:
            return b.isNull ? 0 : -1
        case .string(let s):
            if b.isNull { return 1 }
            return compareStrings(s, Conversions.toString(b, nil), caseSensitive: cs)
        case .int, .long, .double, .decimal, .bool, .char:
            if b.isNull { return 1 }
            let x = try Conversions.toNumber(a, loc)
            let y: Value
            do { y = try Conversions.toNumber(b, loc) } catch {
                throw RuntimeError("Cannot compare \"\(Conversions.toString(a, nil))\" to \"\(Conversions.toString(b, nil))\" because the objects are not the same type or the object \"\(Conversions.toString(a, nil))\" does not implement \"IComparable\".",
                                   at: loc, type: .argumentException)
            }
            switch (x, y) {
            case (.int, .int), (.int, .long), (.long, .int), (.long, .long):
                let i = int64(x), j = int64(y)
                return i < j ? -1 : (i > j ? 1 : 0)
            default:
                let i = double(x), j = double(y)
                return i < j ? -1 : (i > j ? 1 : 0)
            }
        case .dateTime(let d):
            let e: DotNetDateTime
            switch b {
            case .dateTime(let x): e = x
            case .string(let s): guard let x = DotNetDateTime.parse(s) else { fallthrough }; e = x
            default: throw RuntimeError("Cannot compare \"\(Conversions.toString(a, nil))\" to \"\(Conversions.toString(b, nil))\".", at: loc)
            }
            return d.ticks < e.ticks ? -1 : (d.ticks > e.ticks ? 1 : 0)
        case .timeSpan(let t):
            guard case .timeSpan(let u) = b else { throw RuntimeError("Cannot compare TimeSpan to \(Conversions.typeOf(b).name).", at: loc) }
            return t.ticks < u.ticks ? -1 : (t.ticks > u.ticks ? 1 : 0)
        default:
            if equals(a, b, caseSensitive: cs) { return 0 }
            return compareStrings(Conversions.toString(a, nil), Conversions.toString(b, nil), caseSensitive: cs)
        }
    }

    /// Enumerates a value as the comparison operators and -contains see it: arrays and lists are
    /// collections, everything else one item.
    static func elements(_ v: Value) -> [Value]? {
        switch v {
        case .array(let a): return a.items
        case .object(let o): return o.enumerated
        default: return nil
        }
    }
}
