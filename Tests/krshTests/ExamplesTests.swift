import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Every script in examples/ runs as the README says (`krsh examples/... -Port N`) and prints exactly
/// its `.expected` file next to it (with the port written as 5000), with no error line. The demo that
/// `make run` opens is driven the way a person would: its URLs answer and the prompt sees the state.
@Suite(.serialized) struct ExamplesTests {
    static let examplesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    /// The guide-section scripts, as paths relative to examples/.
    static let sections: [String] = {
        let fm = FileManager.default
        var found: [String] = []
        for folder in ["shared-state", "caching"] {
            let names = (try? fm.contentsOfDirectory(atPath: examplesFolder.appendingPathComponent(folder).path)) ?? []
            found += names.filter { $0.hasSuffix(".ps1") }.sorted().map { "\(folder)/\($0)" }
        }
        return found
    }()

    @Test func everyGuideHasItsExamples() {
        #expect(Self.sections.filter { $0.hasPrefix("shared-state/") }.count >= 5, "\(Self.sections)")
        #expect(Self.sections.filter { $0.hasPrefix("caching/") }.count >= 5, "\(Self.sections)")
    }

    @Test(arguments: sections)
    func exampleRunsAndPrintsItsExpectedOutput(_ script: String) async throws {
        let file = Self.examplesFolder.appendingPathComponent(script)
        let expectedFile = file.deletingPathExtension().appendingPathExtension("expected")
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        let port = Self.freePort()
        let run = try await KrshProcess.run([file.path, "-Port", String(port)], timeout: 30)
        #expect(run.status == 0 && !run.timedOut, "status \(run.status), stderr:\n\(run.stderr)")
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(": error:") }
        #expect(errors.isEmpty, "error lines:\n\(errors.joined(separator: "\n"))")
        let stdout = run.stdout.replacingOccurrences(of: "127.0.0.1:\(port)", with: "127.0.0.1:5000")
            .replacingOccurrences(of: "krsh-example-visits-\(port)", with: "krsh-example-visits-5000")
        #expect(stdout == expected, "\(script) printed:\n\(stdout)")
    }

    @Test func demoServesWhatItsBannerPromises() async throws {
        let port = Self.freePort()
        let demo = Self.examplesFolder.appendingPathComponent("demo.ps1").path
        let base = "http://127.0.0.1:\(port)"
        let run = try await KrshProcess.run([], stdin: """
            . '\(demo)' -Port \(port)
            '--- checks'
            (Invoke-RestMethod -Method Post -Uri \(base)/visit).visits
            (Invoke-RestMethod -Method Post -Uri \(base)/visit).visits
            $Visits.Count
            $first = Invoke-RestMethod -Uri \(base)/time
            $second = Invoke-WebRequest -Uri \(base)/time
            $first -eq $second.Content
            $null -ne $second.Headers['Age']
            (Invoke-WebRequest -Uri \(base)/versioned -Headers @{ 'If-None-Match' = '"v2"' } -SkipHttpErrorCheck).StatusCode
            (Invoke-WebRequest -Uri \(base)/site/).Headers['Cache-Control']
            (Get-KrCacheEntry).Path
            (Get-KrSharedState -Name '*').Name -contains 'Visits'
            """, timeout: 30)
        #expect(run.status == 0, "stderr:\n\(run.stderr)")
        #expect(!run.stderr.contains(": error:"), "stderr:\n\(run.stderr)")
        for line in ["curl -X POST \(base)/visit", "curl -i \(base)/time", "curl -i -H 'If-None-Match: \"v2\"' \(base)/versioned",
                     "curl -i \(base)/site/", "Get-KrCacheDecision"] {
            #expect(run.stdout.contains(line), "the banner shows \(line)")
        }
        let checks = run.stdout.components(separatedBy: "--- checks\n").last ?? ""
        #expect(checks == "1\n2\n2\nTrue\nTrue\n304\npublic, must-revalidate, max-age=300\n/time\nTrue\n", "checks:\n\(checks)")
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
