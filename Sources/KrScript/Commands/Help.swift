import Foundation

/// Get-Help's text, built from the one metadata declaration per cmdlet (CmdletInfo, ParameterMeta),
/// laid out the way PowerShell prints help for a command: NAME, SYNOPSIS, SYNTAX (one line per
/// parameter set), DESCRIPTION, PARAMETERS, EXAMPLES, REMARKS. The generated reference
/// (ReferenceDocs) uses the same pieces.
public enum HelpFormatter {
    /// What Get-Help shows: the default view, -Detailed, -Full or -Examples.
    public enum View: Sendable { case normal, detailed, full, examples }

    /// Prose is wrapped to this many columns (syntax lines and code are not).
    static let width = 80

    /// The parameter sets in order of first mention; one unnamed set when no parameter names one.
    /// A parameter with no sets belongs to all of them.
    public static func parameterSets(_ info: CmdletInfo) -> [(name: String, parameters: [ParameterMeta])] {
        var names: [String] = []
        for p in info.parameters { for s in p.sets where !names.contains(s) { names.append(s) } }
        if names.isEmpty { return [("", info.parameters)] }
        return names.map { set in (set, info.parameters.filter { $0.sets.isEmpty || $0.sets.contains(set) }) }
    }

    /// PowerShell's display order within a set: positional parameters by position, then the named
    /// mandatory ones, then the named optional ones (each in declaration order).
    static func displayOrder(_ parameters: [ParameterMeta]) -> [ParameterMeta] {
        let positional = parameters.filter { $0.position != nil }.sorted { $0.position! < $1.position! }
        let named = parameters.filter { $0.position == nil }
        return positional + named.filter(\.mandatory) + named.filter { !$0.mandatory }
    }

    /// One parameter in a syntax line: `[-Name] <String>` (mandatory positional), `[[-Name] <String>]`
    /// (optional positional), `-Name <String>`, `[-Name <String>]`, `[-Switch]`; a ValidateSet shows
    /// its values as `{A | B}`.
    public static func syntaxItem(_ p: ParameterMeta) -> String {
        if p.isSwitch { return p.mandatory ? "-\(p.name)" : "[-\(p.name)]" }
        let value = p.validateSet.map { "{" + $0.joined(separator: " | ") + "}" } ?? "<\(p.typeName)>"
        let name = p.position != nil ? "[-\(p.name)]" : "-\(p.name)"
        return p.mandatory ? "\(name) \(value)" : "[\(name) \(value)]"
    }

    /// The syntax lines: one per parameter set, each ending in `[<CommonParameters>]`.
    public static func syntaxLines(_ info: CmdletInfo) -> [String] {
        parameterSets(info).map { set in
            ([info.name] + displayOrder(set.parameters).map(syntaxItem) + ["[<CommonParameters>]"]).joined(separator: " ")
        }
    }

    /// `-Name <String[]>`, or `-PassThru [<SwitchParameter>]`: a parameter's heading.
    static func parameterHeading(_ p: ParameterMeta) -> String {
        p.isSwitch ? "-\(p.name) [<SwitchParameter>]" : "-\(p.name) <\(p.typeName)>"
    }

    /// The attribute lines of -Full and -Parameter.
    static func parameterAttributes(_ p: ParameterMeta) -> [(String, String)] {
        var pipeline: [String] = []
        if p.valueFromPipeline { pipeline.append("ByValue") }
        if p.valueFromPipelineByPropertyName { pipeline.append("ByPropertyName") }
        return [
            ("Required?", p.mandatory ? "true" : "false"),
            ("Position?", p.position.map(String.init) ?? "named"),
            ("Accept pipeline input?", pipeline.isEmpty ? "False" : "True (\(pipeline.joined(separator: ", ")))"),
            ("Aliases", p.aliases.isEmpty ? "none" : p.aliases.joined(separator: ", ")),
        ]
    }

    static let commonParametersText = "This cmdlet supports the common parameters: ErrorAction, WarningAction, "
        + "InformationAction, ErrorVariable, OutVariable, Verbose and Debug. For more information, see about_CommonParameters in "
        + "PowerShell's documentation."

    /// The help of one parameter as -Full and -Parameter print it.
    static func parameterBlock(_ p: ParameterMeta, attributes: Bool) -> [String] {
        var lines = ["    " + parameterHeading(p)]
        lines += wrap(p.help, indent: 8)
        if let set = p.validateSet { lines += wrap("Accepted values: " + set.joined(separator: ", "), indent: 8) }
        if attributes {
            lines.append("")
            lines += parameterAttributes(p).map { "        " + $0.0.padding(toLength: 29, withPad: " ", startingAt: 0) + $0.1 }
        }
        lines.append("")
        return lines
    }

