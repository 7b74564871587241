import Foundation

/// [regex] statics, regex instances, and Match/Group objects.
enum RegexObjects {
    static func options(_ a: [Value], from i: Int, _ c: ExecutionContext, _ l: SourceLocation) throws -> DotNetRegexOptions {
        guard i < a.count else { return [] }
        let text: String
        if case .object(let e as EnumValue) = a[i] { text = e.name } else { text = Conversions.toString(a[i], c) }
        do { return try DotNetRegexOptions.parse(text) } catch { throw RuntimeError("\(error)", at: l, type: .argumentException) }
    }

    static func compile(_ pattern: String, _ opts: DotNetRegexOptions, _ l: SourceLocation) throws -> DotNetRegex {
        do { return try DotNetRegex.cached(pattern, options: opts) } catch {
            throw RuntimeError("\(error)", at: l, type: .argumentException, errorId: "InvalidRegularExpression")
        }
    }

    static func construct(_ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value {
        guard let p = a.first else { throw RuntimeError("Regex needs a pattern.", at: l, type: .argumentException) }
        return .object(RegexObject(try compile(Conversions.toString(p, c), try options(a, from: 1, c, l), l)))
    }

    static func staticMethod(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        let name = n.lowercased()
        if name == "escape", a.count == 1 { return .string(DotNetRegex.escape(Conversions.toString(a[0], c))) }
        if name == "unescape", a.count == 1 { return .string((try? DotNetRegex.unescape(Conversions.toString(a[0], c))) ?? "") }
        guard a.count >= 2 else { return nil }
        let input = Conversions.toString(a[0], c)
        let optIndex = name == "replace" ? 3 : 2
        let re = try compile(Conversions.toString(a[1], c), try options(a, from: optIndex, c, l), l)
        return try RegexObject(re).call(name, input, Array(a.dropFirst(2)), c, l)
    }
}

final class RegexObject: PSObject, @unchecked Sendable {
    let re: DotNetRegex
    init(_ re: DotNetRegex) { self.re = re }
    override var dotNetType: DotNetType { TypeRegistry.regex }

    override func callMethod(_ name: String, _ args: [Value], _ c: ExecutionContext) throws -> Value? {
        guard let first = args.first else { return nil }
        let l = SourceLocation(file: SourceFile(name: "<regex>", text: ""), line: 0, column: 0)
        return try call(name, Conversions.toString(first, c), Array(args.dropFirst()), c, l)
    }

    func call(_ name: String, _ input: String, _ rest: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch name {
        case "ismatch": return .bool(re.isMatch(input))
        case "match": return .object(MatchObject(re.firstMatch(in: input) ?? .empty))
        case "matches": return .object(MatchCollection(re.matches(in: input).map(MatchObject.init)))
        case "split": return .array(PSArray(re.split(input).map { .string($0) }))
        case "replace":
            guard let r = rest.first else { return nil }
            if case .scriptBlock(let sb) = r {
                return .string(try re.replace(in: input) { m in
                    Conversions.toString(try Invoker.invokeScriptBlock(sb, args: [.object(MatchObject(m))], c), c)
                })
            }
            return .string(re.replace(in: input, replacement: Conversions.toString(r, c)))
        default: return nil
        }
    }

    override func toDisplayString(_ ctx: ExecutionContext?) -> String { re.pattern }
}

final class MatchObject: PSObject, @unchecked Sendable {
    let match: DotNetMatch
    init(_ m: DotNetMatch) { match = m }
    static let type = DotNetType("System.Text.RegularExpressions.Match", kind: .other, base: .object)
    override var dotNetType: DotNetType { MatchObject.type }
    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "success": return .bool(match.success)
        case "value": return .string(match.value)
        case "index": return .int(Int32(match.index))
        case "length": return .int(Int32(match.length))
        case "groups": return .object(GroupCollection(match.groups))
        case "captures": return .array(PSArray([.object(GroupObject(match.groups[0]))]))
        default: return nil
        }
    }
    override var propertyNames: [String] { ["Groups", "Success", "Name", "Captures", "Index", "Length", "Value"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { match.value }
}

final class GroupObject: PSObject, @unchecked Sendable {
    let group: DotNetGroup
    init(_ g: DotNetGroup) { group = g }
    static let type = DotNetType("System.Text.RegularExpressions.Group", kind: .other, base: .object)
    override var dotNetType: DotNetType { GroupObject.type }
    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "success": return .bool(group.success)
        case "value": return .string(group.value)
        case "name": return .string(group.name)
        case "index": return .int(Int32(group.index))
        case "length": return .int(Int32(group.length))
        default: return nil
        }
    }
    override var propertyNames: [String] { ["Success", "Name", "Index", "Length", "Value"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { group.value }
}

final class GroupCollection: PSObject, Indexable, @unchecked Sendable {
    let groups: [DotNetGroup]
    init(_ g: [DotNetGroup]) { groups = g }
    static let type = DotNetType("System.Text.RegularExpressions.GroupCollection", kind: .other, base: .object)
    override var dotNetType: DotNetType { GroupCollection.type }
    override var enumerated: [Value]? { groups.map { .object(GroupObject($0)) } }
    override func getProperty(_ name: String) -> Value? {
        if name.lowercased() == "count" { return .int(Int32(groups.count)) }
        return groups.first { $0.name.lowercased() == name.lowercased() }.map { .object(GroupObject($0)) }
    }
    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        if case .string(let s) = idx { return groups.first { $0.name.lowercased() == s.lowercased() }.map { .object(GroupObject($0)) } ?? .null }
        let i = try Conversions.toInt(idx, loc)
        return groups.first { $0.number == i }.map { .object(GroupObject($0)) } ?? .null
    }
}

final class MatchCollection: PSObject, Indexable, @unchecked Sendable {
    let matches: [MatchObject]
    init(_ m: [MatchObject]) { matches = m }
    static let type = DotNetType("System.Text.RegularExpressions.MatchCollection", kind: .other, base: .object)
    override var dotNetType: DotNetType { MatchCollection.type }
    override var enumerated: [Value]? { matches.map { .object($0) } }
    override func getProperty(_ name: String) -> Value? { name.lowercased() == "count" ? .int(Int32(matches.count)) : nil }
    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        try Members.indexList(matches.map { .object($0) }, idx, loc)
    }
}
