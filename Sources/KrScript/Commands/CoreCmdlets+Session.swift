import Foundation

/// Variables, commands, paths and files.
enum SessionCmdlets {
    static var all: [CmdletInfo] {
        [
            CmdletInfo("Get-Variable", synopsis: "Gets variables of the current scope chain.", parameters: [
                ParameterMeta("Name", .arrayOf(.string), position: 0, help: "Names (wildcards allowed)."),
                ParameterMeta("ValueOnly", .switchParameter, help: "Outputs only the values."),
                ParameterMeta("Scope", .string, help: "Global, Script or Local."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let patterns = (inv.value("Name").flatMap(Operators.elements) ?? [.string("*")]).map { WildcardPattern(Conversions.toString($0, inv.ctx)) }
                    var seen = Set<String>()
                    var found: [PSVariable] = []
                    var s: Scope? = scopeFor(inv)
                    while let cur = s {
                        for (_, v) in cur.localVariables where !seen.contains(v.name.lowercased()) && patterns.contains(where: { $0.matches(v.name) }) {
                            seen.insert(v.name.lowercased())
                            found.append(v)
                        }
                        s = inv.string("Scope")?.lowercased() == "local" ? nil : cur.parent
                    }
                    if found.isEmpty, let n = inv.string("Name"), !WildcardPattern.containsWildcard(n) {
                        try inv.writeError("Cannot find a variable with the name '\(n)'.", type: .runtimeException)
                        return
                    }
                    for v in found.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
                        if inv.switchOn("ValueOnly") { try inv.write(v.value); continue }
                        let o = PSCustomObject()
                        o.set("Name", .string(v.name))
                        o.set("Value", v.value)
                        try inv.write(.object(o))
                    }
                }
            },
            CmdletInfo("Set-Variable", synopsis: "Sets a variable's value.", parameters: [
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The variable's name."),
                ParameterMeta("Value", position: 1, pipeline: true, help: "The value."),
                ParameterMeta("Scope", .string, help: "Global, Script or Local."),
                ParameterMeta("Option", .string, help: "ReadOnly or Constant."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the variable."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let name = inv.string("Name") ?? ""
                    let s = scopeFor(inv)
                    let v = s.define(VarID.intern(name), name: name, value: inv.value("Value") ?? .null)
                    if let o = inv.string("Option")?.lowercased(), o.contains("readonly") || o.contains("constant") { v.readOnly = true }
                }
            },
            CmdletInfo("Remove-Variable", synopsis: "Removes a variable.", parameters: [
                ParameterMeta("Name", .arrayOf(.string), position: 0, mandatory: true, help: "The names."),
                ParameterMeta("Scope", .string, help: "Global, Script or Local."),
            ]) {
                ClosureCmdlet { inv, _ in
                    for n in inv.value("Name").flatMap(Operators.elements) ?? [] {
                        let name = Conversions.toString(n, inv.ctx)
                        var s: Scope? = scopeFor(inv)
                        var removed = false
                        while let cur = s, !removed { removed = cur.remove(VarID.intern(name)); s = cur.parent }
                        if !removed { try inv.writeError("Cannot find a variable with the name '\(name)'.") }
                    }
                }
            },
            CmdletInfo("Get-Command", synopsis: "Lists the commands krsh knows: cmdlets, functions and aliases.", parameters: [
                ParameterMeta("Name", .arrayOf(.string), position: 0, help: "Names (wildcards allowed)."),
                ParameterMeta("Verb", .string, help: "Only commands with this verb."),
                ParameterMeta("Noun", .string, help: "Only commands with this noun."),
                ParameterMeta("Module", .string, help: "Only commands of this module (KrShell, Core)."),
            ], examples: [CommandExample("Get-Command -Noun KrSharedState", "The shared-state cmdlets.")]) {
                ClosureCmdlet { inv, _ in try getCommand(inv) }
            },
            CmdletInfo("Join-Path", synopsis: "Joins a path and child paths.", parameters: [
                ParameterMeta("Path", .string, position: 0, mandatory: true, help: "The base path."),
                ParameterMeta("ChildPath", .arrayOf(.string), position: 1, remaining: true, help: "The parts to append."),
            ]) {
                ClosureCmdlet { inv, _ in
                    var p = inv.string("Path") ?? ""
                    for part in inv.value("ChildPath").flatMap({ Operators.elements($0) ?? [$0] }) ?? [] {
                        let s = Conversions.toString(part, inv.ctx).replacingOccurrences(of: "\\", with: "/")
                        p = p.hasSuffix("/") ? p + s.drop(while: { $0 == "/" }) : p + "/" + s.drop(while: { $0 == "/" })
                    }
                    try inv.write(.string(p))
                }
            },
            CmdletInfo("Split-Path", synopsis: "Gets the parent folder or the leaf of a path.", parameters: [
                ParameterMeta("Path", .string, position: 0, mandatory: true, pipeline: true, help: "The path."),
                ParameterMeta("Leaf", .switchParameter, help: "Returns the last part."),
                ParameterMeta("Parent", .switchParameter, help: "Returns the parent folder (the default)."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let p = (inv.string("Path") ?? "") as NSString
                    try inv.write(.string(inv.switchOn("Leaf") ? p.lastPathComponent : p.deletingLastPathComponent))
                }
            },
            CmdletInfo("Test-Path", synopsis: "Tells whether a file or folder exists.", parameters: [
                ParameterMeta("Path", .arrayOf(.string), position: 0, mandatory: true, pipeline: true, help: "The paths."),
                ParameterMeta("PathType", .string, help: "Leaf (a file) or Container (a folder)."),
            ]) {
                ClosureCmdlet { inv, _ in
                    for p in inv.value("Path").flatMap(Operators.elements) ?? [] {
                        var isDir: ObjCBool = false
                        let exists = FileManager.default.fileExists(atPath: resolvePath(Conversions.toString(p, inv.ctx)), isDirectory: &isDir)
                        switch inv.string("PathType")?.lowercased() {
                        case "leaf": try inv.write(.bool(exists && !isDir.boolValue))
                        case "container": try inv.write(.bool(exists && isDir.boolValue))
                        default: try inv.write(.bool(exists))
                        }
                    }
                }
            },
            CmdletInfo("Get-Content", synopsis: "Reads a text file, one line per output object.", parameters: [
                ParameterMeta("Path", .string, position: 0, mandatory: true, pipeline: true, help: "The file."),
                ParameterMeta("Raw", .switchParameter, help: "Returns the whole text as one string."),
                ParameterMeta("TotalCount", .int32, aliases: ["First", "Head"], help: "Reads only the first N lines."),
                ParameterMeta("Encoding", .string, help: "Accepted for compatibility (UTF-8 is used)."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let path = resolvePath(inv.string("Path") ?? "")
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        try inv.writeError("Cannot find path '\(path)' because it does not exist.", type: .fileNotFoundException)
                        return
                    }
                    if inv.switchOn("Raw") { try inv.write(.string(text)); return }
                    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
                    if lines.last == "" { lines.removeLast() }
                    if let n = try inv.int("TotalCount") { lines = Array(lines.prefix(n)) }
                    for l in lines { try inv.write(.string(l)) }
                }
            },
            CmdletInfo("Set-Content", synopsis: "Writes text to a file, replacing its content.", parameters: contentParameters) {
                CollectThenCmdlet { inv, items in try writeContent(inv, items, append: false) }
            },
            CmdletInfo("Add-Content", synopsis: "Appends text to a file.", parameters: contentParameters) {
                CollectThenCmdlet { inv, items in try writeContent(inv, items, append: true) }
            },
            CmdletInfo("Get-Location", synopsis: "Gets the current folder.") {
                ClosureCmdlet { inv, _ in
                    let o = PSCustomObject()
                    o.set("Path", .string(FileManager.default.currentDirectoryPath))
                    try inv.write(.string(FileManager.default.currentDirectoryPath))
                }
            },
            CmdletInfo("Set-Location", synopsis: "Changes the current folder.", parameters: [
                ParameterMeta("Path", .string, position: 0, help: "The folder."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let p = resolvePath(inv.string("Path") ?? NSHomeDirectory())
                    guard FileManager.default.changeCurrentDirectoryPath(p) else {
                        throw inv.error("Cannot find path '\(p)' because it does not exist.", type: .fileNotFoundException)
                    }
                }
            },
        ]
    }

    static var contentParameters: [ParameterMeta] {
        [
            ParameterMeta("Path", .string, position: 0, mandatory: true, help: "The file."),
            ParameterMeta("Value", position: 1, pipeline: true, aliases: ["InputObject"], help: "The text (each item one line)."),
            ParameterMeta("NoNewline", .switchParameter, help: "Writes no newline after the items."),
            ParameterMeta("Encoding", .string, help: "Accepted for compatibility (UTF-8 is used)."),
        ]
    }

    static func writeContent(_ inv: Invocation, _ items: [Value], append: Bool) throws {
        let path = resolvePath(inv.string("Path") ?? "")
        let values = items.isEmpty ? (inv.value("Value").map { Operators.elements($0) ?? [$0] } ?? []) : items
        let sep = inv.switchOn("NoNewline") ? "" : "\n"
        let text = values.map { Conversions.toString($0, inv.ctx) + sep }.joined()
        do {
            if append, let h = FileHandle(forWritingAtPath: path) {
                defer { try? h.close() }
                try h.seekToEnd()
                try h.write(contentsOf: Data(text.utf8))
            } else {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        } catch {
            throw inv.error("Could not write '\(path)': \(error.localizedDescription)", type: .ioException)
        }
    }

    /// `~` and Windows separators in script paths.
    static func resolvePath(_ p: String) -> String {
        (p.replacingOccurrences(of: "\\", with: "/") as NSString).expandingTildeInPath
    }

    static func scopeFor(_ inv: Invocation) -> Scope {
        switch inv.string("Scope")?.lowercased() {
        case "global": return inv.ctx.globalScope
        case "script": return inv.ctx.scope.scriptScope
        default: return inv.ctx.scope
        }
    }

    static func getCommand(_ inv: Invocation) throws {
        let c = inv.ctx
        let names = (inv.value("Name").flatMap(Operators.elements) ?? []).map { WildcardPattern(Conversions.toString($0, c)) }
        let verb = inv.string("Verb").map { WildcardPattern($0) }
        let noun = inv.string("Noun").map { WildcardPattern($0) }
        let module = inv.string("Module").map { WildcardPattern($0) }
        var out: [CommandInfoObject] = []
        func accept(_ name: String, _ mod: String) -> Bool {
            let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
            if !names.isEmpty && !names.contains(where: { $0.matches(name) }) { return false }
            if let verb, !(parts.count == 2 && verb.matches(parts[0])) { return false }
            if let noun, !(parts.count == 2 && noun.matches(parts[1])) { return false }
            if let module, !module.matches(mod) { return false }
            return true
        }
        for info in c.commands.cmdlets where accept(info.name, info.module) {
            out.append(CommandInfoObject(name: info.name, commandType: "Cmdlet", module: info.module, synopsis: info.synopsis))
        }
        var s: Scope? = c.scope
        var seen = Set<String>()
        while let cur = s {
            for f in (cur.functions ?? [:]).values where !seen.contains(f.name.lowercased()) && accept(f.name, "") {
                seen.insert(f.name.lowercased())
                out.append(CommandInfoObject(name: f.name, commandType: "Function", module: "", synopsis: ""))
            }
            s = cur.parent
        }
        if module == nil && verb == nil && noun == nil {
            for (a, target) in c.commands.aliases where accept(a, "") {
                out.append(CommandInfoObject(name: a, commandType: "Alias", module: "", synopsis: "-> \(target)"))
            }
        }
        if out.isEmpty, let first = inv.value("Name").flatMap(Operators.elements)?.first,
           !WildcardPattern.containsWildcard(Conversions.toString(first, c)) {
            throw inv.error("The term '\(Conversions.toString(first, c))' is not recognized as a name of a cmdlet, function, script file, or executable program.",
                            type: .commandNotFoundException)
        }
        for o in out.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) { try inv.write(.object(o)) }
    }
}

/// The language's own commands and aliases.
enum CoreCommands {
    static func register(_ t: CommandTable) {
        t.registerAll(OutputCmdlets.all + PipelineCmdlets.all + UtilityCmdlets.all + SessionCmdlets.all + HelpCmdlets.all)
        let aliases = [
            ("%", "ForEach-Object"), ("foreach", "ForEach-Object"), ("?", "Where-Object"), ("where", "Where-Object"),
            ("select", "Select-Object"), ("sort", "Sort-Object"), ("group", "Group-Object"), ("measure", "Measure-Object"),
            ("echo", "Write-Output"), ("write", "Write-Output"), ("ft", "Format-Table"), ("fl", "Format-List"),
            ("gcm", "Get-Command"), ("sleep", "Start-Sleep"), ("gc", "Get-Content"), ("cat", "Get-Content"), ("tee", "Tee-Object"),
            ("gv", "Get-Variable"), ("sv", "Set-Variable"), ("rv", "Remove-Variable"), ("cd", "Set-Location"), ("sl", "Set-Location"),
            ("pwd", "Get-Location"), ("gl", "Get-Location"), ("iex", "Invoke-Expression"), ("cls", "Clear-Host"), ("clear", "Clear-Host"),
            ("help", "Get-Help"),
        ]
        for (a, target) in aliases { t.alias(a, target) }
    }
}
