import Foundation

/// Where the candidates come from: the command table and the session's functions, the scopes'
/// variables and the host's injected ones, live values' members, the type registry, the file system.
extension Completer {
    // MARK: commands

    func commandNames() -> [String] {
        var names = commands.cmdlets.map(\.name) + commands.aliases.map(\.0)
        var scope: Scope? = context.scope
        while let s = scope {
            names += (s.functions ?? [:]).values.map(\.name)
            scope = s.parent
        }
        return names
    }

    // MARK: expressions

    /// Variables, members after `.`, static members after `]::` and type names after `[`, in the
    /// expression that starts at `start` and runs to the cursor. Nil when it is none of those.
    func completeExpression(from start: Int) -> CompletionResult? {
        let run = String(String.UnicodeScalarView(text[start..<cursorOffset]))
        guard run.contains("$") || run.contains("[") else { return nil }
        var lx = Lexer(file: SourceFile(name: "<completion>", text: run))
        var toks: [Token] = []
        while true {
            guard let t = try? lx.next(.expression) else { return nil }
            if t.kind == .eof { break }
            toks.append(t)
        }
        guard let last = toks.last, last.end == run.unicodeScalars.count else { return nil }
        func source(_ from: Int, _ to: Int) -> String { lx.text(from, to) }

        // `$Vi`, `$`
        if case .variable(let name) = last.kind { return result(from: start + last.start, variables(name)) }
        if case .word("$") = last.kind { return result(from: start + last.start, variables("")) }

        // What is being completed after `.` or `::`: the typed part and the token before it.
        var prefix = "", prefixStart = last.end, sepIndex = toks.count - 1
        if case .word(let w) = last.kind, toks.count >= 2, toks[toks.count - 2].end == last.start {
            prefix = w
            prefixStart = last.start
            sepIndex = toks.count - 2
        }
        switch toks[sepIndex].kind {
        case .doubleColon:
            guard let type = bracketType(toks, before: sepIndex, source) else { return nil }
            return result(from: start + prefixStart, matching(Completer.staticMemberNames(type), prefix))
        case .dot, .nullDot:
            if let value = chainValue(toks, before: sepIndex, source) {
                return result(from: start + prefixStart, matching(MemberNames.of(value), prefix))
            }
        default:
            break
        }

        // `[Sys`, `[System.Ma`: an open bracket that is not an index.
        guard let open = toks.lastIndex(where: { $0.kind == .lbracket }),
              toks[(open + 1)...].allSatisfy({ if case .word = $0.kind { return true }; return $0.kind == .dot }) else { return nil }
        if open > 0, toks[open - 1].end == toks[open].start {
            switch toks[open - 1].kind {
            case .variable, .word, .rbracket, .rparen: return nil
            default: break
            }
        }
        let typed = source(toks[open].end, run.unicodeScalars.count)
        return result(from: start + toks[open].end, matching(TypeRegistry.shared.names, typed))
    }

    private var cursorOffset: Int { text.count }

    /// The type named in `[...]` right before `toks[index]`.
    private func bracketType(_ toks: [Token], before index: Int, _ source: (Int, Int) -> String) -> DotNetType? {
        guard index > 0, toks[index - 1].kind == .rbracket,
              let open = toks[..<(index - 1)].lastIndex(where: { $0.kind == .lbracket }) else { return nil }
        return TypeRegistry.shared.resolve(name: source(toks[open].end, toks[index - 1].start).trimmingCharacters(in: .whitespaces))
    }

    /// The value of the member chain ending right before `toks[index]`: `$name.a.b` or
    /// `[Type]::Property.a`. Only variables and properties are read; nothing is called.
    private func chainValue(_ toks: [Token], before index: Int, _ source: (Int, Int) -> String) -> Value? {
        var names: [String] = []
        var j = index - 1
        while j >= 1, case .word(let w) = toks[j].kind, toks[j - 1].kind == .dot || toks[j - 1].kind == .nullDot {
            names.insert(w, at: 0)
            j -= 2
        }
        guard j >= 0 else { return nil }
        var value: Value?
        switch toks[j].kind {
        case .variable(let name):
            value = variableValue(name)
        case .word(let w) where j >= 1 && toks[j - 1].kind == .doubleColon:
            value = bracketType(toks, before: j - 1, source)?.statics?.property?(w)
        default:
            return nil
        }
        for n in names {
            guard let v = value else { return nil }
            value = Members.propertyValue(v, n)
        }
        return value
    }

    // MARK: variables

    private func variableValue(_ name: String) -> Value? {
        let path = VariablePath(name)
        if path.qualifier == .env { return ProcessInfo.processInfo.environment[path.name].map { .string($0) } }
        if let v = context.lookupVariable(path) { return v.value }
        return commands.injectedVariables.first { $0.name.lowercased() == path.name.lowercased() }?.value
    }

