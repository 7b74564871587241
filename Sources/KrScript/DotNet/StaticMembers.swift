import Foundation

/// Static members of the common types: [math], [string], [int], [Convert], [regex], [datetime] ...
extension TypeRegistry {
    static let math = DotNetType("System.Math", kind: .other, base: .object)
    static let convert = DotNetType("System.Convert", kind: .other, base: .object)
    static let regex = DotNetType("System.Text.RegularExpressions.Regex", kind: .other, base: .object)
    static let midpointRounding = DotNetType("System.MidpointRounding", kind: .enumeration, base: .valueType)
    static let environment = DotNetType("System.Environment", kind: .other, base: .object)
    static let guid = DotNetType("System.Guid", kind: .other, base: .valueType)
    static let path = DotNetType("System.IO.Path", kind: .other, base: .object)

    /// [object]::ReferenceEquals and [object]::Equals. Reference types are the same instance or not;
    /// value types (numbers, strings, dates) are boxed anew in .NET, so they are never the same reference.
    static func objectStatic(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        guard a.count == 2 else { return nil }
        switch n.lowercased() {
        case "referenceequals":
            switch (a[0], a[1]) {
            case (.null, .null): return .bool(true)
            case (.array(let x), .array(let y)): return .bool(x === y)
            case (.hashtable(let x), .hashtable(let y)): return .bool(x === y)
            case (.scriptBlock(let x), .scriptBlock(let y)): return .bool(x === y)
            case (.object(let x), .object(let y)): return .bool(x === y)
            case (.type(let x), .type(let y)): return .bool(x === y)
            default: return .bool(false)
            }
        case "equals":
            return .bool(Operators.equals(a[0], a[1], caseSensitive: true))
        default:
            return nil
        }
    }

    /// [System.IO.Path]: the path helpers scripts use to build file names.
    static func pathStatic(_ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        let s = a.map { Conversions.toString($0, c) }
        switch (n.lowercased(), s.count) {
        case ("gettemppath", 0):
            let t = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            return .string(t.hasSuffix("/") ? t : t + "/")
        case ("combine", 1...):
            // Like .NET: a rooted part restarts the path.
            return .string(s.reduce("") { acc, part in
                part.hasPrefix("/") || acc.isEmpty ? part : (acc.hasSuffix("/") ? acc + part : acc + "/" + part)
            })
        case ("getfilename", 1): return .string((s[0] as NSString).lastPathComponent)
        case ("getfilenamewithoutextension", 1):
            return .string(((s[0] as NSString).lastPathComponent as NSString).deletingPathExtension)
        case ("getextension", 1):
            let e = (s[0] as NSString).pathExtension
            return .string(e.isEmpty ? "" : "." + e)
        case ("getdirectoryname", 1): return .string((s[0] as NSString).deletingLastPathComponent)
        case ("getfullpath", 1): return .string(URL(fileURLWithPath: SessionCmdlets.resolvePath(s[0])).standardizedFileURL.path)
        default: return nil
        }
    }

    static func staticTypes() -> [DotNetType] {
        [math, convert, regex, midpointRounding, environment, guid, path] + GenericTypes.plainTypes
    }

