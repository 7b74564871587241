import Foundation

/// One case of the language conformance corpus (Tests/conformance/lang/<group>/<case>.ps1 with .out
/// and/or .err), judged by the rules of the reference runner Tests/conformance/run.py, whose messages
/// it reproduces word for word.
struct ConformanceCase: Sendable {
    static let timeout = 10.0

    let script: URL

    /// `group/case`, as run.py labels it.
    var label: String {
        let group = script.deletingLastPathComponent().lastPathComponent
        return "\(group)/\(script.deletingPathExtension().lastPathComponent)"
    }

    /// Every `*.ps1` under `folder`, in run.py's order (sorted walk).
    static func all(under folder: URL) -> [ConformanceCase] {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: folder.path) else { return [] }
        return paths.filter { $0.hasSuffix(".ps1") }.sorted()
            .map { ConformanceCase(script: folder.appendingPathComponent($0)) }
    }

    /// Runs the case; nil message means it passed.
    func run() async -> String? {
        let base = script.deletingPathExtension()
        let expectedOut = Self.read(base.appendingPathExtension("out"))
        let errSpec = Self.read(base.appendingPathExtension("err"))
        if expectedOut == nil && errSpec == nil { return "broken case: no .out or .err file" }

        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let result: KrshRun
        do {
            result = try await KrshProcess.run(
                [script.path], in: script.deletingLastPathComponent(), environment: environment,
                timeout: Self.timeout)
        } catch {
            return "cannot start krsh: \(error)"
        }
        return Self.judge(result, expectedOut: expectedOut, errSpec: errSpec)
    }

    /// run.py's `run_case` after the process has ended.
    static func judge(_ result: KrshRun, expectedOut: String?, errSpec: String?) -> String? {
        typealias Py = PythonText
        if result.timedOut { return "timed out after \(formatG(timeout))s" }
        let stdout = result.stdout, stderr = result.stderr, rc = result.status
        if result.signal {
            return "killed by signal \(rc); stderr: \(Py.clip(Py.suffix(Py.strip(stderr), 200), 120))"
        }

        if let expectedOut {
            let expected = norm(expectedOut), actual = norm(stdout)
            if !Py.same(expected, actual) {
                let extra = rc != 0 ? " (exit \(rc); stderr: \(Py.clip(Py.prefix(Py.strip(stderr), 200), 100)))" : ""
                return "stdout " + firstDifference(expected, actual) + extra
            }
        }
        guard let errSpec else {
            if rc != 0 {
                return "exit status \(rc), expected 0; stderr: \(Py.clip(Py.prefix(Py.strip(stderr), 200), 120))"
            }
            return nil
        }
        if rc != 1 { return "exit status \(rc), expected 1 (a terminating error)" }
        return judgeError(stderr: stderr, spec: Py.strip(Py.splitlines(Py.strip(errSpec)).first ?? ""))
    }

    /// The `.err` check: `line=N TEXT`, `line=N`, `TEXT` or nothing.
    private static func judgeError(stderr: String, spec: String) -> String? {
        typealias Py = PythonText
        var wantLine: Int?, wantText = spec
        if let (line, text) = ErrorLine.parseSpec(spec) {
            wantLine = line
            wantText = Py.strip(text)
        }
        if wantLine == nil && wantText.isEmpty { return nil }
        guard let error = ErrorLine.first(in: Py.crlfToLF(stderr)) else {
            return "stderr has no \"FILE:LINE:COL: error: MESSAGE\" line: \(Py.clip(Py.prefix(Py.strip(stderr), 200), 120))"
        }
        if let wantLine, error.line != wantLine {
            return "error reported at line \(error.line), expected line \(wantLine): \(Py.clip(error.message, 100))"
        }
        if !wantText.isEmpty && !Py.containsIgnoringCase(error.message, wantText) {
            return "error message \(Py.clip(error.message, 100)) lacks \(Py.clip(wantText))"
        }
        return nil
    }

    /// CRLF read as LF; one trailing newline ignored.
    static func norm(_ text: String) -> String {
        var scalars = PythonText.scalars(PythonText.crlfToLF(text))
        if scalars.last == "\n" { scalars.removeLast() }
        return PythonText.string(scalars)
    }

    /// A one-line description of where two outputs part.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let exp = PythonText.splitLines(expected), act = PythonText.splitLines(actual)
        for i in 0..<max(exp.count, act.count) {
            let e = i < exp.count ? exp[i] : nil, a = i < act.count ? act[i] : nil
            switch (e, a) {
            case (nil, let a?):
                return "line \(i + 1): unexpected extra output \(PythonText.clip(a)) (\(act.count - exp.count) extra lines)"
            case (let e?, nil):
                return "line \(i + 1): output ends early, expected \(PythonText.clip(e)) (\(exp.count - act.count) lines missing)"
            case (let e?, let a?) where !PythonText.same(e, a):
                return "line \(i + 1): expected \(PythonText.clip(e)) got \(PythonText.clip(a))"
            default:
                continue
            }
        }
        return "outputs differ"
    }

    /// A file's text decoded as UTF-8 with bad bytes replaced, or nil when it does not exist.
    private static func read(_ file: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Python's `{x:g}` for the whole and simple numbers a timeout is.
    private static func formatG(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