    /// What Get-Help NAME prints.
    public static func text(_ info: CmdletInfo, aliases: [String] = [], view: View = .normal) -> String {
        var out = ["", "NAME", "    " + info.name, "", "SYNOPSIS"] + wrap(info.synopsis, indent: 4) + [""]
        if view == .examples {
            out += exampleLines(info)
            return finish(out)
        }
        out.append("SYNTAX")
        for line in syntaxLines(info) { out += ["    " + line, ""] }
        if !info.description.isEmpty { out += ["DESCRIPTION"] + wrap(info.description, indent: 4) + [""] }
        if view != .normal {
            out.append("PARAMETERS")
            for p in info.parameters { out += parameterBlock(p, attributes: view == .full) }
            out += ["    <CommonParameters>"] + wrap(commonParametersText, indent: 8) + [""]
            if !info.examples.isEmpty { out += ["EXAMPLES"] + exampleLines(info) }
        }
        if !aliases.isEmpty { out += ["ALIASES"] + aliases.map { "    " + $0 } + [""] }
        if view != .full {
            out.append("REMARKS")
            if view == .normal {
                out.append("    To see the examples, type: \"Get-Help \(info.name) -Examples\".")
                out.append("    For more information, type: \"Get-Help \(info.name) -Detailed\".")
            }
            out.append("    For technical information, type: \"Get-Help \(info.name) -Full\".")
        }
        return finish(out)
    }

    /// `Get-Help NAME -Parameter PATTERN`: the matching parameters' blocks, in declaration order.
    public static func parametersText(_ info: CmdletInfo, matching patterns: [String]) -> String? {
        let wildcards = patterns.map { WildcardPattern($0) }
        let found = info.parameters.filter { p in wildcards.contains { $0.matches(p.name) } }
        if found.isEmpty { return nil }
        var out = [""]
        for p in found { out += parameterBlock(p, attributes: true) }
        return finish(out)
    }

    static func exampleLines(_ info: CmdletInfo) -> [String] {
        var out: [String] = []
        for (i, e) in info.examples.enumerated() {
            let title = " Example \(i + 1) "
            let dashes = String(repeating: "-", count: 26)
            out += ["    " + dashes + title + dashes, ""]
            out += e.code.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            out += [""] + wrap(e.remarks, indent: 4) + [""]
        }
        return out
    }

    /// An about_ topic as Get-Help prints it.
    public static func topicText(_ topic: HelpTopic) -> String {
        var out = ["", "TOPIC", "    " + topic.name, "", "SHORT DESCRIPTION"] + wrap(topic.synopsis, indent: 4) + ["", "LONG DESCRIPTION"]
        out += wrap(topic.text, indent: 4)
        return finish(out + [""])
    }

    /// Get-Help without a name.
    public static func overview(topics: [HelpTopic]) -> String {
        var out = ["", "TOPIC", "    Get-Help", "", "SHORT DESCRIPTION", "    Shows help about krsh's commands and concepts.", "",
                   "LONG DESCRIPTION"]
        out += wrap("""
            Get-Help NAME shows a command's synopsis, syntax and description; -Detailed adds the parameters and \
            examples, -Full adds each parameter's attributes, -Examples shows only the examples and \
            -Parameter NAME one parameter. `NAME -?` is short for Get-Help NAME.

                Get-Help Add-KrMapRoute -Full
                Get-Command -Module KrShell
                Get-Help about_*
            """, indent: 4)
        if !topics.isEmpty {
            out += ["", "    Topics:"]
            let w = topics.map(\.name.count).max() ?? 0
            out += topics.map { "        " + $0.name.padding(toLength: w + 2, withPad: " ", startingAt: 0) + $0.synopsis }
        }
        return finish(out + [""])
    }

    /// Lines joined; trailing blank lines dropped (the output adds the last newline).
    static func finish(_ lines: [String]) -> String {
        var l = lines
        while l.last?.isEmpty == true { l.removeLast() }
        return l.map(trimRight).joined(separator: "\n")
    }

    static func trimRight(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }

