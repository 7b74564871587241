import Foundation

extension TypeRegistry {
    static func mathMethod(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        func d(_ i: Int) throws -> Double { try Conversions.toDouble(a[i], l) }
        func allInts() -> Bool { a.allSatisfy { if case .int = $0 { return true }; if case .long = $0 { return true }; return false } }
        switch (n.lowercased(), a.count) {
        case ("abs", 1):
            switch try Conversions.toNumber(a[0], l) {
            case .int(let i):
                guard i != Int32.min else {
                    throw RuntimeError("Negating the minimum value of a twos complement number is invalid.", at: l, type: .overflowException)
                }
                return .int(abs(i))
            case .long(let i):
                guard i != Int64.min else {
                    throw RuntimeError("Negating the minimum value of a twos complement number is invalid.", at: l, type: .overflowException)
                }
                return .long(abs(i))
            case .decimal(let x): return .decimal(abs(x))
            default: return .double(abs(try d(0)))
            }
        case ("max", 2), ("min", 2):
            let isMax = n.lowercased() == "max"
            if allInts() {
                let x = try Conversions.toInt64(a[0], l), y = try Conversions.toInt64(a[1], l)
                let r = isMax ? max(x, y) : min(x, y)
                if case .int = a[0], case .int = a[1] { return .int(Int32(r)) }
                return .long(r)
            }
            return .double(isMax ? max(try d(0), try d(1)) : min(try d(0), try d(1)))
        case ("pow", 2): return .double(pow(try d(0), try d(1)))
        case ("sqrt", 1): return .double(sqrt(try d(0)))
        case ("floor", 1): return .double(floor(try d(0)))
        case ("ceiling", 1): return .double(ceil(try d(0)))
        case ("truncate", 1): return .double(trunc(try d(0)))
        case ("log", 1): return .double(log(try d(0)))
        case ("log", 2): return .double(log(try d(0)) / log(try d(1)))
        case ("log10", 1): return .double(log10(try d(0)))
        case ("log2", 1): return .double(log2(try d(0)))
        case ("exp", 1): return .double(exp(try d(0)))
        case ("sin", 1): return .double(sin(try d(0)))
        case ("cos", 1): return .double(cos(try d(0)))
        case ("tan", 1): return .double(tan(try d(0)))
        case ("atan", 1): return .double(atan(try d(0)))
        case ("atan2", 2): return .double(atan2(try d(0), try d(1)))
        case ("sign", 1): let x = try d(0); return .int(x > 0 ? 1 : (x < 0 ? -1 : 0))
        case ("round", 1...3):
            var digits = 0
            var mode: FloatingPointRoundingRule = .toNearestOrEven
            for extra in a.dropFirst() {
                if case .object(let e as EnumValue) = extra {
                    mode = roundingRule(e.name)
                } else if case .string(let s) = extra, Int(s) == nil {
                    mode = roundingRule(s)
                } else {
                    digits = Int(try Conversions.toInt32(extra, l))
                }
            }
            guard (0...15).contains(digits) else {
                throw RuntimeError("Rounding digits must be between 0 and 15, inclusive. (Parameter 'digits')", at: l, type: .argumentOutOfRangeException)
            }
            let x = try d(0)
            guard x.isFinite, abs(x) < 1e15 else { return .double(x) }
            let scale = pow(10.0, Double(digits))
            let r = digits == 0 ? x.rounded(mode) : roundDecimal(x, digits, mode, scale)
            if case .decimal = a[0] { return .decimal(r) }
            return .double(r)
        default: return nil
        }
    }

    private static func roundingRule(_ name: String) -> FloatingPointRoundingRule {
        switch name.lowercased() {
        case "awayfromzero": return .toNearestOrAwayFromZero
        case "tozero": return .towardZero
        case "tonegativeinfinity": return .down
        case "topositiveinfinity": return .up
        default: return .toNearestOrEven
        }
    }

    /// Rounds to `digits` decimals on the decimal text of the value (as .NET does), so that 1.25
    /// rounds to 1.2 with banker's rounding rather than by binary noise.
    private static func roundDecimal(_ x: Double, _ digits: Int, _ mode: FloatingPointRoundingRule, _ scale: Double) -> Double {
        let s = Decimal(string: String(x)) ?? Decimal(x)
        var value = s
        var result = Decimal()
        let m: NSDecimalNumber.RoundingMode
        switch mode {
        case .toNearestOrAwayFromZero: m = .plain
        case .towardZero: m = x >= 0 ? .down : .up
        case .down: m = .down
        case .up: m = .up
        default: m = .bankers
        }
        NSDecimalRound(&result, &value, digits, m)
        return NSDecimalNumber(decimal: result).doubleValue
    }

