import Foundation
import Testing

/// The language conformance corpus, run through the built krsh.
///
/// Cases krsh cannot pass yet are listed in Tests/conformance/not-yet-supported.txt. A failure outside
/// the list fails the test; so does a listed case that passes, so the list can only shrink
/// (Tests/conformance/update-not-yet-supported.sh rewrites it from the current failures).
@Suite struct ConformanceTests {
    /// Cases run at once: enough to use two cores, few enough not to starve the rest of the tests.
    static let parallelRuns = 3

    static let conformanceFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("conformance")
    static let corpus = conformanceFolder.appendingPathComponent("lang")
    static let notYetSupportedFile = conformanceFolder.appendingPathComponent("not-yet-supported.txt")
    /// The canonical corpus lives in the shared folder next to the repository root, when there is one.
    static let canonicalCorpus = conformanceFolder
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/lang").standardizedFileURL

    @Test func corpusMatchesTheNotYetSupportedList() async throws {
        _ = try KrshProcess.binary()
        let cases = ConformanceCase.all(under: Self.corpus)
        try #require(!cases.isEmpty, "no conformance cases under \(Self.corpus.path)")
        let listed = try Self.notYetSupported()
        let failures = await Self.runAll(cases)

        let labels = Set(cases.map(\.label))
        for label in listed.sorted() where !labels.contains(label) {
            Issue.record("not-yet-supported.txt names \(label), which is not in the corpus")
        }
        for testCase in cases {
            let label = testCase.label
            switch (failures[label], listed.contains(label)) {
            case (let message?, false):
                Issue.record("FAIL \(label): \(message)")
            case (nil, true):
                Issue.record("\(label) passes now: remove it from Tests/conformance/not-yet-supported.txt")
            default:
                break
            }
        }
        print("conformance: \(cases.count - failures.count) passed, \(listed.count) on the not-yet-supported list")
    }

    @Test func corpusIsInStepWithTheCanonicalCopy() throws {
        let canonical = Self.canonicalCorpus
        guard FileManager.default.fileExists(atPath: canonical.path) else {
            print("conformance sync: no canonical corpus at \(canonical.path); nothing to compare")
            return
        }
        let ours = try Self.files(under: Self.corpus), theirs = try Self.files(under: canonical)
        for path in theirs.subtracting(ours).sorted() {
            Issue.record("\(path) is in \(canonical.path) but missing from Tests/conformance/lang")
        }
        for path in ours.subtracting(theirs).sorted() {
            Issue.record("\(path) is in Tests/conformance/lang but not in \(canonical.path)")
        }
        for path in ours.intersection(theirs).sorted() {
            let mine = FileManager.default.contents(atPath: Self.corpus.appendingPathComponent(path).path)
            let original = FileManager.default.contents(atPath: canonical.appendingPathComponent(path).path)
            if mine != original {
                Issue.record("Tests/conformance/lang/\(path) differs from \(canonical.path)/\(path)")
            }
        }
    }

    /// Runs every case, at most `parallelRuns` at once; returns the failure message of each failing case.
    static func runAll(_ cases: [ConformanceCase]) async -> [String: String] {
        await withTaskGroup(of: (String, String?).self) { group in
            var pending = cases.makeIterator()
            for _ in 0..<parallelRuns {
                guard let next = pending.next() else { break }
                group.addTask { (next.label, await next.run()) }
            }
            var failures: [String: String] = [:]
            for await (label, message) in group {
                if let message { failures[label] = message }
                if let next = pending.next() {
                    group.addTask { (next.label, await next.run()) }
                }
            }
            return failures
        }
    }

    /// The `group/case` lines of not-yet-supported.txt; `#` starts a comment.
    static func notYetSupported() throws -> Set<String> {
        let text = try String(contentsOf: notYetSupportedFile, encoding: .utf8)
        let entries = text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let entry = content.trimmingCharacters(in: .whitespaces)
            return entry.isEmpty ? nil : entry
        }
        return Set(entries)
    }

    /// Relative paths of the regular files under `folder`.
    static func files(under folder: URL) throws -> Set<String> {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        return Set(paths.filter { path in
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            return exists && !isFolder.boolValue
        })
    }
}
