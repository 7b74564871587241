import Foundation

/// ForEach-Object, Where-Object, Select-Object, Sort-Object, Group-Object, Measure-Object.
enum PipelineCmdlets {
    static var all: [CmdletInfo] {
        [
            CmdletInfo("ForEach-Object", synopsis: "Runs a script block (or reads a member) for each input object.", parameters: [
                ParameterMeta("Process", .arrayOf(.object), position: 0, remaining: true, help: "The script block run for each object ($_ is the object)."),
                ParameterMeta("Begin", .scriptBlock, help: "Runs once before the first object."),
                ParameterMeta("End", .scriptBlock, help: "Runs once after the last object."),
                ParameterMeta("MemberName", .string, help: "A property to read or method to call on each object."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to process."),
            ], examples: [CommandExample("1..3 | ForEach-Object { $_ * 2 }", "Doubles each number.")]) { ForEachObject() },
            CmdletInfo("Where-Object", synopsis: "Selects the input objects for which a condition holds.", parameters: whereParameters,
                       examples: [CommandExample("1..6 | Where-Object { $_ % 2 -eq 0 }", "Keeps the even numbers.")]) { WhereObject() },
            CmdletInfo("Select-Object", synopsis: "Selects properties of objects, or the first, last or unique objects.", parameters: [
                ParameterMeta("Property", .arrayOf(.object), position: 0, help: "Properties to keep (names or @{Name=...;Expression={...}})."),
                ParameterMeta("ExpandProperty", .string, help: "Outputs the value of one property."),
                ParameterMeta("First", .int32, help: "Outputs the first N objects."),
                ParameterMeta("Last", .int32, help: "Outputs the last N objects."),
                ParameterMeta("Skip", .int32, help: "Skips the first N objects."),
                ParameterMeta("Unique", .switchParameter, help: "Drops duplicates."),
                ParameterMeta("Index", .arrayOf(.int32), help: "Outputs the objects at these positions."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to select from."),
            ]) { SelectObject() },
            CmdletInfo("Sort-Object", synopsis: "Sorts objects by value or by properties.", parameters: [
                ParameterMeta("Property", .arrayOf(.object), position: 0, help: "Properties (or script blocks) to sort by."),
                ParameterMeta("Descending", .switchParameter, help: "Sorts in descending order."),
                ParameterMeta("Unique", .switchParameter, help: "Drops duplicates."),
                ParameterMeta("CaseSensitive", .switchParameter, help: "Compares strings case-sensitively."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to sort."),
            ]) { CollectThenCmdlet { inv, items in try sort(inv, items) } },
            CmdletInfo("Group-Object", synopsis: "Groups objects that have the same value.", parameters: [
                ParameterMeta("Property", .arrayOf(.object), position: 0, help: "Properties to group by."),
                ParameterMeta("NoElement", .switchParameter, help: "Leaves out the Group property."),
                ParameterMeta("AsHashTable", .switchParameter, help: "Returns a hashtable of groups."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to group."),
            ]) { CollectThenCmdlet { inv, items in try group(inv, items) } },
            CmdletInfo("Measure-Object", synopsis: "Counts objects and computes sums, averages, minimums and maximums.", parameters: [
                ParameterMeta("Property", .arrayOf(.string), position: 0, help: "The property to measure."),
                ParameterMeta("Sum", .switchParameter, help: "Adds the values."),
                ParameterMeta("Average", .switchParameter, help: "Averages the values."),
                ParameterMeta("Maximum", .switchParameter, help: "Finds the largest value."),
                ParameterMeta("Minimum", .switchParameter, help: "Finds the smallest value."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to measure."),
            ]) { CollectThenCmdlet { inv, items in try measure(inv, items) } },
        ]
    }

    static var whereParameters: [ParameterMeta] {
        var ps = [
            ParameterMeta("FilterScript", position: 0, help: "The condition ($_ is the object), or a property name (simplified syntax)."),
            ParameterMeta("Property", .string, help: "A property name (simplified syntax)."),
            ParameterMeta("Value", position: 1, help: "The value compared with (simplified syntax)."),
            ParameterMeta("InputObject", pipeline: true, help: "The objects to filter."),
        ]
        for op in ["EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch", "Contains", "NotContains", "In", "NotIn",
                   "CEQ", "CNE", "CLike", "CMatch", "Is", "IsNot"] {
            ps.append(ParameterMeta(op, .switchParameter, help: "Compares with -\(op.lowercased())."))
        }
        return ps
    }

    // MARK: sort, group, measure

    static func sortKeys(_ inv: Invocation) -> [Value] {
        inv.value("Property").map { Operators.elements($0) ?? [$0] } ?? []
    }

    static func key(_ v: Value, _ spec: Value, _ c: ExecutionContext) throws -> Value {
        switch spec {
        case .scriptBlock(let sb): return try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: v, c, dotSource: true)
        case .hashtable(let h):
            if let e = h.get(.string("Expression")) ?? h.get(.string("e")) { return try key(v, e, c) }
            return .null
        default: return Members.propertyValue(v, Conversions.toString(spec, c)) ?? .null
        }
    }

    static func sort(_ inv: Invocation, _ items: [Value]) throws {
        let c = inv.ctx
        let specs = sortKeys(inv)
        let desc = inv.switchOn("Descending")
        let cs = inv.switchOn("CaseSensitive")
        let keyed: [(Value, [Value])] = try items.map { v in (v, specs.isEmpty ? [v] : try specs.map { try key(v, $0, c) }) }
        var failure: Error?
        let sorted = keyed.enumerated().sorted { a, b in
            for (x, y) in zip(a.element.1, b.element.1) {
                let r: Int
                do { r = try Operators.compare(x, y, caseSensitive: cs, inv.loc) } catch { failure = error; return false }
                if r != 0 { return desc ? r > 0 : r < 0 }
            }
            return a.offset < b.offset
        }.map(\.element)
        if let failure { throw failure }
        var out: [Value] = []
        var lastKey: [Value]?
        for (v, k) in sorted {
            if inv.switchOn("Unique"), let lk = lastKey, zip(lk, k).allSatisfy({ Operators.equals($0, $1, caseSensitive: cs) }) { continue }
            lastKey = k
            out.append(v)
        }
        for v in out { try inv.write(v) }
    }

    static let groupInfoType = DotNetType("Microsoft.PowerShell.Commands.GroupInfo", kind: .other, base: .object)
    static let measureInfoType = DotNetType("Microsoft.PowerShell.Commands.GenericMeasureInfo", kind: .other, base: .object)

    static func group(_ inv: Invocation, _ items: [Value]) throws {
        let c = inv.ctx
        let specs = sortKeys(inv)
        var order: [String] = []
        var groups: [String: (Value, [Value])] = [:]
        for v in items {
            let keys = specs.isEmpty ? [v] : try specs.map { try key(v, $0, c) }
            let name = keys.map { Conversions.toString($0, c) }.joined(separator: ", ")
            let k = name.lowercased()
            if groups[k] == nil { order.append(k); groups[k] = (.string(name), []) }
            groups[k]?.1.append(v)
        }
        if inv.switchOn("AsHashTable") {
            let h = PSHashtable()
            for k in order { if let g = groups[k] { h.set(g.0, .array(PSArray(g.1))) } }
            try inv.write(.hashtable(h))
            return
        }
        for k in order {
            guard let g = groups[k] else { continue }
            let o = PSCustomObject()
            o.typeName = groupInfoType
            o.set("Count", .int(Int32(g.1.count)))
            o.set("Name", g.0)
            if !inv.switchOn("NoElement") { o.set("Group", .array(PSArray(g.1))) }
            try inv.write(.object(o))
        }
    }

    static func measure(_ inv: Invocation, _ items: [Value]) throws {
        let prop = inv.value("Property").flatMap { Operators.elements($0)?.first ?? $0 }.map { Conversions.toString($0, inv.ctx) }
        let values = prop.map { p in items.compactMap { Members.propertyValue($0, p) } } ?? items
        let o = PSCustomObject()
        o.typeName = measureInfoType
        o.set("Count", .int(Int32(values.count)))
        let wantAvg = inv.switchOn("Average"), wantSum = inv.switchOn("Sum"), wantMax = inv.switchOn("Maximum"), wantMin = inv.switchOn("Minimum")
        let nums = try (wantAvg || wantSum || wantMax || wantMin) ? values.map { try Conversions.toDouble($0, inv.loc) } : []
        func num(_ d: Double) -> Value { .double(d) }
        o.set("Average", wantAvg && !nums.isEmpty ? num(nums.reduce(0, +) / Double(nums.count)) : .null)
        o.set("Sum", wantSum ? num(nums.reduce(0, +)) : .null)
        o.set("Maximum", wantMax && !nums.isEmpty ? num(nums.max() ?? 0) : .null)
        o.set("Minimum", wantMin && !nums.isEmpty ? num(nums.min() ?? 0) : .null)
        o.set("Property", prop.map { .string($0) } ?? .null)
        try inv.write(.object(o))
    }
}

final class ForEachObject: Cmdlet {
    private var process: [Value] = []
    private var member: String?

    override func begin() throws {
        let c = inv.ctx
        if let v = inv.value("Process") {
            let items = Operators.elements(v) ?? [v]
            if items.count == 1, case .string(let name) = items[0] {
                member = name
            } else {
                process = items
            }
        }
        if let m = inv.string("MemberName") { member = m }
        if let b = inv.value("Begin"), case .scriptBlock(let sb) = b {
            _ = try Invoker.invokeScriptBlock(sb, args: [], c, dotSource: true, output: inv.output)
        }
    }

    override func process(_ input: Value?) throws {
        let c = inv.ctx
        guard let input else { return }
        if let member {
            if case .object = input, Members.propertyValue(input, member) == nil {
                try inv.writeEnumerated(try Members.invoke(input, member, [], c, inv.loc))
            } else if let v = Members.propertyValue(input, member) {
                try inv.writeEnumerated(v)
            } else {
                try inv.writeEnumerated(try Members.invoke(input, member, [], c, inv.loc))
            }
            return
        }
        for p in process {
            guard case .scriptBlock(let sb) = p else { continue }
            _ = try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: input, c, dotSource: true, output: inv.output)
        }
    }

    override func end() throws {
        if let e = inv.value("End"), case .scriptBlock(let sb) = e {
            _ = try Invoker.invokeScriptBlock(sb, args: [], inv.ctx, dotSource: true, output: inv.output)
        }
    }
}

final class WhereObject: Cmdlet {
    override func process(_ input: Value?) throws {
        guard let input else { return }
        let c = inv.ctx
        if case .scriptBlock(let sb)? = inv.value("FilterScript") {
            if Conversions.toBool(try Invoker.invokeScriptBlock(sb, args: [], dollarUnder: input, c, dotSource: true)) {
                try inv.write(input)
            }
            return
        }
        guard let prop = inv.string("Property") ?? inv.string("FilterScript") else { return }
        let lhs = Members.propertyValue(input, prop) ?? .null
        let rhs = inv.value("Value") ?? .bool(true)
        let table: [(String, BinaryOperator)] = [
            ("EQ", .compare(.eq, caseSensitive: false)), ("NE", .compare(.ne, caseSensitive: false)),
            ("GT", .compare(.gt, caseSensitive: false)), ("GE", .compare(.ge, caseSensitive: false)),
            ("LT", .compare(.lt, caseSensitive: false)), ("LE", .compare(.le, caseSensitive: false)),
            ("Like", .compare(.like, caseSensitive: false)), ("NotLike", .compare(.notLike, caseSensitive: false)),
            ("Match", .compare(.match, caseSensitive: false)), ("NotMatch", .compare(.notMatch, caseSensitive: false)),
            ("Contains", .compare(.contains, caseSensitive: false)), ("NotContains", .compare(.notContains, caseSensitive: false)),
            ("In", .compare(.in, caseSensitive: false)), ("NotIn", .compare(.notIn, caseSensitive: false)),
            ("CEQ", .compare(.eq, caseSensitive: true)), ("CNE", .compare(.ne, caseSensitive: true)),
            ("CLike", .compare(.like, caseSensitive: true)), ("CMatch", .compare(.match, caseSensitive: true)),
            ("Is", .is), ("IsNot", .isNot),
        ]
        let op = table.first { inv.switchOn($0.0) }?.1
        let keep: Bool
        if let op {
            keep = Conversions.toBool(try Interpreter.binary(op, lhs, rhs, c, inv.loc))
        } else {
            keep = Conversions.toBool(lhs)
        }
        if keep { try inv.write(input) }
    }
}

final class SelectObject: Cmdlet {
    private var seen = 0
    private var buffer: [Value] = []
    private var uniques: [Value] = []

    override func process(_ input: Value?) throws {
        guard let input else {
            if let v = inv.value("InputObject") { for item in Operators.elements(v) ?? [v] { try handle(item) } }
            return
        }
        try handle(input)
    }

    private func project(_ v: Value) throws -> Value? {
        let c = inv.ctx
        if let e = inv.string("ExpandProperty") {
            guard let pv = Members.propertyValue(v, e) else {
                throw inv.error("Property \"\(e)\" cannot be found.", type: .argumentException)
            }
            return pv
        }
        guard let props = inv.value("Property") else { return v }
        let o = PSCustomObject()
        for p in Operators.elements(props) ?? [props] {
            if case .hashtable(let h) = p {
                let name = Conversions.toString(h.get(.string("Name")) ?? h.get(.string("n")) ?? h.get(.string("Label")) ?? .string(""), c)
                o.set(name, try PipelineCmdlets.key(v, p, c))
            } else {
                let name = Conversions.toString(p, c)
                if WildcardPattern.containsWildcard(name), case .object(let src) = v {
                    let w = WildcardPattern(name)
                    for n in src.propertyNames where w.matches(n) { o.set(n, src.getProperty(n) ?? .null) }
                } else {
                    o.set(name, Members.propertyValue(v, name) ?? .null)
                }
            }
        }
        return .object(o)
    }

    private func handle(_ v: Value) throws {
        let skip = try inv.int("Skip") ?? 0
        seen += 1
        if seen <= skip { return }
        if let idx = inv.value("Index") {
            let wanted = try (Operators.elements(idx) ?? [idx]).map { try Conversions.toInt($0, inv.loc) }
            if wanted.contains(seen - 1 - skip), let p = try project(v) { try inv.writeEnumerated(p) }
            return
        }
        if inv.has("Last") { buffer.append(v); return }
        guard let p = try project(v) else { return }
        if inv.switchOn("Unique") {
            if uniques.contains(where: { Operators.equals($0, p, caseSensitive: true) }) { return }
            uniques.append(p)
        }
        if let first = try inv.int("First") {
            if seen - skip > first, let proc = processor { throw ControlFlow.stopUpstream(ObjectIdentifier(proc)) }
            try inv.writeEnumerated(p)
            if seen - skip == first, let proc = processor { throw ControlFlow.stopUpstream(ObjectIdentifier(proc)) }
            return
        }
        try inv.writeEnumerated(p)
    }

    override func end() throws {
        if let last = try inv.int("Last") {
            for v in buffer.suffix(max(0, last)) { if let p = try project(v) { try inv.writeEnumerated(p) } }
        }
    }
}
