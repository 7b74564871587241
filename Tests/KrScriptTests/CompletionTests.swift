import Foundation
import Testing
@testable import KrScript

/// Tab completion of the language's own names: commands, parameters and their values, variables,
/// members, static members, type names and paths. Each case types a line (the cursor at its end)
/// into a session where `setup` ran, and compares what Tab offers.
@Suite struct CompletionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let line: String
        let expected: [String]
        /// Where the replaced text starts (nil: not checked).
        var start: Int?
        var testDescription: String { line }
    }

    static let setup = """
        $Visits = @{ Count = 0; 'Last Path' = '/' }
        $VisitLog = 'ok'
        $cfg = @{ Server = @{ Port = 5000; Host = 'localhost' } }
        $greeting = 'hello'
        function Show-Greeting {
            param([ValidateSet('Red', 'Green', 'Blue')] [string]$Color, [switch]$Loud, [System.MidpointRounding]$Mode, [string]$Path)
        }
        """

    static func session() -> ScriptEngine {
        let engine = ScriptEngine(sink: CollectingSink())
        #expect(engine.runInteractive(source: setup) == .completed)
        return engine
    }

    static func check(_ c: Case, _ engine: ScriptEngine) {
        let r = engine.complete(c.line, cursor: c.line.unicodeScalars.count)
        #expect(r.candidates == c.expected, "\(c.line)")
        if let start = c.start {
            #expect(r.replacementStart == start, "\(c.line)")
            #expect(r.replacementLength == c.line.unicodeScalars.count - start, "\(c.line)")
        }
    }

    @Test(arguments: [
        Case(line: "write-ho", expected: ["Write-Host"], start: 0),
        Case(line: "Write-", expected: ["Write-Debug", "Write-Error", "Write-Host", "Write-Output", "Write-Verbose", "Write-Warning"]),
        Case(line: "show-gr", expected: ["Show-Greeting"]),
        Case(line: "gc", expected: ["gc", "gcm"]),
        Case(line: "*-Json", expected: ["ConvertFrom-Json", "ConvertTo-Json"]),
        Case(line: "Get-Date | ForEach-Obj", expected: ["ForEach-Object"], start: 11),
        Case(line: "$x = Get-Ra", expected: ["Get-Random"], start: 5),
        Case(line: "if ($true) { Write-Out", expected: ["Write-Output"]),
        Case(line: "nothing-like-this", expected: []),
        Case(line: "Get-Help Write-Ho", expected: ["Write-Host"], start: 9),
        Case(line: "Get-Command -Name convertto-j", expected: ["ConvertTo-Json"]),
        Case(line: "help Show-Gr", expected: ["Show-Greeting"]),
    ])
    func commandNames(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test(arguments: [
        Case(line: "Write-Host -NoN", expected: ["-NoNewline"], start: 11),
        Case(line: "Write-Host 'x' -F", expected: ["-ForegroundColor"]),
        Case(line: "Get-Content -", expected: [
            "-Debug", "-Encoding", "-ErrorAction", "-ErrorVariable", "-InformationAction", "-OutVariable", "-Path", "-Raw", "-TotalCount",
            "-Verbose", "-WarningAction", "-WhatIf", "-Confirm",
        ].sorted { $0.lowercased() < $1.lowercased() }),
        Case(line: "gc -Ra", expected: ["-Raw"]),
        Case(line: "Show-Greeting -L", expected: ["-Loud"]),
        Case(line: "Show-Greeting -Loud -", expected: ["-Color", "-Mode", "-Path"]),
        Case(line: "Get-Date | Select-Object -First 1 | Write-Host -NoNewline -Sep", expected: ["-Separator"]),
    ])
    func parameterNames(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test(arguments: [
        Case(line: "Show-Greeting -Color G", expected: ["Green"], start: 21),
        Case(line: "Show-Greeting -Color ", expected: ["Blue", "Green", "Red"], start: 21),
        Case(line: "Show-Greeting -Color:b", expected: ["Blue"], start: 21),
        Case(line: "Show-Greeting -Color 'r", expected: ["'Red'"], start: 21),
        Case(line: "Show-Greeting -Loud -Color Bl", expected: ["Blue"]),
        Case(line: "Show-Greeting -Mode To", expected: ["ToEven", "ToNegativeInfinity", "ToPositiveInfinity", "ToZero"]),
        Case(line: "Show-Greeting -Mode Aw", expected: ["AwayFromZero"]),
        Case(line: "Show-Greeting -Loud Gr", expected: ["Green"]),
    ])
    func parameterValues(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test(arguments: [
        Case(line: "$Vi", expected: ["$VisitLog", "$Visits"], start: 0),
        Case(line: "$visits", expected: ["$Visits"]),
        Case(line: "Write-Host $gree", expected: ["$greeting"], start: 11),
        Case(line: "$global:Vis", expected: ["$global:VisitLog", "$global:Visits"]),
        Case(line: "($cf", expected: ["$cfg"], start: 1),
        Case(line: "Write-Host \"Count: $Visi", expected: ["$VisitLog", "$Visits"], start: 19),
        Case(line: "$nothingLikeThis", expected: []),
    ])
    func variables(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test(arguments: [
        Case(line: "$Visits.Co", expected: ["Contains(", "ContainsKey(", "ContainsValue(", "Count"], start: 8),
        Case(line: "$Visits.La", expected: ["'Last Path'"], start: 8),
        Case(line: "$cfg.Server.", expected: ["Add(", "Clear(", "Clone(", "Contains(", "ContainsKey(", "ContainsValue(", "Count", "Equals(",
                                              "GetEnumerator(", "GetHashCode(", "GetType(", "Host", "IsSynchronized", "Keys", "Port",
                                              "Remove(", "SyncRoot", "ToString(", "Values"], start: 12),
        Case(line: "$cfg.Server.Po", expected: ["Port"]),
        Case(line: "Write-Host $greeting.ToU", expected: ["ToUpper(", "ToUpperInvariant("], start: 21),
        Case(line: "$greeting.Len", expected: ["Length"]),
        Case(line: "[Math]::Ro", expected: ["Round("], start: 8),
        Case(line: "[Math]::P", expected: ["PI", "Pow("]),
        Case(line: "$d = [datetime]::U", expected: ["UtcNow"]),
        Case(line: "[datetime]::Now.Ye", expected: ["Year"], start: 16),
        Case(line: "[System.Text.RegularExpressions.Regex]::Esc", expected: ["Escape("]),
        Case(line: "$nothingLikeThis.", expected: []),
    ])
    func members(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test(arguments: [
        Case(line: "[hasht", expected: ["hashtable"], start: 1),
        Case(line: "$x = [System.Mat", expected: ["System.Math"], start: 6),
        Case(line: "[System.Text.RegularExpressions.R", expected: ["System.Text.RegularExpressions.Regex"]),
        Case(line: "[datet", expected: ["datetime"]),
    ])
    func typeNames(_ c: Case) {
        Self.check(c, Self.session())
    }

    @Test func staticNamesAreMembers() throws {
        // Each property Tab offers after `]::` reads a value.
        for name in TypeRegistry.shared.names {
            let type = try #require(TypeRegistry.shared.resolve(name: name))
            for p in type.statics?.propertyNames ?? [] {
                #expect(type.statics?.property?(p) != nil, "[\(name)]::\(p)")
            }
        }
    }

    @Test func paths() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-completion-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
        for f in ["notes.txt", "my file.txt", "run.ps1", ".hidden"] {
            FileManager.default.createFile(atPath: folder + "/" + f, contents: Data())
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = Self.session()
        let cases = [
            Case(line: "Get-Content \(folder)/no", expected: ["\(folder)/notes.txt"], start: 12),
            Case(line: "Get-Content -Path \(folder)/s", expected: ["\(folder)/site/"]),
            Case(line: "Get-Content \(folder)/my", expected: ["'\(folder)/my file.txt'"], start: 12),
            Case(line: "Get-Content '\(folder)/my", expected: ["'\(folder)/my file.txt'"], start: 12),
            Case(line: "Get-Content \(folder)/", expected: ["\(folder)/my file.txt", "\(folder)/notes.txt", "\(folder)/run.ps1", "\(folder)/site/"]
                .map { $0.contains(" ") ? "'\($0)'" : $0 }),
            Case(line: "Get-Content \(folder)/.h", expected: ["\(folder)/.hidden"]),
            Case(line: "Show-Greeting -Path \(folder)/ru", expected: ["\(folder)/run.ps1"]),
            Case(line: "\(folder)/ru", expected: ["\(folder)/run.ps1"], start: 0),
            Case(line: "& \(folder)/run.ps1 \(folder)/no", expected: ["\(folder)/notes.txt"]),
            Case(line: "Show-Greeting -Color Red -Loud -Mode ToZero \(folder)/no", expected: ["\(folder)/notes.txt"]),
            Case(line: "Get-Content -TotalCount \(folder)/no", expected: []),
        ]
        for c in cases { Self.check(c, engine) }
    }
}
