import Foundation

/// Output, streams and formatting cmdlets.
enum OutputCmdlets {
    static var all: [CmdletInfo] {
        [
            CmdletInfo("Write-Output", synopsis: "Writes objects to the pipeline.", parameters: [
                ParameterMeta("InputObject", position: 0, pipeline: true, remaining: true, help: "The objects to write."),
                ParameterMeta("NoEnumerate", .switchParameter, help: "Writes a collection as one object."),
            ], examples: [CommandExample("Write-Output 'a', 'b'", "Writes two strings.")]) {
                ClosureCmdlet { inv, input in
                    let v = inv.value("InputObject") ?? input ?? .null
                    if inv.value("InputObject") == nil && input == nil { return }
                    if inv.switchOn("NoEnumerate") { try inv.write(v) } else { try inv.writeEnumerated(v) }
                }
            },
            CmdletInfo("Write-Host", synopsis: "Writes text to the host (stdout), not to the pipeline.", parameters: [
                ParameterMeta("Object", position: 0, pipeline: true, remaining: true, help: "The objects to display."),
                ParameterMeta("NoNewline", .switchParameter, help: "Does not end the output with a newline."),
                ParameterMeta("Separator", help: "The string placed between objects (default: a space)."),
                ParameterMeta("ForegroundColor", .string, help: "Text colour (shown only on a terminal)."),
                ParameterMeta("BackgroundColor", .string, help: "Background colour (shown only on a terminal)."),
            ], examples: [CommandExample("Write-Host 'ready' -ForegroundColor Green", "Prints a line.")]) {
                ClosureCmdlet { inv, input in
                    let v = inv.value("Object") ?? input ?? .null
                    let sep = inv.string("Separator") ?? " "
                    let items = Operators.elements(v) ?? (v.isNull ? [] : [v])
                    let text = items.map { Conversions.toString($0, inv.ctx) }.joined(separator: sep)
                    inv.ctx.writeHost(text + (inv.switchOn("NoNewline") ? "" : "\n"))
                }
            },
            CmdletInfo("Write-Error", synopsis: "Writes a non-terminating error.", parameters: [
                ParameterMeta("Message", .string, position: 0, pipeline: true, help: "The error message."),
                ParameterMeta("Exception", help: "An exception object for the error."),
                ParameterMeta("Category", .string, help: "The error category."),
                ParameterMeta("ErrorId", .string, help: "An identifier for the error."),
                ParameterMeta("TargetObject", help: "The object the error concerns."),
            ]) {
                ClosureCmdlet { inv, input in
                    var msg = inv.string("Message") ?? ""
                    if case .object(let ex as ExceptionObject)? = inv.value("Exception") { msg = ex.message }
                    try inv.writeError(msg, type: .writeErrorException, target: inv.value("TargetObject") ?? .null)
                }
            },
            CmdletInfo("Write-Warning", synopsis: "Writes a warning to stderr.", parameters: [
                ParameterMeta("Message", .string, position: 0, mandatory: true, pipeline: true, help: "The warning text."),
            ]) {
                ClosureCmdlet { inv, _ in inv.ctx.writeWarning(inv.string("Message") ?? "") }
            },
            CmdletInfo("Write-Verbose", synopsis: "Writes a verbose message (shown when $VerbosePreference is Continue).", parameters: [
                ParameterMeta("Message", .string, position: 0, mandatory: true, pipeline: true, help: "The message."),
            ]) {
                ClosureCmdlet { inv, _ in
                    if let p = inv.ctx.scope.lookup(VarID.intern("VerbosePreference")), Conversions.toString(p.value, inv.ctx).lowercased() == "continue" {
                        inv.ctx.sink.writeErr("VERBOSE: " + (inv.string("Message") ?? "") + "\n")
                    }
                }
            },
            CmdletInfo("Write-Debug", synopsis: "Writes a debug message (shown when $DebugPreference is Continue).", parameters: [
                ParameterMeta("Message", .string, position: 0, mandatory: true, pipeline: true, help: "The message."),
            ]) {
                ClosureCmdlet { inv, _ in
                    if let p = inv.ctx.scope.lookup(VarID.intern("DebugPreference")), Conversions.toString(p.value, inv.ctx).lowercased() == "continue" {
                        inv.ctx.sink.writeErr("DEBUG: " + (inv.string("Message") ?? "") + "\n")
                    }
                }
            },
            CmdletInfo("Out-Null", synopsis: "Discards its input.", parameters: [
                ParameterMeta("InputObject", pipeline: true, help: "The objects to discard."),
            ]) { ClosureCmdlet { _, _ in } },
            CmdletInfo("Out-Host", synopsis: "Prints its input with the default formatting.", parameters: [
                ParameterMeta("InputObject", pipeline: true, help: "The objects to print."),
            ]) {
                ClosureCmdlet { inv, input in
                    guard let v = input ?? inv.value("InputObject") else { return }
                    inv.ctx.writeHost(Tables.render(Operators.elements(v) ?? [v], inv.ctx))
                }
            },
            CmdletInfo("Out-String", synopsis: "Converts objects to the text the default formatting prints.", parameters: [
                ParameterMeta("InputObject", pipeline: true, help: "The objects to convert."),
                ParameterMeta("Stream", .switchParameter, help: "Writes one string per line."),
                ParameterMeta("Width", .int32, help: "Line width (accepted for compatibility)."),
            ]) { CollectThenCmdlet { inv, items in
                let text = Tables.render(items, inv.ctx)
                if inv.switchOn("Stream") {
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() { try inv.write(.string(String(line))) }
                } else {
                    try inv.write(.string(text))
                }
            } },
            CmdletInfo("Format-Table", synopsis: "Formats objects as a table.", parameters: [
                ParameterMeta("Property", .arrayOf(.object), position: 0, help: "The properties to show."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to format."),
                ParameterMeta("AutoSize", .switchParameter, help: "Sizes columns to their content (always on)."),
            ]) { CollectThenCmdlet { inv, items in
                let props = (inv.value("Property").flatMap(Operators.elements) ?? []).map { Conversions.toString($0, inv.ctx) }
                try inv.write(.object(FormattedText(formatTable(items, props, inv.ctx))))
            } },
            CmdletInfo("Format-List", synopsis: "Formats objects as a list of properties.", parameters: [
                ParameterMeta("Property", .arrayOf(.object), position: 0, help: "The properties to show."),
                ParameterMeta("InputObject", pipeline: true, help: "The objects to format."),
            ]) { CollectThenCmdlet { inv, items in
                try inv.write(.object(FormattedText(Tables.list(values: items, inv.ctx))))
            } },
            CmdletInfo("Tee-Object", synopsis: "Saves pipeline objects in a variable and passes them on.", parameters: [
                ParameterMeta("InputObject", pipeline: true, help: "The objects to save."),
                ParameterMeta("Variable", .string, mandatory: true, help: "The variable to save them in."),
            ]) { CollectThenCmdlet(passThrough: true) { inv, items in
                let name = inv.string("Variable") ?? ""
                try inv.ctx.setVariable(VariablePath(name), items.count == 1 ? items[0] : .array(PSArray(items)))
            } },
        ]
    }

    static func formatTable(_ items: [Value], _ props: [String], _ c: ExecutionContext) -> String {
        guard let first = items.first else { return "" }
        if case .hashtable = first, props.isEmpty {
            return Tables.dictionaryTable(items.flatMap { v -> [[Value]] in
                guard case .hashtable(let h) = v else { return [] }
                return h.entries.map { [$0.key, $0.value] }
            }, c)
        }
        let headers: [String]
        if !props.isEmpty { headers = props } else if case .object(let o) = first { headers = o.propertyNames } else { headers = [] }
        if headers.isEmpty { return items.map { Conversions.toString($0, c) + "\n" }.joined() }
        let rows = items.map { v in headers.map { Members.propertyValue(v, $0) ?? .null } }
        return Tables.table(headers: headers, rows: rows, c)
    }
}

/// A cmdlet that collects all its pipeline input (or -InputObject) and acts once at the end.
package final class CollectThenCmdlet: Cmdlet {
    let body: (Invocation, [Value]) throws -> Void
    let passThrough: Bool
    private var items: [Value] = []
    private var sawPipeline = false

    /// Whether an -InputObject collection is taken item by item (Sort-Object) or as one object
    /// (ConvertTo-Json).
    let enumerateInputObject: Bool

    package init(passThrough: Bool = false, enumerateInputObject: Bool = true, _ body: @escaping (Invocation, [Value]) throws -> Void) {
        self.body = body
        self.passThrough = passThrough
        self.enumerateInputObject = enumerateInputObject
    }

    override package func process(_ input: Value?) throws {
        if let input {
            sawPipeline = true
            items.append(input)
            if passThrough { try inv.write(input) }
        }
    }

    override package func end() throws {
        if !sawPipeline, let v = inv.value("InputObject") {
            items = enumerateInputObject ? (Operators.elements(v) ?? [v]) : [v]
            if passThrough { for i in items { try inv.write(i) } }
        }
        try body(inv, items)
    }
}
