import Foundation

/// The string operators: -match, -replace, -split, -f.
enum TextOperators {
    static func regex(_ pattern: String, caseSensitive: Bool, _ loc: SourceLocation?) throws -> DotNetRegex {
        do {
            return try DotNetRegex.cached(pattern, options: caseSensitive ? [] : [.ignoreCase])
        } catch {
            throw RuntimeError("\(error)", at: loc, type: .argumentException, errorId: "InvalidRegularExpression")
        }
    }

    /// `-match`: on success (for a single value) `$Matches` gets the groups, by number and by name.
    static func match(_ input: String, _ pattern: String, caseSensitive: Bool, _ c: ExecutionContext, _ loc: SourceLocation,
                      setMatches: Bool) throws -> Bool {
        let re = try regex(pattern, caseSensitive: caseSensitive, loc)
        guard let m = re.firstMatch(in: input), m.success else { return false }
        if setMatches {
            let h = PSHashtable()
            for g in m.groups where g.success {
                if let n = Int32(g.name) { h.set(.int(n), .string(g.value)) } else { h.set(.string(g.name), .string(g.value)) }
            }
            c.setLocal(VarID.matches, "Matches", .hashtable(h))
        }
        return true
    }

    static func replace(_ a: Value, _ b: Value, caseSensitive: Bool, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        let parts = Operators.elements(b) ?? [b]
        guard let first = parts.first else { return a }
        let re = try regex(Conversions.toString(first, c), caseSensitive: caseSensitive, loc)
        let replacement = parts.count > 1 ? parts[1] : .string("")
        func one(_ v: Value) throws -> Value {
            let s = Conversions.toString(v, c)
            if case .scriptBlock(let sb) = replacement {
                return .string(try re.replace(in: s) { m in
                    Conversions.toString(try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: .object(MatchObject(m)), c, dotSource: true), c)
                })
            }
            return .string(re.replace(in: s, replacement: Conversions.toString(replacement, c)))
        }
        if let items = Operators.elements(a) { return .array(PSArray(try items.map(one))) }
        return try one(a)
    }

    static func split(_ a: Value, _ b: Value, caseSensitive: Bool, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        let parts = Operators.elements(b) ?? [b]
        var pattern = parts.first.map { Conversions.toString($0, c) } ?? " "
        let max = parts.count > 1 ? try Conversions.toInt(parts[1], loc) : 0
        // The options (`'a.b' -split '.', 0, 'SimpleMatch'`): SimpleMatch takes the separator literally.
        var caseSensitive = caseSensitive
        if parts.count > 2 {
            let options = Conversions.toString(parts[2], c).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if options.contains("simplematch") { pattern = DotNetRegex.escape(pattern) }
            if options.contains("ignorecase") { caseSensitive = false }
        }
        var out: [Value] = []
        for item in Operators.elements(a) ?? [a] {
            let s = Conversions.toString(item, c)
            if case .scriptBlock = parts.first {
                throw RuntimeError("-split with a script block is not supported.", at: loc, type: .notSupportedException)
            }
            do {
                out += try PowerShellRegexOps.split(s, pattern: pattern, maxSubstrings: max, caseSensitive: caseSensitive).map { .string($0) }
            } catch {
                throw RuntimeError("\(error)", at: loc, type: .argumentException)
            }
        }
        return .array(PSArray(out))
    }

    static func unarySplit(_ v: Value, _ c: ExecutionContext) throws -> Value {
        var out: [Value] = []
        for item in Operators.elements(v) ?? [v] {
            out += PowerShellRegexOps.unarySplit(Conversions.toString(item, c)).map { .string($0) }
        }
        return .array(PSArray(out))
    }

    /// `-f`: .NET composite formatting.
    static func format(_ a: Value, _ b: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        let fmt = Conversions.toString(a, c)
        let args = Operators.elements(b) ?? [b]
        do {
            return .string(try CompositeFormat.format(fmt, argumentCount: args.count) { i, spec in
                try formatValue(args[i], spec, c, loc)
            })
        } catch let e as RuntimeError {
            throw e
        } catch {
            throw RuntimeError("Error formatting a string: \(error).", at: loc, type: .formatException)
        }
    }

    /// One value with an optional .NET format string (`{0:N2}`, `ToString('x')`).
    static func formatValue(_ v: Value, _ spec: String?, _ c: ExecutionContext?, _ loc: SourceLocation?) throws -> String {
        guard let spec, !spec.isEmpty else { return Conversions.toString(v, c) }
        switch v {
        case .int(let i): return try DotNetNumberFormat.format(Int64(i), spec, bits: 32)
        case .long(let l): return try DotNetNumberFormat.format(l, spec, bits: 64)
        case .double(let d), .decimal(let d): return try DotNetNumberFormat.format(d, spec)
        case .dateTime(let d): return d.format(spec)
        case .timeSpan(let t): return try t.format(spec)
        default: return Conversions.toString(v, c)
        }
    }
}