    /// Wraps paragraphs (separated by blank lines) to `width` columns at `indent`. Lines that start
    /// with four spaces are code: kept as they are, under the indent.
    static func wrap(_ text: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var out: [String] = []
        var paragraph: [String] = []
        func flush() {
            guard !paragraph.isEmpty else { return }
            var line = ""
            for word in paragraph.joined(separator: " ").split(separator: " ") {
                if !line.isEmpty && indent + line.count + 1 + word.count > width {
                    out.append(pad + line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { out.append(pad + line) }
            paragraph = []
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let s = String(raw)
            if s.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                if out.last?.isEmpty == false { out.append("") }
            } else if s.hasPrefix("    ") {
                flush()
                out.append(pad + s)
            } else {
                paragraph.append(s.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }
}

/// Get-Help.
enum HelpCmdlets {
    static var all: [CmdletInfo] {
        [
            CmdletInfo("Get-Help", synopsis: "Shows help about commands and about_ topics.",
                       description: """
                           Shows the help of a cmdlet (or of the cmdlet an alias names) or an about_ topic. A name with \
                           wildcards lists the matching commands and topics; a single match shows its help. Without a \
                           name, Get-Help explains itself and lists the about_ topics. `NAME -?` is short for Get-Help NAME.
                           """,
                       parameters: [
                           ParameterMeta("Name", .string, position: 0, help: "A command, alias or about_ topic; wildcards list the matches."),
                           ParameterMeta("Detailed", .switchParameter, help: "Adds the parameters and the examples.").inSets("DetailedView"),
                           ParameterMeta("Full", .switchParameter, help: "Adds each parameter's attributes: required, position, pipeline input, aliases.")
                               .inSets("AllUsersView"),
                           ParameterMeta("Examples", .switchParameter, help: "Shows only the synopsis and the examples.").inSets("Examples"),
                           ParameterMeta("Parameter", .arrayOf(.string), help: "Shows only the parameters with these names (wildcards allowed).")
                               .inSets("Parameters"),
                       ],
                       examples: [
                           CommandExample("Get-Help Add-KrMapRoute -Parameter Verbs", "The -Verbs parameter of Add-KrMapRoute: its description, position, aliases."),
                           CommandExample("Get-Help about_*", "The about_ topics: shared state, caching and the shell itself."),
                           CommandExample("Get-Help Set-KrSharedState -Examples", "Only the examples of Set-KrSharedState."),
                       ]) {
                ClosureCmdlet { inv, _ in try getHelp(inv) }
            },
        ]
    }

    static func getHelp(_ inv: Invocation) throws {
        let table = inv.ctx.commands
        guard let name = inv.string("Name"), !name.isEmpty else {
            try inv.write(.string(HelpFormatter.overview(topics: table.topics)))
            return
        }
        let target = table.aliases.first { $0.0 == name.lowercased() }?.1 ?? name
        var cmdlets = table.cmdlets.filter { WildcardPattern(target).matches($0.name) }
        var topics = table.topics.filter { WildcardPattern(name).matches($0.name) }
        if !WildcardPattern.containsWildcard(target) {
            cmdlets = cmdlets.filter { $0.name.lowercased() == target.lowercased() }
            topics = topics.filter { $0.name.lowercased() == name.lowercased() }
        }
        if cmdlets.count + topics.count > 1 {
            for info in cmdlets { try inv.write(.object(row(info.name, "Cmdlet", info.module, info.synopsis))) }
            for t in topics { try inv.write(.object(row(t.name, "HelpFile", "", t.synopsis))) }
            return
        }
        if let topic = topics.first {
            try inv.write(.string(HelpFormatter.topicText(topic)))
            return
        }
        guard let info = cmdlets.first else {
            throw inv.error("Get-Help could not find \(name) in a help file in this session. Get-Command lists the commands; "
                            + "Get-Help about_* lists the topics.", errorId: "HelpNotFound,Get-Help")
        }
        if let wanted = inv.value("Parameter") {
            let patterns = (Operators.elements(wanted) ?? [wanted]).map { Conversions.toString($0, inv.ctx) }
            guard let text = HelpFormatter.parametersText(info, matching: patterns) else {
                throw inv.error("No parameter matches criteria \(patterns.joined(separator: ", ")).", errorId: "NoParmsFound,Get-Help")
            }
            try inv.write(.string(text))
            return
        }
        let view: HelpFormatter.View = inv.switchOn("Full") ? .full : inv.switchOn("Examples") ? .examples
            : inv.switchOn("Detailed") ? .detailed : .normal
        let aliases = table.aliases.filter { $0.1.lowercased() == info.name.lowercased() }.map(\.0)
        try inv.write(.string(HelpFormatter.text(info, aliases: aliases, view: view)))
    }

    static func row(_ name: String, _ category: String, _ module: String, _ synopsis: String) -> PSCustomObject {
        let o = PSCustomObject()
        o.set("Name", .string(name))
        o.set("Category", .string(category))
        o.set("Module", .string(module))
        o.set("Synopsis", .string(synopsis))
        return o
    }
}