    static func attachStatics() {
        math.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "pi": return .double(Double.pi)
            case "e": return .double(M_E)
            default: return nil
            }
        }, method: mathMethod)
        DotNetType.string.statics = StaticMembers(property: { $0.lowercased() == "empty" ? .string("") : nil }, method: stringStatic)
        for t in [DotNetType.int32, .int64, .double, .byte, .char, .decimal] {
            t.statics = StaticMembers(property: { numericLimit(t, $0) }, method: { n, a, c, l in try numericStatic(t, n, a, c, l) })
        }
        DotNetType.bool.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "truestring": return .string("True")
            case "falsestring": return .string("False")
            default: return nil
            }
        }, method: { n, a, c, l in
            if n.lowercased() == "parse", a.count == 1 {
                switch Conversions.toString(a[0], c).trimmingCharacters(in: .whitespaces).lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: throw RuntimeError("String '\(Conversions.toString(a[0], c))' was not recognized as a valid Boolean.", at: l, type: .formatException)
                }
            }
            return nil
        })
        DotNetType.object.statics = StaticMembers(method: objectStatic)
        path.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "directoryseparatorchar": return .char(UInt16(UInt8(ascii: "/")))
            case "pathseparator": return .char(UInt16(UInt8(ascii: ":")))
            default: return nil
            }
        }, method: pathStatic)
        convert.statics = StaticMembers(method: convertStatic)
        regex.statics = StaticMembers(method: RegexObjects.staticMethod, construct: RegexObjects.construct)
        DotNetType.dateTime.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "now": return .dateTime(DotNetDateTime.now())
            case "utcnow": return .dateTime(DotNetDateTime.utcNow())
            case "today": return .dateTime(DotNetDateTime.today())
            case "minvalue": return .dateTime(DotNetDateTime.minValue)
            case "maxvalue": return .dateTime(DotNetDateTime.maxValue)
            default: return nil
            }
        }, method: { n, a, c, l in
            switch (n.lowercased(), a.count) {
            case ("parse", 1):
                return try Conversions.convert(.string(Conversions.toString(a[0], c)), to: .dateTime, c, l)
            case ("daysinmonth", 2):
                return .int(Int32(DotNetDateTime.daysInMonth(year: try Conversions.toInt(a[0], l), month: try Conversions.toInt(a[1], l))))
            case ("isleapyear", 1):
                return .bool(DotNetDateTime.isLeapYear(try Conversions.toInt(a[0], l)))
            default: return nil
            }
        }, construct: { a, c, l in
            let n = try a.map { try Conversions.toInt($0, l) }
            guard n.count >= 3 else { throw RuntimeError("DateTime needs at least year, month and day.", at: l, type: .argumentException) }
            guard let d = try? DotNetDateTime(year: n[0], month: n[1], day: n[2], hour: n.count > 3 ? n[3] : 0,
                                              minute: n.count > 4 ? n[4] : 0, second: n.count > 5 ? n[5] : 0) else {
                throw RuntimeError("Year, Month, and Day parameters describe an un-representable DateTime.", at: l, type: .argumentOutOfRangeException)
            }
            return .dateTime(d)
        })
        DotNetType.timeSpan.statics = StaticMembers(property: { n in
            n.lowercased() == "zero" ? .timeSpan(DotNetTimeSpan(ticks: 0)) : nil
        }, method: { n, a, c, l in
            let x = a.isEmpty ? 0 : try Conversions.toDouble(a[0], l)
            switch n.lowercased() {
            case "fromseconds": return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(x, perUnit: 10_000_000, l)))
            case "frommilliseconds": return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(x, perUnit: 10_000, l)))
            case "fromminutes": return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(x, perUnit: 600_000_000, l)))
            case "fromhours": return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(x, perUnit: 36_000_000_000, l)))
            case "fromdays": return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(x, perUnit: 864_000_000_000, l)))
            case "parse": return try Conversions.convert(a.first ?? .null, to: .timeSpan, c, l)
            default: return nil
            }
        }, construct: { a, c, l in
            let n = try a.map { try Conversions.toInt64($0, l) }
            switch n.count {
            case 1: return .timeSpan(DotNetTimeSpan(ticks: n[0]))
            case 3: return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(Double(n[0]) * 3600 + Double(n[1]) * 60 + Double(n[2]), perUnit: 10_000_000, l)))
            case 4: return .timeSpan(DotNetTimeSpan(ticks: try Conversions.ticks(((Double(n[0]) * 24 + Double(n[1])) * 60 + Double(n[2])) * 60 + Double(n[3]), perUnit: 10_000_000, l)))
            default: throw RuntimeError("Cannot find an overload for \"TimeSpan\" and the argument count: \"\(n.count)\".", at: l)
            }
        })
        midpointRounding.statics = enumStatics(midpointRounding, ["ToEven", "AwayFromZero", "ToZero", "ToNegativeInfinity", "ToPositiveInfinity"])
        DotNetType.hashtable.statics = StaticMembers(method: { n, a, c, l in
            if n.lowercased() == "synchronized", a.count == 1, case .hashtable(let h) = a[0] {
                h.synchronized = true
                return .hashtable(h)
            }
            return nil
        }, construct: { _, _, _ in .hashtable(PSHashtable()) })
        DotNetType.psCustomObject.statics = StaticMembers(construct: { _, _, _ in .object(PSCustomObject()) })
        DotNetType.scriptBlock.statics = StaticMembers(method: { n, a, c, l in
            if n.lowercased() == "create", a.count == 1 {
                let ast = try Parser.parseScript(SourceFile(name: "<scriptblock>", text: Conversions.toString(a[0], c)))
                return .scriptBlock(ScriptBlock(ast))
            }
            return nil
        })
        environment.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "newline": return .string("\n")
            case "processorcount": return .int(Int32(ProcessInfo.processInfo.activeProcessorCount))
            case "machinename": return .string(ProcessInfo.processInfo.hostName)
            case "processid": return .int(Int32(ProcessInfo.processInfo.processIdentifier))
            case "currentdirectory": return .string(FileManager.default.currentDirectoryPath)
            default: return nil
            }
        }, method: { n, a, c, _ in
            if n.lowercased() == "getenvironmentvariable", a.count >= 1 {
                return ProcessInfo.processInfo.environment[Conversions.toString(a[0], c)].map { .string($0) } ?? .null
            }
            return nil
        })
        guid.statics = StaticMembers(property: { n in n.lowercased() == "empty" ? .object(GuidObject("00000000-0000-0000-0000-000000000000")) : nil },
                                     method: { n, a, c, l in
            switch (n.lowercased(), a.count) {
            case ("newguid", 0): return .object(GuidObject(UUID().uuidString.lowercased()))
            case ("parse", 1):
                guard let u = UUID(uuidString: Conversions.toString(a[0], c)) else {
                    throw RuntimeError("Unrecognized Guid format.", at: l, type: .formatException)
                }
                return .object(GuidObject(u.uuidString.lowercased()))
            default: return nil
            }
        })
        for e in DotNetType.exceptionTypes {
            e.statics = StaticMembers(construct: { a, c, _ in
                let msg = a.first.map { Conversions.toString($0, c) } ?? "Exception of type '\(e.fullName)' was thrown."
                let ex = ExceptionObject(type: e, message: msg)
                if a.count > 1, case .object(let inner as ExceptionObject) = a[1] { ex.innerException = inner }
                return .object(ex)
            })
        }
        GenericTypes.attachStatics()
        CryptoAndNet.attachStatics()
        attachStaticNames()
    }

    /// System.Guid, shown in its lower-case text form.
    final class GuidObject: PSObject, @unchecked Sendable {
        let text: String
        init(_ t: String) { text = t }
        override var dotNetType: DotNetType { TypeRegistry.guid }
        override func getProperty(_ name: String) -> Value? { name.lowercased() == "guid" ? .string(text) : nil }
        override var propertyNames: [String] { ["Guid"] }
        override func toDisplayString(_ ctx: ExecutionContext?) -> String { text }
    }

    static func enumStatics(_ t: DotNetType, _ names: [String]) -> StaticMembers {
        StaticMembers(property: { n in
            guard let i = names.firstIndex(where: { $0.lowercased() == n.lowercased() }) else { return nil }
            return .object(EnumValue(type: t, name: names[i], raw: i))
        }, propertyNames: names)
    }

    static func numericLimit(_ t: DotNetType, _ name: String) -> Value? {
        switch (t.kind, name.lowercased()) {
        case (.int32, "maxvalue"): return .int(Int32.max)
        case (.int32, "minvalue"): return .int(Int32.min)
        case (.int64, "maxvalue"): return .long(Int64.max)
        case (.int64, "minvalue"): return .long(Int64.min)
        case (.byte, "maxvalue"): return .int(255)
        case (.byte, "minvalue"): return .int(0)
        case (.double, "maxvalue"): return .double(Double.greatestFiniteMagnitude)
        case (.double, "minvalue"): return .double(-Double.greatestFiniteMagnitude)
        case (.double, "epsilon"): return .double(Double.leastNonzeroMagnitude)
        case (.double, "nan"): return .double(Double.nan)
        case (.double, "positiveinfinity"): return .double(Double.infinity)
        case (.double, "negativeinfinity"): return .double(-Double.infinity)
        case (.char, "maxvalue"): return .char(0xFFFF)
        case (.char, "minvalue"): return .char(0)
        default: return nil
        }
    }

    static func numericStatic(_ t: DotNetType, _ n: String, _ a: [Value], _ c: ExecutionContext, _ l: SourceLocation) throws -> Value? {
        switch n.lowercased() {
        case "parse":
            guard let s = a.first else { return nil }
            let text = Conversions.toString(s, c)
            guard Conversions.parseNumber(text) != nil, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RuntimeError("Exception calling \"Parse\" with \"1\" argument(s): \"The input string '\(text)' was not in a correct format.\"",
                                   at: l, type: .methodInvocationException)
            }
            return try Conversions.convert(.string(text), to: t, c, l)
        case "isnan" where t.kind == .double: return .bool((try Conversions.toDouble(a.first ?? .null, l)).isNaN)
        default: return nil
        }
    }
}
