import Foundation
import Testing

/// The parts of the command-line contract (CLI.md) that hold whatever the language can do.
@Suite struct CommandLineTests {
    @Test func versionPrintsNameAndNumber() async throws {
        let run = try await KrshProcess.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == "krsh 0.1.0\n")
    }

    @Test(arguments: ["--help", "-h"])
    func helpDescribesTheModes(flag: String) async throws {
        let run = try await KrshProcess.run([flag])
        #expect(run.status == 0)
        #expect(run.stdout.contains("-c"))
        #expect(run.stdout.contains("--no-exit"))
    }

    @Test(arguments: [
        (["--bogus"], "--bogus"),
        (["-x", "file.ps1"], "-x"),
        (["--no-exit", "--bogus", "file.ps1"], "--bogus"),
    ])
    func unknownOptionIsAUsageError(arguments: [String], offending: String) async throws {
        let run = try await KrshProcess.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("krsh: "))
        #expect(run.stderr.contains("'\(offending)'"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func missingValueForCommandIsAUsageError() async throws {
        let run = try await KrshProcess.run(["-c"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("krsh: "))
    }

    @Test func missingFileIsAUsageErrorNamingTheFile() async throws {
        let name = "no-such-script-\(UUID().uuidString).ps1"
        let run = try await KrshProcess.run([name])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("krsh: "))
        #expect(run.stderr.contains(name))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func folderAsFileIsAUsageError() async throws {
        let run = try await KrshProcess.run([FileManager.default.temporaryDirectory.path])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("krsh: "))
    }

    @Test func emptyCommandSucceeds() async throws {
        let run = try await KrshProcess.run(["-c", ""])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func emptyScriptFileSucceeds() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-empty-\(UUID().uuidString).ps1")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await KrshProcess.run([file.path, "-Port", "5000"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func pipeModeReadsStdin() async throws {
        let run = try await KrshProcess.run([], stdin: "# only a comment\n")
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func dashReadsStdin() async throws {
        let run = try await KrshProcess.run(["-", "-Name", "value"], stdin: "")
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func helpAfterTheFileBelongsToTheScript() async throws {
        // Words after FILE are the script's: `--help` there must not print krsh's help.
        let run = try await KrshProcess.run(["-", "--help"], stdin: "")
        #expect(run.status == 0)
        #expect(!run.stdout.contains("OVERVIEW"))
    }
}
