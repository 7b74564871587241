import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Get-Help and Get-Command: the syntax rules PowerShell uses, exact help text for a few cmdlets,
/// the views, the topics, and the lookups by name, verb, noun and module.
@Suite(.serialized) struct HelpTests {
    /// Runs a script in a fresh engine with the Kr cmdlets; its stdout, or the failure.
    func output(_ script: String) async -> String {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run(script, file: "help.ps1")
        return outcome == .completed && sink.stderr.isEmpty ? sink.stdout : "\(outcome): \(sink.stderr)"
    }

    func errors(_ script: String) async -> String {
        let (engine, sink) = makeEngine()
        _ = await engine.run(script, file: "help.ps1")
        return sink.stderr
    }

    // MARK: syntax lines

    static let syntaxItems: [(ParameterMeta, String)] = [
        (ParameterMeta("Name", .string, position: 0, mandatory: true), "[-Name] <String>"),
        (ParameterMeta("Name", .string, position: 1), "[[-Name] <String>]"),
        (ParameterMeta("Pattern", .string, mandatory: true), "-Pattern <String>"),
        (ParameterMeta("Server"), "[-Server <Object>]"),
        (ParameterMeta("Verbs", .arrayOf(.string)), "[-Verbs <String[]>]"),
        (ParameterMeta("Force", .switchParameter), "[-Force]"),
        (ParameterMeta("Force", .switchParameter, mandatory: true), "-Force"),
        (ParameterMeta("Level", .string, set: ["Debug", "Error"]), "[-Level {Debug | Error}]"),
        (ParameterMeta("Level", .string, position: 0, mandatory: true, set: ["Debug", "Error"]), "[-Level] {Debug | Error}"),
        (ParameterMeta("ScriptBlock", .scriptBlock, position: 0), "[[-ScriptBlock] <ScriptBlock>]"),
    ]

    @Test(arguments: syntaxItems) func syntaxItem(_ p: ParameterMeta, _ expected: String) {
        #expect(HelpFormatter.syntaxItem(p) == expected)
    }

