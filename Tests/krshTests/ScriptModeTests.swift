import Foundation
import Testing

/// Script, command and pipe mode of the krsh binary (CLI.md): parameter binding from the command line,
/// `$PSScriptRoot`, `$env:`, exit statuses and the error format on stderr.
@Suite struct ScriptModeTests {
    /// A fresh folder with `files` written into it; removed by the caller.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-script-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    static var plainEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "KRSH_TEST_VALUE")
        return env
    }

    static let paramScript = """
        param([switch]$Flag, [string]$Name, [int]$Port = 8080)
        "Port=$Port ($($Port.GetType().Name)) Flag=$Flag Name=$Name"
        """

    // MARK: param() binding

    @Test(arguments: [
        ([String](), "Port=8080 (Int32) Flag=False Name="),
        (["-Port", "5000"], "Port=5000 (Int32) Flag=False Name="),
        (["-Port", "5000", "-Flag"], "Port=5000 (Int32) Flag=True Name="),
        (["-Flag", "-Name", "api"], "Port=8080 (Int32) Flag=True Name=api"),
        (["-Port:7000", "-Name:x"], "Port=7000 (Int32) Flag=False Name=x"),
        (["nm", "6000"], "Port=6000 (Int32) Flag=False Name=nm"),
        (["-port", "1", "-flag", "-name", "N"], "Port=1 (Int32) Flag=True Name=N"),
        (["-Po", "3"], "Port=3 (Int32) Flag=False Name="),
    ])
    func commandLineBindsTheParamBlock(arguments: [String], expected: String) async throws {
        let dir = try Self.folder(["p.ps1": Self.paramScript])
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await KrshProcess.run([dir.appendingPathComponent("p.ps1").path] + arguments, environment: Self.plainEnvironment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected + "\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func argumentThatDoesNotConvertIsAnErrorWithExitStatusOne() async throws {
        let dir = try Self.folder(["p.ps1": Self.paramScript])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.ps1").path
        let run = try await KrshProcess.run([path, "-Port", "abc"], environment: Self.plainEnvironment)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let error = ErrorLine.first(in: run.stderr)
        #expect(error?.file == path)
        #expect(error?.message.contains("Cannot process argument transformation on parameter 'Port'") == true, "\(run.stderr)")
    }

    @Test func extraWordsWithoutParamBlockAreArgs() async throws {
        let dir = try Self.folder(["a.ps1": "\"count=$($args.Count) first=$($args[0]) last=$($args[-1])\""])
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await KrshProcess.run([dir.appendingPathComponent("a.ps1").path, "one", "two", "three"])
        #expect(run.status == 0)
        #expect(run.stdout == "count=3 first=one last=three\n")
    }

    @Test func pipeModeBindsTheWordsAfterTheDash() async throws {
        let run = try await KrshProcess.run(["-", "-Port", "9"], stdin: Self.paramScript, environment: Self.plainEnvironment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Port=9 (Int32) Flag=False Name=\n")
    }

    @Test func commandModeBindsTheWordsAfterTheText() async throws {
        let run = try await KrshProcess.run(["-c", "param($a) \"a=$a\"", "hello"])
        #expect(run.status == 0)
        #expect(run.stdout == "a=hello\n")
    }

    // MARK: $PSScriptRoot and $env:

    @Test func scriptRootIsTheScriptsFolder() async throws {
        let dir = try Self.folder(["sub/r.ps1": "$PSScriptRoot"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let subPath = dir.appendingPathComponent("sub").path
        // Run from the folder above with a relative path that wanders: the root is still absolute and clean.
        let run = try await KrshProcess.run(["./sub/../sub/r.ps1"], in: dir)
        #expect(run.status == 0)
        #expect(run.stdout == subPath + "\n" || run.stdout == URL(fileURLWithPath: subPath).resolvingSymlinksInPath().path + "\n")
    }

    @Test func scriptRootInCommandAndPipeModeIsTheCurrentFolder() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try await KrshProcess.run(["-c", "$PSScriptRoot"], in: dir)
        let pipe = try await KrshProcess.run([], stdin: "$PSScriptRoot\n", in: dir)
        let resolved = dir.resolvingSymlinksInPath().path
        #expect([dir.path + "\n", resolved + "\n"].contains(command.stdout), "\(command.stdout)")
        #expect([dir.path + "\n", resolved + "\n"].contains(pipe.stdout), "\(pipe.stdout)")
    }

    @Test func environmentVariableWithFallback() async throws {
        var env = Self.plainEnvironment
        let unset = try await KrshProcess.run(["-c", "$env:KRSH_TEST_VALUE ?? 5"], environment: env)
        #expect(unset.stdout == "5\n")
        env["KRSH_TEST_VALUE"] = "7000"
        let set = try await KrshProcess.run(["-c", "$env:KRSH_TEST_VALUE ?? 5"], environment: env)
        #expect(set.stdout == "7000\n")
        let typed = try await KrshProcess.run(["-c", "[int]($env:KRSH_TEST_VALUE ?? 5) + 1"], environment: env)
        #expect(typed.stdout == "7001\n")
    }

    @Test func environmentVariableNamesAreReadAsGiven() async throws {
        var env = Self.plainEnvironment
        env["KRSH_TEST_VALUE"] = "x y"
        let run = try await KrshProcess.run(["-c", "\"[$env:KRSH_TEST_VALUE]\""], environment: env)
        #expect(run.stdout == "[x y]\n")
    }

    // MARK: exit statuses

    @Test(arguments: [("exit 3", Int32(3)), ("exit 0", 0), ("'a'; exit", 0), ("function f { exit 9 }; f; 'unreachable'", 9), ("throw 'x'", 1), ("$null.Foo(); 'goes on'", 0), ("1 +* 2", 1), ("$ErrorActionPreference = 'Stop'; $null.Foo()", 1)])
    func exitStatusIsTheSameInEveryMode(source: String, status: Int32) async throws {
        let dir = try Self.folder(["s.ps1": source + "\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try await KrshProcess.run([dir.appendingPathComponent("s.ps1").path], environment: Self.plainEnvironment)
        let command = try await KrshProcess.run(["-c", source], environment: Self.plainEnvironment)
        let pipe = try await KrshProcess.run([], stdin: source + "\n", environment: Self.plainEnvironment)
        #expect(file.status == status, "file: \(file.stderr)")
        #expect(command.status == status, "command: \(command.stderr)")
        #expect(pipe.status == status, "pipe: \(pipe.stderr)")
        #expect(file.stdout == command.stdout && command.stdout == pipe.stdout)
        #expect(!file.stdout.contains("unreachable"))
    }

    @Test func pipedStdinBehavesExactlyLikeAFile() async throws {
        let source = "'one'\nWrite-Host 'two'\n$null.Foo()\n'three'\nthrow 'stop'\n'four'\n"
        let dir = try Self.folder(["same.ps1": source])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("same.ps1").path
        let file = try await KrshProcess.run([path], environment: Self.plainEnvironment)
        let pipe = try await KrshProcess.run([], stdin: source, environment: Self.plainEnvironment)
        let dash = try await KrshProcess.run(["-"], stdin: source, environment: Self.plainEnvironment)
        #expect(file.stdout == "one\ntwo\nthree\n")
        #expect(pipe.stdout == file.stdout)
        #expect(dash.stdout == file.stdout)
        #expect(file.status == 1 && pipe.status == 1 && dash.status == 1)
        #expect(pipe.stderr == file.stderr.replacingOccurrences(of: path, with: "<stdin>"))
        #expect(dash.stderr == pipe.stderr)
    }

    // MARK: error format

    @Test func syntaxErrorInAFile() async throws {
        let dir = try Self.folder(["bad.ps1": "'printed?'\n$x = 1 +* 2\n'never'\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.ps1").path
        let run = try await KrshProcess.run([path], environment: Self.plainEnvironment)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty, "a script with a syntax error never runs partially")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("\(path):2:9: error: ") == true, "\(run.stderr)")
        #expect(lines.count > 2 && lines[1] == "$x = 1 +* 2")
        #expect(lines.count > 2 && lines[2] == "        ^")
    }

    @Test(arguments: [
        (["-c", "'a'\n$s = 'open"], "<command>", 2),
        ([], "<stdin>", 2),
    ])
    func syntaxErrorsNameTheirSource(arguments: [String], name: String, line: Int) async throws {
        let run = try await KrshProcess.run(arguments, stdin: arguments.isEmpty ? "'a'\nif ($x) {\n" : nil, environment: Self.plainEnvironment)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let error = ErrorLine.first(in: run.stderr)
        #expect(error?.file == name, "\(run.stderr)")
        #expect(error?.line == line)
    }

    @Test func runtimeErrorKeepsEarlierOutputAndPointsAtTheStatement() async throws {
        let source = "'before'\nfunction Fail {\n  throw 'bad thing'\n}\nFail\n'after'\n"
        let run = try await KrshProcess.run(["-c", source], environment: Self.plainEnvironment)
        #expect(run.status == 1)
        #expect(run.stdout == "before\n")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "<command>:3:3: error: bad thing")
        #expect(lines.dropFirst().first == "  throw 'bad thing'")
        #expect(lines.dropFirst(2).first == "  ^")
    }

    @Test func statementErrorsGoToStderrAndTheRunSucceeds() async throws {
        let run = try await KrshProcess.run(["-c", "'a'\n1/0\n'b'"], environment: Self.plainEnvironment)
        #expect(run.status == 0)
        #expect(run.stdout == "a\nb\n")
        #expect(ErrorLine.first(in: run.stderr)?.line == 2)
        #expect(ErrorLine.first(in: run.stderr)?.message.contains("Attempted to divide by zero") == true)
    }

    @Test func noColourWhenStderrIsNotATerminal() async throws {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        let run = try await KrshProcess.run(["-c", "throw 'x'"], environment: env)
        #expect(!run.stderr.contains("\u{1B}["))
        #expect(!run.stdout.contains("\u{1B}["))
    }

    // MARK: encodings

    @Test func utf8ByteOrderMarkIsSkipped() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bom.ps1")
        try Data([0xEF, 0xBB, 0xBF] + Array("'é ok'\n".utf8)).write(to: file)
        let run = try await KrshProcess.run([file.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "é ok\n")
    }

    @Test func utf16LittleEndianScriptRuns() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("utf16.ps1")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "'wide'\r\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: file)
        let run = try await KrshProcess.run([file.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "wide\n")
    }

    @Test func invalidUTF8DoesNotCrash() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bytes.ps1")
        try Data([0x27, 0xC3, 0x28, 0xFF, 0x27, 0x0A, 0x27, 0x6F, 0x6B, 0x27, 0x0A]).write(to: file)
        let run = try await KrshProcess.run([file.path])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("ok\n"))
    }

    @Test func binaryGarbageOnStdinIsASyntaxErrorNotACrash() async throws {
        var state: UInt32 = 12345
        let bytes = (0..<4096).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let garbage = String(decoding: bytes, as: UTF8.self)
        let run = try await KrshProcess.run([], stdin: garbage, environment: Self.plainEnvironment)
        #expect(!run.signal, "killed by signal \(run.status)")
        #expect(run.status == 0 || run.status == 1)
    }

    // MARK: known bugs at the process level (kept green with withKnownIssue; see KnownBugsTests)

    @Test func homeFollowsTheHomeEnvironmentVariable() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = Self.plainEnvironment
        env["HOME"] = dir.path
        let run = try await KrshProcess.run(["-c", "$HOME -eq $env:HOME"], environment: env)
        do { // fixed: bug: $HOME comes from the password database (NSHomeDirectory), not from $env:HOME as .NET 
            #expect(run.stdout == "True\n")
        }
    }

    @Test func crlfScriptErrorShowsItsSourceLine() async throws {
        let dir = try Self.folder(["crlf.ps1": "'a'\r\n$null.Foo()\r\n'b'\r\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await KrshProcess.run([dir.appendingPathComponent("crlf.ps1").path], environment: Self.plainEnvironment)
        #expect(run.status == 0)
        #expect(run.stdout == "a\nb\n")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(ErrorLine.first(in: run.stderr)?.line == 2)
        do { // fixed: bug: lines split on Character \"\\n\" never match \"\\r\\n\", so the source line and caret
            #expect(lines.count == 3)
            #expect(lines.dropFirst().first == "$null.Foo()")
        }
    }
}
