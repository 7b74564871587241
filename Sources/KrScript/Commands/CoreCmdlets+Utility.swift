import Foundation

/// Dates, sleeping, random numbers, variables, JSON, objects, paths and files.
enum UtilityCmdlets {
    static var all: [CmdletInfo] {
        [
            CmdletInfo("Get-Date", synopsis: "Gets the current date and time, or parses one.", parameters: [
                ParameterMeta("Date", .dateTime, position: 0, pipeline: true, help: "A date to use instead of now."),
                ParameterMeta("Format", .string, help: "A .NET format string; the result is a string."),
                ParameterMeta("UFormat", .string, help: "A Unix-style format string (%Y-%m-%d)."),
                ParameterMeta("AsUTC", .switchParameter, help: "Returns the time in UTC."),
                ParameterMeta("Year", .int32, help: "Sets the year."), ParameterMeta("Month", .int32, help: "Sets the month."),
                ParameterMeta("Day", .int32, help: "Sets the day."), ParameterMeta("Hour", .int32, help: "Sets the hour."),
                ParameterMeta("Minute", .int32, help: "Sets the minute."), ParameterMeta("Second", .int32, help: "Sets the second."),
            ], examples: [CommandExample("Get-Date -Format 'yyyy-MM-dd'", "Today's date as text.")]) {
                ClosureCmdlet { inv, _ in try inv.write(try getDate(inv)) }
            },
            CmdletInfo("Remove-Item", synopsis: "Deletes files and folders.", parameters: [
                ParameterMeta("Path", .arrayOf(.string), position: 0, mandatory: true, pipeline: true, help: "The files or folders (wildcards allowed in the last part)."),
                ParameterMeta("Recurse", .switchParameter, help: "Deletes a folder with everything in it."),
                ParameterMeta("Force", .switchParameter, help: "Accepted for compatibility (hidden and read-only files are deleted anyway)."),
            ], examples: [
                CommandExample("Remove-Item ./snapshot.xml", "Deletes the file.", setup: "Set-Content -Path ./snapshot.xml -Value '<Objs/>'"),
            ]) {
                ClosureCmdlet { inv, _ in try removeItem(inv) }
            },
            CmdletInfo("Start-Sleep", synopsis: "Waits for a number of seconds or milliseconds.", parameters: [
                ParameterMeta("Seconds", .double, position: 0, aliases: ["s"], help: "Seconds to wait."),
                ParameterMeta("Milliseconds", .int32, aliases: ["ms"], help: "Milliseconds to wait."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let seconds = try (inv.double("Seconds") ?? 0) + Double(try inv.int("Milliseconds") ?? 0) / 1000
                    var left = seconds
                    while left > 0 {
                        try inv.ctx.checkInterrupt()
                        let step = min(left, 0.05)
                        Thread.sleep(forTimeInterval: step)
                        left -= step
                    }
                }
            },
            CmdletInfo("Get-Random", synopsis: "Gets a random number, or random items of a collection.", parameters: [
                ParameterMeta("Maximum", position: 0, help: "The exclusive upper bound."),
                ParameterMeta("Minimum", help: "The inclusive lower bound (default 0)."),
                ParameterMeta("InputObject", .arrayOf(.object), pipeline: true, help: "Items to pick from."),
                ParameterMeta("Count", .int32, help: "How many items to pick."),
            ]) { CollectThenCmdlet { inv, items in
                if !items.isEmpty {
                    let n = try inv.int("Count") ?? 1
                    guard n >= 1 else { throw inv.error("-Count must be at least 1, not \(n).", type: .argumentException) }
                    for v in items.shuffled().prefix(n) { try inv.write(v) }
                    return
                }
                let lo = try inv.value("Minimum").map { try Conversions.toInt64($0, inv.loc) } ?? 0
                let hi = try inv.value("Maximum").map { try Conversions.toInt64($0, inv.loc) } ?? Int64(Int32.max)
                guard hi > lo else { throw inv.error("The Minimum value (\(lo)) cannot be greater than or equal to the Maximum value (\(hi)).", type: .argumentException) }
                let r = Int64.random(in: lo..<hi)
                try inv.write(Int32(exactly: r).map { .int($0) } ?? .long(r))
            } },
            CmdletInfo("ConvertTo-Json", synopsis: "Converts objects to JSON text.", parameters: [
                ParameterMeta("InputObject", position: 0, pipeline: true, help: "The objects to convert."),
                ParameterMeta("Depth", .int32, help: "How deep to serialise (default 2)."),
                ParameterMeta("Compress", .switchParameter, help: "Leaves out white space."),
                ParameterMeta("AsArray", .switchParameter, help: "Always writes a JSON array."),
                ParameterMeta("EnumsAsStrings", .switchParameter, help: "Writes enum values as their names."),
            ], examples: [CommandExample("@{ a = 1 } | ConvertTo-Json -Compress", "Prints {\"a\":1}.")]) {
                CollectThenCmdlet(enumerateInputObject: false) { inv, items in
                    let depth = try inv.int("Depth") ?? 2
                    let v: Value = items.count == 1 && !inv.switchOn("AsArray") ? items[0] : .array(PSArray(items))
                    if items.isEmpty && !inv.has("InputObject") { return }
                    try inv.write(.string(JsonConvert.toJson(v, depth: depth, compress: inv.switchOn("Compress"), inv.ctx)))
                }
            },
            CmdletInfo("ConvertFrom-Json", synopsis: "Converts JSON text to objects.", parameters: [
                ParameterMeta("InputObject", .string, position: 0, mandatory: true, pipeline: true, help: "The JSON text."),
                ParameterMeta("AsHashtable", .switchParameter, help: "Returns hashtables instead of objects."),
                ParameterMeta("Depth", .int32, help: "Maximum nesting accepted."),
                ParameterMeta("NoEnumerate", .switchParameter, help: "Writes an array as one object."),
            ]) { CollectThenCmdlet { inv, items in
                let text = items.isEmpty ? (inv.string("InputObject") ?? "") : items.map { Conversions.toString($0, inv.ctx) }.joined(separator: "\n")
                let node: JSONNode
                do { node = try JSONText.parse(text) } catch {
                    throw inv.error("Conversion from JSON failed with error: \(error)", type: .argumentException)
                }
                let v = JsonConvert.value(node, asHashtable: inv.switchOn("AsHashtable"))
                if inv.switchOn("NoEnumerate") { try inv.write(v) } else { try inv.writeEnumerated(v) }
            } },
            CmdletInfo("Add-Member", synopsis: "Adds a note property to an object.", parameters: [
                ParameterMeta("InputObject", pipeline: true, help: "The object to change."),
                ParameterMeta("NotePropertyName", .string, position: 0, aliases: ["Name"], help: "The new property's name."),
                ParameterMeta("NotePropertyValue", position: 1, aliases: ["Value"], help: "The new property's value."),
                ParameterMeta("MemberType", .string, help: "Accepted for compatibility (NoteProperty)."),
                ParameterMeta("NotePropertyMembers", .hashtable, help: "Several properties at once."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the object."),
                ParameterMeta("Force", .switchParameter, help: "Replaces an existing property."),
            ]) {
                ClosureCmdlet { inv, input in
                    guard let target = input ?? inv.value("InputObject"), case .object(let o as PSCustomObject) = target else {
                        throw inv.error("Add-Member needs a [pscustomobject] as -InputObject.", type: .argumentException)
                    }
                    if case .hashtable(let h)? = inv.value("NotePropertyMembers") {
                        for (k, v) in h.entries { o.set(Conversions.toString(k, inv.ctx), v) }
                    }
                    if let name = inv.string("NotePropertyName") {
                        if o.has(name) && !inv.switchOn("Force") {
                            throw inv.error("Cannot add a member with the name \"\(name)\" because a member with that name already exists. To overwrite the member anyway, add the Force parameter to your command.", type: .invalidOperationException)
                        }
                        o.set(name, inv.value("NotePropertyValue") ?? .null)
                    }
                    if inv.switchOn("PassThru") { try inv.write(target) }
                }
            },
            CmdletInfo("New-Object", synopsis: "Creates an object of a .NET type.", parameters: [
                ParameterMeta("TypeName", .string, position: 0, mandatory: true, help: "The type to create."),
                ParameterMeta("ArgumentList", .arrayOf(.object), position: 1, aliases: ["Args"], help: "Constructor arguments."),
                ParameterMeta("Property", .hashtable, help: "Properties to set."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let name = inv.string("TypeName") ?? ""
                    guard let t = TypeRegistry.shared.resolve(name: name) else { throw inv.error("Cannot find type [\(name)].", type: .runtimeException) }
                    let args = inv.value("ArgumentList").flatMap(Operators.elements) ?? []
                    var v: Value
                    if t.kind == .psCustomObject || t.kind == .psObject || t.fullName == "System.Object" {
                        v = .object(PSCustomObject())
                    } else {
                        v = try Members.invokeStatic(t, "new", args, inv.ctx, inv.loc)
                    }
                    if case .hashtable(let h)? = inv.value("Property") {
                        if case .object(let o as PSCustomObject) = v {
                            for (k, val) in h.entries { o.set(Conversions.toString(k, inv.ctx), val) }
                        } else {
                            for (k, val) in h.entries { try Members.set(v, Conversions.toString(k, inv.ctx), val, inv.ctx, inv.loc) }
                        }
                    }
                    try inv.write(v)
                }
            },
            CmdletInfo("Set-StrictMode", synopsis: "Turns strict mode on (reading an unset variable is an error) or off.", parameters: [
                ParameterMeta("Version", .string, help: "The strict-mode version (Latest, 1.0, 2.0, 3.0)."),
                ParameterMeta("Off", .switchParameter, help: "Turns strict mode off."),
            ]) {
                ClosureCmdlet { inv, _ in inv.ctx.strictMode = !inv.switchOn("Off") }
            },
            CmdletInfo("Invoke-Expression", synopsis: "Runs a string as script code.", parameters: [
                ParameterMeta("Command", .string, position: 0, mandatory: true, pipeline: true, help: "The code to run."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let ast = try Parser.parseScript(SourceFile(name: "<Invoke-Expression>", text: inv.string("Command") ?? ""))
                    if let body = ast.end { try Interpreter.execBlock(body, inv.ctx, inv.output) }
                }
            },
            CmdletInfo("Clear-Host", synopsis: "Clears the terminal screen.") {
                ClosureCmdlet { inv, _ in if isatty(1) != 0 { inv.ctx.writeHost("\u{1B}[H\u{1B}[2J") } }
            },
        ]
    }

    /// Remove-Item: a missing path is a non-terminating error; a non-empty folder needs -Recurse.
    static func removeItem(_ inv: Invocation) throws {
        let fm = FileManager.default
        for item in inv.value("Path").flatMap({ Operators.elements($0) ?? [$0] }) ?? [] {
            let path = SessionCmdlets.resolvePath(Conversions.toString(item, inv.ctx))
            let folder = (path as NSString).deletingLastPathComponent
            let leaf = (path as NSString).lastPathComponent
            var targets = [path]
            if WildcardPattern.containsWildcard(leaf) {
                let pattern = WildcardPattern(leaf)
                targets = ((try? fm.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? [])
                    .filter { pattern.matches($0) }.sorted()
                    .map { folder.isEmpty ? $0 : (folder as NSString).appendingPathComponent($0) }
            }
            if targets.isEmpty || (targets == [path] && (try? fm.attributesOfItem(atPath: path)) == nil) {
                try inv.writeError("Cannot find path '\(path)' because it does not exist.", type: .itemNotFoundException)
                continue
            }
            for target in targets {
                var isDir: ObjCBool = false
                _ = fm.fileExists(atPath: target, isDirectory: &isDir)
                if isDir.boolValue, !inv.switchOn("Recurse"), !((try? fm.contentsOfDirectory(atPath: target))?.isEmpty ?? true) {
                    try inv.writeError("The item at '\(target)' has children and -Recurse was not given.", type: .ioException)
                    continue
                }
                do { try fm.removeItem(atPath: target) } catch {
                    try inv.writeError("Cannot remove '\(target)': \(error.localizedDescription)", type: .ioException)
                }
            }
        }
    }

    static func getDate(_ inv: Invocation) throws -> Value {
        var d: DotNetDateTime
        if case .dateTime(let given)? = inv.value("Date") { d = given } else { d = .now() }
        if inv.switchOn("AsUTC") { d = d.toUniversalTime() }
        let y = try inv.int("Year") ?? d.year, mo = try inv.int("Month") ?? d.month, da = try inv.int("Day") ?? d.day
        let h = try inv.int("Hour") ?? d.hour, mi = try inv.int("Minute") ?? d.minute, s = try inv.int("Second") ?? d.second
        if [inv.has("Year"), inv.has("Month"), inv.has("Day"), inv.has("Hour"), inv.has("Minute"), inv.has("Second")].contains(true) {
            let frac = d.ticks % 10_000_000
            d = try DotNetDateTime(year: y, month: mo, day: da, hour: h, minute: mi, second: s, kind: d.kind).addingTicks(frac)
        }
        if let f = inv.string("Format") { return .string(d.format(f)) }
        if let u = inv.string("UFormat") { return .string(uformat(d, u)) }
        return .dateTime(d)
    }

    static func uformat(_ d: DotNetDateTime, _ f: String) -> String {
        var out = ""
        var it = f.makeIterator()
        while let ch = it.next() {
            guard ch == "%", let k = it.next() else { out.append(ch); continue }
            switch k {
            case "Y": out += d.format("yyyy")
            case "y": out += d.format("yy")
            case "m": out += d.format("MM")
            case "d": out += d.format("dd")
            case "H": out += d.format("HH")
            case "M": out += d.format("mm")
            case "S": out += d.format("ss")
            case "s": out += String((d.toUniversalTime().ticks - DotNetDateTime.unixEpochTicks) / 10_000_000)
            case "A": out += d.dayOfWeek
            case "a": out += String(d.dayOfWeek.prefix(3))
            case "B": out += d.format("MMMM")
            case "b": out += d.format("MMM")
            case "j": out += String(format: "%03d", d.dayOfYear)
            case "Z", "z": out += d.format("zzz")
            default: out.append("%"); out.append(k)
            }
        }
        return out
    }
}
