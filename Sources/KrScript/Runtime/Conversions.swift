import Foundation

/// PowerShell's conversion rules, in one place: truthiness, string forms, numbers, and casts.
enum Conversions {
    // MARK: truthiness

    static func toBool(_ v: Value) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .long(let i): return i != 0
        case .double(let d), .decimal(let d): return d != 0
        case .char(let c): return c != 0
        case .string(let s): return !s.isEmpty
        case .array(let a):
            switch a.items.count {
            case 0: return false
            case 1: return toBool(a.items[0])
            default: return true
            }
        case .object(let o):
            if let items = o.enumerated {
                switch items.count {
                case 0: return false
                case 1: return toBool(items[0])
                default: return true
                }
            }
            if let s = o as? SwitchValue { return s.isPresent }
            return true
        default: return true
        }
    }

    // MARK: strings

    /// The string form PowerShell uses for interpolation, `-join`, string concatenation and `[string]`.
    static func toString(_ v: Value, _ ctx: ExecutionContext?) -> String {
        toString(v, ctx, nesting: 0)
    }

    /// Collections are joined with $OFS; one that contains itself (directly or not) stops at a
    /// bounded nesting and shows its type name there.
    private static func toString(_ v: Value, _ ctx: ExecutionContext?, nesting: Int) -> String {
        if nesting > 16 { return typeOf(v).fullName }
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .long(let i): return String(i)
        case .double(let d): return DotNetNumberFormat.powerShellString(d)
        case .decimal(let d): return DotNetNumberFormat.powerShellString(d)
        case .char(let c): return String(utf16CodeUnits: [c], count: 1)
        case .string(let s): return s
        case .array(let a):
            let sep = ctx?.ofs ?? " "
            return a.items.map { toString($0, ctx, nesting: nesting + 1) }.joined(separator: sep)
        case .hashtable(let h): return h.ordered ? DotNetType.ordered.fullName : (h.synchronized ? DotNetType.syncHashtable.fullName : DotNetType.hashtable.fullName)
        case .scriptBlock(let sb): return sb.text
        case .dateTime(let d): return d.format(nil)
        case .timeSpan(let t): return t.format(nil)
        case .type(let t): return t.fullName
        case .object(let o):
            if let items = o.enumerated, !(o is PSCustomObject) {
                return items.map { toString($0, ctx, nesting: nesting + 1) }.joined(separator: ctx?.ofs ?? " ")
            }
            return o.toDisplayString(ctx)
        }
    }

    // MARK: numbers

    /// Parses a string the way PowerShell converts text to a number: integers as Int32 (or Int64 when
    /// they need it), decimals and exponents as Double, hex with 0x, surrounding white space allowed.
    static func parseNumber(_ text: String) -> Value? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return .int(0) }
        var body = Substring(s)
        var negative = false
        if body.first == "-" || body.first == "+" { negative = body.first == "-"; body = body.dropFirst() }
        if body.lowercased().hasPrefix("0x"), let v = UInt64(body.dropFirst(2), radix: 16) {
            if v <= UInt64(UInt32.max) {
                let i = Int32(bitPattern: UInt32(v))
                return .int(negative ? -i : i)
            }
            let l = Int64(bitPattern: v)
            return .long(negative ? -l : l)
        }
        if body.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if let i = Int32(s.hasPrefix("+") ? String(s.dropFirst()) : s) { return .int(i) }
            if let l = Int64(s.hasPrefix("+") ? String(s.dropFirst()) : s) { return .long(l) }
            if let d = Double(s) { return .double(d) }
            return nil
        }
        let allowed = body.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") }
        if allowed, let d = Double(s) { return .double(d) }
        return nil
    }

    /// Converts an operand to a number for arithmetic; `$null` is 0, booleans are 0/1.
    static func toNumber(_ v: Value, _ loc: SourceLocation?) throws -> Value {
        switch v {
        case .int, .long, .double, .decimal: return v
        case .null: return .int(0)
        case .bool(let b): return .int(b ? 1 : 0)
        case .char(let c): return .int(Int32(c))
        case .string(let s):
            if let n = parseNumber(s) { return n }
            throw castError(v, to: .double, loc, reason: "Input string was not in a correct format.")
        case .array(let a) where a.items.count == 1: return try toNumber(a.items[0], loc)
        default:
            throw castError(v, to: .double, loc)
        }
    }

    static func toDouble(_ v: Value, _ loc: SourceLocation?) throws -> Double {
        switch try toNumber(v, loc) {
        case .int(let i): return Double(i)
        case .long(let l): return Double(l)
        case .double(let d), .decimal(let d): return d
        default: return 0
        }
    }

    static func toInt64(_ v: Value, _ loc: SourceLocation?) throws -> Int64 {
        switch try toNumber(v, loc) {
        case .int(let i): return Int64(i)
        case .long(let l): return l
        case .double(let d), .decimal(let d):
            let r = d.rounded(.toNearestOrEven)
            guard r.isFinite, r >= -9.223372036854775808e18, r < 9.223372036854775808e18 else {
                throw castError(v, to: .int64, loc, reason: "Value was either too large or too small for an Int64.")
            }
            return Int64(r)
        default: return 0
        }
    }

    static func toInt32(_ v: Value, _ loc: SourceLocation?) throws -> Int32 {
        let l = try toInt64(v, loc)
        guard let i = Int32(exactly: l) else {
            throw castError(v, to: .int32, loc, reason: "Value was either too large or too small for an Int32.")
        }
        return i
    }

    static func toInt(_ v: Value, _ loc: SourceLocation?) throws -> Int {
        Int(try toInt64(v, loc))
    }

    /// Ticks (100 ns) for an amount of a unit: NaN, infinities and out-of-range values are errors
    /// (as TimeSpan.FromSeconds and DateTime.AddDays report them), never a trap.
    static func ticks(_ amount: Double, perUnit: Double, _ loc: SourceLocation?) throws -> Int64 {
        guard !amount.isNaN else { throw RuntimeError("TimeSpan does not accept floating point Not-a-Number values.", at: loc, type: .argumentException) }
        let t = (amount * perUnit).rounded(.towardZero)
        guard t.isFinite, t > -9.2e18, t < 9.2e18 else {
            throw RuntimeError("TimeSpan overflowed because the duration is too long.", at: loc, type: .overflowException)
        }
        return Int64(t)
    }

    static func castError(_ v: Value, to t: DotNetType, _ loc: SourceLocation?, reason: String? = nil) -> RuntimeError {
        let shown: String
        switch v {
        case .null: shown = ""
        default: shown = toString(v, nil)
        }
        var msg = "Cannot convert value \"\(shown)\" to type \"\(t.fullName)\"."
        if let reason { msg += " Error: \"\(reason)\"" }
        if case .null = v { msg = "Cannot convert null to type \"\(t.fullName)\"." }
        return RuntimeError(msg, at: loc, type: .psInvalidCastException, errorId: "InvalidCastException")
    }

    // MARK: types

    static func typeOf(_ v: Value) -> DotNetType {
        switch v {
        case .null: return .object
        case .bool: return .bool
        case .int: return .int32
        case .long: return .int64
        case .double: return .double
        case .decimal: return .decimal
        case .char: return .char
        case .string: return .string
        case .array(let a): return a.elementType.map(DotNetType.arrayOf) ?? .objectArray
        case .hashtable(let h): return h.ordered ? .ordered : (h.synchronized ? .syncHashtable : .hashtable)
        case .scriptBlock: return .scriptBlock
        case .dateTime: return .dateTime
        case .timeSpan: return .timeSpan
        case .type: return .runtimeType
        case .object(let o): return o.dotNetType
        }
    }

    /// `-is`: whether the value is of the type (or derives from it).
    static func isInstance(_ v: Value, of t: DotNetType) -> Bool {
        if case .null = v { return false }
        let vt = typeOf(v)
        if t.kind == .array && t.elementType == nil { return vt.kind == .array }
        if t.kind == .psObject || t.fullName == "System.Object" { return true }
        if t.kind == .hashtable && vt.kind == .hashtable { return true }
        return vt.isSubtype(of: t)
    }

    // MARK: casts

    /// Converts a value to a type as a cast (`[int]$x`), a typed parameter or a typed variable does.
    static func convert(_ v: Value, to t: DotNetType, _ ctx: ExecutionContext?, _ loc: SourceLocation? = nil) throws -> Value {
        switch t.kind {
        case .object, .psObject: return v
        case .void: return .null
        case .int32:
            if case .int = v { return v }
            if case .null = v { return .int(0) }
            if case .string(let s) = v, parseNumber(s) == nil { throw castError(v, to: t, loc, reason: "Input string was not in a correct format.") }
            return .int(try toInt32(v, loc))
        case .int64:
            if case .long = v { return v }
            if case .null = v { return .long(0) }
            if case .string(let s) = v, parseNumber(s) == nil { throw castError(v, to: t, loc, reason: "Input string was not in a correct format.") }
            return .long(try toInt64(v, loc))
        case .byte:
            let i = try toInt64(v, loc)
            guard (0...255).contains(i) else { throw castError(v, to: t, loc, reason: "Value was either too large or too small for an unsigned byte.") }
            return .int(Int32(i))
        case .double:
            if case .null = v { return .double(0) }
            if case .string(let s) = v, parseNumber(s) == nil { throw castError(v, to: t, loc, reason: "Input string was not in a correct format.") }
            return .double(try toDouble(v, loc))
        case .decimal:
            return .decimal(try toDouble(v, loc))
        case .string:
            if case .null = v { return .string("") }
            return .string(toString(v, ctx))
        case .bool:
            return .bool(toBool(v))
        case .switchParameter:
            return .object(SwitchValue(toBool(v)))
        case .char:
            switch v {
            case .char: return v
            case .string(let s) where s.utf16.count == 1: return .char(s.utf16.first ?? 0)
            case .int, .long, .double:
                let i = try toInt64(v, loc)
                guard (0...0xFFFF).contains(i) else { throw castError(v, to: t, loc) }
                return .char(UInt16(i))
            default: throw castError(v, to: t, loc, reason: "String must be exactly one character long.")
            }
        case .array:
            let items: [Value]
            switch v {
            case .null: return .null
            case .array(let a): items = a.items
            case .object(let o) where o.enumerated != nil: items = o.enumerated ?? []
            default: items = [v]
            }
            guard let et = t.elementType, et.kind != .object else { return .array(PSArray(items)) }
            return .array(PSArray(try items.map { try convert($0, to: et, ctx, loc) }, elementType: et))
        case .hashtable:
            if case .hashtable = v { return v }
            if case .object(let o as PSCustomObject) = v {
                let h = PSHashtable()
                for (k, val) in o.properties { h.set(.string(k), val) }
                return .hashtable(h)
            }
            throw castError(v, to: t, loc)
        case .ordered:
            if case .hashtable(let h) = v, h.ordered { return v }
            throw castError(v, to: t, loc)
        case .psCustomObject:
            if case .hashtable(let h) = v {
                let o = PSCustomObject()
                for (k, val) in h.entries { o.set(toString(k, ctx), val) }
                return .object(o)
            }
            return v
        case .scriptBlock:
            if case .scriptBlock = v { return v }
            throw castError(v, to: t, loc)
        case .dateTime:
            switch v {
            case .dateTime: return v
            case .string(let s):
                if let d = DotNetDateTime.parse(s) { return .dateTime(d) }
                throw castError(v, to: t, loc, reason: "String '\(s)' was not recognized as a valid DateTime.")
            default: throw castError(v, to: t, loc)
            }
        case .timeSpan:
            switch v {
            case .timeSpan: return v
            case .string(let s):
                if let ts = DotNetTimeSpan.parse(s) { return .timeSpan(ts) }
                throw castError(v, to: t, loc)
            case .int, .long: return .timeSpan(DotNetTimeSpan(ticks: try toInt64(v, loc)))
            default: throw castError(v, to: t, loc)
            }
        case .type:
            if case .type = v { return v }
            if case .string(let s) = v, let ty = TypeRegistry.shared.resolve(name: s) { return .type(ty) }
            throw castError(v, to: t, loc)
        case .enumeration:
            if let conv = t.statics?.property, case .string(let s) = v, let e = conv(s) { return e }
            if case .object(let o as EnumValue) = v, o.type == t { return v }
            throw castError(v, to: t, loc)
        default:
            if Conversions.isInstance(v, of: t) { return v }
            if let c = t.statics?.construct, let ctx, let loc { return try c([v], ctx, loc) }
            throw castError(v, to: t, loc)
        }
    }
}

/// A [switch] parameter value.
final class SwitchValue: PSObject, @unchecked Sendable {
    let isPresent: Bool
    init(_ p: Bool) { isPresent = p }
    override var dotNetType: DotNetType { .switchParameter }
    override func getProperty(_ name: String) -> Value? { name.lowercased() == "ispresent" ? .bool(isPresent) : nil }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { isPresent ? "True" : "False" }
}

/// A value of a .NET enum type ([System.MidpointRounding]::AwayFromZero).
final class EnumValue: PSObject, @unchecked Sendable {
    let type: DotNetType
    let name: String
    let raw: Int
    init(type: DotNetType, name: String, raw: Int) { self.type = type; self.name = name; self.raw = raw }
    override var dotNetType: DotNetType { type }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { name }
}