    static func stringStatic(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch (n.lowercased(), a.count) {
        case ("isnullorempty", 1):
            return .bool(a[0].isNull || Conversions.toString(a[0], c).isEmpty)
        case ("isnullorwhitespace", 1):
            return .bool(a[0].isNull || Conversions.toString(a[0], c).allSatisfy(\.isWhitespace))
        case ("join", 2...):
            let sep = Conversions.toString(a[0], c)
            let items = a.count == 2 ? (Operators.elements(a[1]) ?? [a[1]]) : Array(a.dropFirst())
            return .string(items.map { Conversions.toString($0, c) }.joined(separator: sep))
        case ("concat", _):
            let items = a.count == 1 ? (Operators.elements(a[0]) ?? [a[0]]) : a
            return .string(items.map { Conversions.toString($0, c) }.joined())
        case ("format", 1...):
            let args = a.count == 2 ? (Operators.elements(a[1]) ?? [a[1]]) : Array(a.dropFirst())
            return try TextOperators.format(a[0], .array(PSArray(args)), c, l)
        case ("equals", 2):
            return .bool(Conversions.toString(a[0], c) == Conversions.toString(a[1], c))
        case ("compare", 2...):
            let ignore = a.count > 2 && Conversions.toBool(a[2])
            return .int(Int32(Operators.compareStrings(Conversions.toString(a[0], c), Conversions.toString(a[1], c), caseSensitive: !ignore)))
        case ("new", _):
            if a.count == 2 { return .string(String(repeating: Conversions.toString(a[0], c), count: try Conversions.toInt(a[1], l))) }
            return nil
        default: return nil
        }
    }

    static func convertStatic(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        guard let first = a.first else { return nil }
        switch n.lowercased() {
        case "toboolean":
            switch first {
            case .string(let s):
                switch s.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default:
                    throw RuntimeError("Exception calling \"ToBoolean\" with \"1\" argument(s): \"String '\(s)' was not recognized as a valid Boolean.\"",
                                       at: l, type: .methodInvocationException)
                }
            default: return .bool(Conversions.toBool(first))
            }
        case "toint32":
            if a.count == 2, case .string(let s) = first, let base = Int(Conversions.toString(a[1], c)) {
                guard [2, 8, 10, 16].contains(base) else { throw RuntimeError("Invalid Base.", at: l, type: .argumentException) }
                guard let v = Int32(s, radix: base) else { throw RuntimeError("Could not find any recognizable digits.", at: l, type: .formatException) }
                return .int(v)
            }
            return try Conversions.convert(first, to: .int32, c, l)
        case "toint64": return try Conversions.convert(first, to: .int64, c, l)
        case "todouble": return try Conversions.convert(first, to: .double, c, l)
        case "tostring":
            if a.count == 2, let base = Int(Conversions.toString(a[1], c)) {
                guard [2, 8, 10, 16].contains(base) else { throw RuntimeError("Invalid Base.", at: l, type: .argumentException) }
                return .string(String(try Conversions.toInt64(first, l), radix: base))
            }
            return .string(Conversions.toString(first, c))
        case "tochar": return try Conversions.convert(first, to: .char, c, l)
        case "tohexstring":
            let bytes = try Bytes.from(first, c, l)
            return .string(bytes.map { String(format: "%02X", $0) }.joined())
        case "tobase64string":
            return .string(Data(try Bytes.from(first, c, l)).base64EncodedString())
        case "frombase64string":
            guard let d = Data(base64Encoded: Conversions.toString(first, c)) else {
                throw RuntimeError("The input is not a valid Base-64 string.", at: l, type: .formatException)
            }
            return Bytes.value(Array(d))
        case "fromhexstring":
            let s = Conversions.toString(first, c)
            var out: [UInt8] = []
            var it = s.makeIterator()
            while let h = it.next(), let lo = it.next() {
                guard let b = UInt8(String([h, lo]), radix: 16) else { throw RuntimeError("The input is not a valid hex string.", at: l, type: .formatException) }
                out.append(b)
            }
            return Bytes.value(out)
        default: return nil
        }
    }
}

/// Byte arrays (System.Byte[]) as scripts see them: arrays of ints typed Byte.
enum Bytes {
    static let byteArray = DotNetType.arrayOf(.byte)

    static func value(_ bytes: [UInt8]) -> Value {
        .array(PSArray(bytes.map { .int(Int32($0)) }, elementType: .byte))
    }

    static func from(_ v: Value, _ c: ExecutionContext, _ l: SourceLocation) throws -> [UInt8] {
        switch v {
        case .string(let s): return Array(s.utf8)
        case .null: return []
        default:
            return try (Operators.elements(v) ?? [v]).map { item in
                let i = try Conversions.toInt64(item, l)
                guard (0...255).contains(i) else { throw RuntimeError("Value was either too large or too small for an unsigned byte.", at: l, type: .overflowException) }
                return UInt8(i)
            }
        }
    }
}