    /// Positional parameters by position, then named mandatory, then named optional; one line per
    /// parameter set; parameters without a set are in every set.
    @Test func syntaxLinesFollowPowerShellsOrderAndSets() {
        let info = CmdletInfo("Test-Thing", synopsis: "x", parameters: [
            ParameterMeta("Server"),
            ParameterMeta("Tag", .string, mandatory: true),
            ParameterMeta("Second", .int32, position: 1),
            ParameterMeta("First", .string, position: 0, mandatory: true),
            ParameterMeta("Code", .string, mandatory: true).inSets("Code"),
            ParameterMeta("Path", .string, mandatory: true).inSets("File"),
            ParameterMeta("Raw", .switchParameter).inSets("File"),
        ]) { ClosureCmdlet { _, _ in } }
        #expect(HelpFormatter.syntaxLines(info) == [
            "Test-Thing [-First] <String> [[-Second] <Int32>] -Tag <String> -Code <String> [-Server <Object>] [<CommonParameters>]",
            "Test-Thing [-First] <String> [[-Second] <Int32>] -Tag <String> -Path <String> [-Server <Object>] [-Raw] [<CommonParameters>]",
        ])
        let single = CmdletInfo("Get-Nothing", synopsis: "x") { ClosureCmdlet { _, _ in } }
        #expect(HelpFormatter.syntaxLines(single) == ["Get-Nothing [<CommonParameters>]"])
    }

    @Test func addKrMapRouteHasOneSyntaxLinePerWayToGiveTheCode() async {
        let out = await output("Get-Help Add-KrMapRoute")
        #expect(out.contains("""
            SYNTAX
                Add-KrMapRoute [[-ScriptBlock] <ScriptBlock>] -Pattern <String> [-Server <Object>] [-Verbs {Get | Post | Put | Patch | Delete | Head | Options | Trace}] [-Arguments <Hashtable>] [-AllowDuplicate] [-DuplicateAction {Throw | Skip | Allow | Warn}] [-PassThru] [<CommonParameters>]

                Add-KrMapRoute -Pattern <String> [-Server <Object>] [-Verbs {Get | Post | Put | Patch | Delete | Head | Options | Trace}] [-Code <String>] [-Arguments <Hashtable>] [-AllowDuplicate] [-DuplicateAction {Throw | Skip | Allow | Warn}] [-PassThru] [<CommonParameters>]

                Add-KrMapRoute -Pattern <String> [-Server <Object>] [-Verbs {Get | Post | Put | Patch | Delete | Head | Options | Trace}] [-CodeFilePath <String>] [-Arguments <Hashtable>] [-AllowDuplicate] [-DuplicateAction {Throw | Skip | Allow | Warn}] [-PassThru] [<CommonParameters>]

            """), "\(out)")
    }

    // MARK: exact text

    @Test func defaultView() async {
        let out = await output("Get-Help Remove-KrRoute")
        #expect(out == """

            NAME
                Remove-KrRoute

            SYNOPSIS
                Removes routes by pattern (and verbs), even while the server runs.

            SYNTAX
                Remove-KrRoute [-Pattern] <String> [-Server <Object>] [-Verbs <String[]>] [<CommonParameters>]

            REMARKS
                To see the examples, type: "Get-Help Remove-KrRoute -Examples".
                For more information, type: "Get-Help Remove-KrRoute -Detailed".
                For technical information, type: "Get-Help Remove-KrRoute -Full".

            """)
    }

    @Test func fullView() async {
        let out = await output("Get-Help Get-KrRoute -Full")
        #expect(out == """

            NAME
                Get-KrRoute

            SYNOPSIS
                Lists the routes of the server.

            SYNTAX
                Get-KrRoute [[-Pattern] <String>] [-Server <Object>] [<CommonParameters>]

            PARAMETERS
                -Server <Object>
                    The server (from New-KrServer) or its name; default: the current server.

                    Required?                    false
                    Position?                    named
                    Accept pipeline input?       True (ByValue)
                    Aliases                      none

                -Pattern <String>
                    A pattern (wildcards allowed).

                    Required?                    false
                    Position?                    0
                    Accept pipeline input?       False
                    Aliases                      none

                <CommonParameters>
                    This cmdlet supports the common parameters: ErrorAction, WarningAction,
                    InformationAction, ErrorVariable, OutVariable, Verbose and Debug. For
                    more information, see about_CommonParameters in PowerShell's
                    documentation.

            EXAMPLES
                -------------------------- Example 1 --------------------------

                Get-KrRoute -Pattern '/api/*' | Format-Table Pattern, Verbs

                The routes under /api, with their verbs.

            """)
    }

    @Test func examplesViewAndParameterView() async {
        let examples = await output("Get-Help Set-KrSharedState -Examples")
        #expect(examples.hasPrefix("""

            NAME
                Set-KrSharedState

            SYNOPSIS
                Shares a value (by reference) with every request as a variable of that name.

                -------------------------- Example 1 --------------------------

                Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }

            """), "\(examples)")
        #expect(!examples.contains("SYNTAX") && !examples.contains("PARAMETERS"))

        let parameter = await output("Get-Help Add-KrMapRoute -Parameter Verb*")
        #expect(parameter == """

                -Verbs <String[]>
                    HTTP verbs (default GET).
                    Accepted values: Get, Post, Put, Patch, Delete, Head, Options, Trace

                    Required?                    false
                    Position?                    named
                    Accept pipeline input?       False
                    Aliases                      HttpVerb, Method

            """)
    }

    @Test func detailedViewHasParametersWithoutAttributes() async {
        let out = await output("Get-Help Remove-KrSharedState -Detailed")
        #expect(out.contains("PARAMETERS\n    -Server <Object>\n"))
        #expect(out.contains("    -Global [<SwitchParameter>]\n        Removes from the process-wide store.\n\n"))
        #expect(out.contains("EXAMPLES\n"))
        #expect(!out.contains("Required?"))
        #expect(out.contains("For technical information, type: \"Get-Help Remove-KrSharedState -Full\"."))
    }

    // MARK: names, aliases, topics

    @Test func aliasesQuestionMarkAndHelpFunctionShowTheSameText() async {
        let direct = await output("Get-Help Get-Command")
        #expect(direct.contains("NAME\n    Get-Command\n"))
        #expect(direct.contains("ALIASES\n    gcm\n"))
        #expect(await output("Get-Help gcm") == direct)
        #expect(await output("help Get-Command") == direct)
        #expect(await output("Get-Command -?") == direct)
    }

    @Test func topics() async {
        let list = await output("Get-Help about_*")
        #expect(list == """

            Name                Category Module Synopsis
            ----                -------- ------ --------
            about_KrCaching     HelpFile        Cache-Control headers, the server's response cache and validators.
            about_KrSharedState HelpFile        Values every request of a server sees, by reference.
            about_KrShell       HelpFile        krsh: a PowerShell-subset shell that hosts an HTTP server.


            """)
        let topic = await output("Get-Help about_KrSharedState")
        #expect(topic.hasPrefix("\nTOPIC\n    about_KrSharedState\n\nSHORT DESCRIPTION\n    Values every request of a server sees, by reference.\n\nLONG DESCRIPTION\n"))
        #expect(topic.contains("\n        Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }\n"))
        let overview = await output("Get-Help")
        #expect(overview.contains("about_KrCaching"))
        #expect(overview.contains("Get-Help about_*"))
    }

    @Test func wildcardsListMatchesAndOneMatchShowsItsHelp() async {
        let list = await output("Get-Help *-KrCache* | ForEach-Object Name")
        #expect(list == "Add-KrCacheMiddleware\nAdd-KrCacheResponse\nClear-KrCache\nGet-KrCacheDecision\nGet-KrCacheEntry\nGet-KrCacheStatistic\nRemove-KrCacheEntry\nTest-KrCacheRevalidation\n")
        let one = await output("Get-Help Remove-KrRou*")
        #expect(one.contains("NAME\n    Remove-KrRoute\n"))
    }

    @Test func unknownNamesAndParametersAreErrors() async {
        #expect(await errors("Get-Help Get-Nothing").contains("Get-Help could not find Get-Nothing in a help file in this session."))
        #expect(await errors("Get-Help Get-KrRoute -Parameter Nope").contains("No parameter matches criteria Nope."))
    }

    // MARK: Get-Command

    @Test func getCommandFilters() async {
        #expect(await output("Get-Command -Noun KrSharedState | ForEach-Object Name")
                == "Export-KrSharedState\nGet-KrSharedState\nImport-KrSharedState\nRemove-KrSharedState\nSet-KrSharedState\nWatch-KrSharedState\n")
        #expect(await output("Get-Command -Verb Start -Module KrShell | ForEach-Object Name") == "Start-KrServer\n")
        #expect(await output("Get-Command -Name Get-KrCache*, Get-KrLo? | ForEach-Object Name")
                == "Get-KrCacheDecision\nGet-KrCacheEntry\nGet-KrCacheStatistic\nGet-KrLog\n")
        #expect(await output("(Get-Command -Module Core | Where-Object Name -like '*-Kr*').Count") == "0\n")
        #expect(await output("(Get-Command -Module KrShell | Where-Object { $_.Name -notlike '*-Kr*' } | ForEach-Object Name) -join ','")
                == "Invoke-RestMethod,Invoke-WebRequest\n")
    }

    @Test func getCommandPrintsLikePowerShell() async {
        #expect(await output("Get-Command Get-Help, Start-KrServer") == """

            CommandType Name           Version Source
            ----------- ----           ------- ------
            Cmdlet      Get-Help       \(ScriptEngine.version)   Core
            Cmdlet      Start-KrServer \(ScriptEngine.version)   KrShell


            """)
    }
}
