import Foundation
import KrScript

/// One mapped route: verbs, a pattern with `{name}` segments and an optional trailing `{*rest}`,
/// and the pre-parsed script block that handles it.
public final class Route: @unchecked Sendable {
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
        case catchAll(String)
    }

    public let pattern: String
    public let verbs: [String]
    let segments: [Segment]
    let scriptBlock: ScriptBlock
    /// -Arguments: injected as variables.
    let arguments: [(String, Value)]
    /// Where the code came from (for logs and Get-KrRoute).
    public let source: String

    init(pattern: String, verbs: [String], scriptBlock: ScriptBlock, arguments: [(String, Value)], source: String) throws {
        self.pattern = pattern
        self.verbs = verbs.map { $0.uppercased() }
        self.scriptBlock = scriptBlock
        self.arguments = arguments
        self.source = source
        self.segments = try Route.parse(pattern)
    }

    static func parse(_ pattern: String) throws -> [Segment] {
        guard pattern.hasPrefix("/") else { throw KrHostError("The route pattern '\(pattern)' must start with '/'.") }
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var out: [Segment] = []
        for (i, p) in parts.enumerated() {
            if p.hasPrefix("{") && p.hasSuffix("}") {
                var name = String(p.dropFirst().dropLast())
                if name.hasPrefix("*") {
                    name.removeFirst()
                    guard i == parts.count - 1 else { throw KrHostError("The catch-all '{*\(name)}' must be the last segment of '\(pattern)'.") }
                    out.append(.catchAll(name))
                } else {
                    if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
                    name = name.trimmingCharacters(in: CharacterSet(charactersIn: "?"))
                    guard !name.isEmpty else { throw KrHostError("The route pattern '\(pattern)' has an empty parameter name.") }
                    out.append(.parameter(name))
                }
            } else if p.contains("{") || p.contains("}") {
                throw KrHostError("The route pattern '\(pattern)' has a malformed segment '\(p)'.")
            } else {
                out.append(.literal(p.lowercased()))
            }
        }
        return out
    }

    /// The route values when `path` matches the pattern (literal segments compare case-insensitively).
    func match(_ path: [String]) -> [(String, String)]? {
        var values: [(String, String)] = []
        var i = 0
        for seg in segments {
            switch seg {
            case .literal(let l):
                guard i < path.count, path[i] == l || path[i].lowercased() == l else { return nil }
                i += 1
            case .parameter(let n):
                guard i < path.count else { return nil }
                values.append((n, path[i]))
                i += 1
            case .catchAll(let n):
                values.append((n, path[i...].joined(separator: "/")))
                i = path.count
            }
        }
        return i == path.count ? values : nil
    }

    var shape: String {
        segments.map {
            switch $0 {
            case .literal(let l): return l
            case .parameter: return "{}"
            case .catchAll: return "{*}"
            }
        }.joined(separator: "/")
    }
}

/// The route table: safe to read from request threads while routes are added or removed.
public final class RouteTable: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [Route] = []

    public enum Match {
        case found(Route, [(String, String)])
        /// The path exists under other verbs (405 with Allow).
        case methodNotAllowed([String])
        case notFound
    }

    public enum DuplicateAction: String { case `throw` = "Throw", skip = "Skip", allow = "Allow", warn = "Warn" }

    /// Adds a route; returns false when a duplicate was skipped.
    @discardableResult
    func add(_ r: Route, duplicate: DuplicateAction) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let clash = routes.first { $0.shape == r.shape && !Set($0.verbs).isDisjoint(with: r.verbs) }
        if let clash {
            switch duplicate {
            case .throw:
                let verbs = Set(clash.verbs).intersection(r.verbs).sorted().joined(separator: ",")
                throw KrHostError("A route for '\(r.pattern)' with verb \(verbs) already exists. Use -AllowDuplicate or -DuplicateAction to change this.")
            case .skip:
                return false
            case .allow, .warn:
                routes.removeAll { $0 === clash }
            }
        }
        routes.append(r)
        return true
    }

    public var all: [Route] {
        lock.lock()
        defer { lock.unlock() }
        return routes
    }

    /// Removes routes whose pattern matches (case-insensitive) and, when given, whose verbs overlap.
    @discardableResult
    func remove(pattern: String, verbs: [String]?) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let before = routes.count
        let v = verbs.map { Set($0.map { $0.uppercased() }) }
        routes.removeAll { r in
            r.pattern.lowercased() == pattern.lowercased() && (v.map { !$0.isDisjoint(with: r.verbs) } ?? true)
        }
        return before - routes.count
    }

    public func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { part -> String in
            let s = String(part)
            // Foundation's decoding only where there is something to decode.
            return s.utf8.contains(UInt8(ascii: "%")) ? (s.removingPercentEncoding ?? s) : s
        }
        let snapshot = all
        var allowed: [String] = []
        let m = method.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) ? method.uppercased() : method
        for r in snapshot {
            guard let values = r.match(parts) else { continue }
            if r.verbs.contains(m) || (m == "HEAD" && r.verbs.contains("GET")) { return .found(r, values) }
            allowed.append(contentsOf: r.verbs)
        }
        if allowed.isEmpty { return .notFound }
        var seen = Set<String>()
        return .methodNotAllowed(allowed.filter { seen.insert($0).inserted })
    }
}
