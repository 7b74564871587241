import Foundation
import Testing

/// The committed files generated from krsh itself: the shell completion scripts (from krsh's option
/// declarations) and the cmdlet reference (from the cmdlet metadata). Each test fails when the
/// committed copy drifts from what the built krsh generates, and says which make target fixes it.
@Suite struct GeneratedFilesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [("bash", "krsh.bash"), ("zsh", "_krsh"), ("fish", "krsh.fish")])
    func completionScriptIsUpToDate(shell: String, file: String) async throws {
        let run = try await KrshProcess.run(["--generate-completion-script", shell])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("no-exit") && run.stdout.contains("command"))
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(run.stdout == committed, "completions/\(file) differs from what krsh generates: run `make completions` and commit the result")
    }

    @Test func referenceIsUpToDate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-reference-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await KrshProcess.run(["--generate-reference", folder.path], timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        let committedFolder = Self.repository.appendingPathComponent("docs/reference")
        let generated = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let committed = ((try? FileManager.default.contentsOfDirectory(atPath: committedFolder.path)) ?? []).sorted()
        #expect(generated.contains("README.md") && generated.contains("Add-KrMapRoute.md") && generated.contains("Get-Help.md"))
        #expect(generated == committed, "docs/reference has other pages than the metadata gives: run `make docs` and commit the result")
        for name in generated where committed.contains(name) {
            let fresh = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let old = try String(contentsOf: committedFolder.appendingPathComponent(name), encoding: .utf8)
            #expect(fresh == old, "docs/reference/\(name) differs from the metadata: run `make docs` and commit the result")
        }
    }

    /// The completion request is krsh's only as its first word: after FILE or -c TEXT it is the script's.
    @Test func completionOptionAfterTheScriptBelongsToTheScript() async throws {
        let run = try await KrshProcess.run(["-c", "\"args: $args\"", "--generate-completion-script", "bash"])
        #expect(run.status == 0)
        #expect(run.stdout == "args: --generate-completion-script bash\n")
    }

    @Test(arguments: [["--generate-reference"], ["--generate-reference", "a", "b"], ["--generate-completion-script", "tcsh"]])
    func badGenerationRequestsAreUsageErrors(arguments: [String]) async throws {
        let run = try await KrshProcess.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("krsh: "))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpDoesNotMentionTheHiddenOptions() async throws {
        let run = try await KrshProcess.run(["--help"])
        #expect(!run.stdout.contains("generate"))
    }
}