    /// `$`-names for what was typed after the `$` (with a scope qualifier such as `global:` or `env:`).
    func variables(_ typed: String) -> [String] {
        var qualifier = "", rest = typed
        if let colon = typed.firstIndex(of: ":") {
            qualifier = String(typed[...colon])
            rest = String(typed[typed.index(after: colon)...])
        }
        var names: [String]
        if qualifier.lowercased() == "env:" {
            names = Array(ProcessInfo.processInfo.environment.keys)
        } else {
            names = commands.injectedVariables.map(\.name)
            var scope: Scope? = context.scope
            while let s = scope {
                names += s.localVariables.map(\.1.name)
                scope = s.parent
            }
            names = names.filter { $0.unicodeScalars.allSatisfy(Lexer.isVariableChar) && $0 != "?" }
        }
        return matching(names, rest).map { "$" + qualifier + $0 }
    }

    // MARK: statics

    static func staticMemberNames(_ type: DotNetType) -> [String] {
        guard let s = type.statics else { return [] }
        return s.propertyNames + s.methodNames.map { $0 + "(" } + (s.construct == nil ? [] : ["new("])
    }

    // MARK: paths

    /// Files and folders whose path starts with `typed` (folders end with `/`); relative paths are
    /// under the current folder, `~` is the home folder.
    func paths(_ typed: String) -> [String] {
        if typed == "~" { return ["~/"] }
        var folderPart = "", base = typed
        if let slash = typed.lastIndex(of: "/") {
            folderPart = String(typed[...slash])
            base = String(typed[typed.index(after: slash)...])
        }
        let folder = folderPart.isEmpty ? "." : (folderPart as NSString).expandingTildeInPath
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
        let lowered = base.lowercased()
        return names.filter { $0.lowercased().hasPrefix(lowered) && (!$0.hasPrefix(".") || base.hasPrefix(".")) }.map { name in
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return folderPart + name + (isFolder.boolValue ? "/" : "")
        }
    }
}

/// The members Tab offers after `.` on a value: properties by name, methods with `(`.
enum MemberNames {
    static let objectMethods = ["Equals(", "GetHashCode(", "GetType(", "ToString("]

    static func of(_ v: Value) -> [String] {
        switch v {
        case .null: return []
        case .hashtable(let h):
            let keys = h.keys.map { Conversions.toString($0, nil) }.map { k in
                k.unicodeScalars.allSatisfy(Lexer.isWordChar) && !k.isEmpty ? k : "'" + k.replacingOccurrences(of: "'", with: "''") + "'"
            }
            return keys + ["Count", "IsSynchronized", "Keys", "SyncRoot", "Values"]
                + ["Add(", "Clear(", "Clone(", "Contains(", "ContainsKey(", "ContainsValue(", "GetEnumerator(", "Remove("] + objectMethods
        case .array:
            return ["Count", "Length", "Rank", "Clone(", "Contains(", "ForEach(", "GetEnumerator(", "IndexOf(", "Where("] + objectMethods
        case .string:
            return ["Length"] + [
                "CompareTo(", "Contains(", "EndsWith(", "IndexOf(", "IndexOfAny(", "Insert(", "IsNormalized(", "LastIndexOf(",
                "Normalize(", "PadLeft(", "PadRight(", "Remove(", "Replace(", "Split(", "StartsWith(", "Substring(",
                "ToCharArray(", "ToLower(", "ToLowerInvariant(", "ToUpper(", "ToUpperInvariant(", "Trim(", "TrimEnd(", "TrimStart(",
            ] + objectMethods
        case .int, .long, .double, .decimal:
            return ["CompareTo("] + objectMethods
        case .dateTime:
            return ["Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Kind", "Millisecond", "Minute", "Month", "Second", "Ticks",
                    "TimeOfDay", "Year"] + [
                "Add(", "AddDays(", "AddHours(", "AddMilliseconds(", "AddMinutes(", "AddMonths(", "AddSeconds(", "AddTicks(",
                "AddYears(", "Subtract(", "ToLocalTime(", "ToLongDateString(", "ToShortDateString(", "ToUniversalTime(",
            ] + objectMethods
        case .timeSpan:
            return ["Days", "Hours", "Milliseconds", "Minutes", "Seconds", "Ticks", "TotalDays", "TotalHours", "TotalMilliseconds",
                    "TotalMinutes", "TotalSeconds", "Add(", "Duration(", "Negate("] + objectMethods
        case .type:
            return ["BaseType", "FullName", "IsArray", "Name", "Namespace"] + objectMethods
        case .scriptBlock:
            return ["Ast", "GetNewClosure(", "Invoke(", "InvokeReturnAsIs("] + objectMethods
        case .object(let o):
            return o.propertyNames + ["PSObject"] + objectMethods
        default:
            return objectMethods
        }
    }
}
