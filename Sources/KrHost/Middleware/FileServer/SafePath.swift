import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a request path names, relative to the file server's -RequestPath. The path is
/// percent-decoded exactly once (so `%252e` stays the literal text `%2e`), `\` counts as a separator
/// (Kestrun's Windows-style paths), and `.` segments and empty segments are dropped.
enum RequestTarget: Equatable {
    /// Not under -RequestPath: the rest of the pipeline answers.
    case outside
    /// Malformed percent-encoding, a NUL byte or invalid UTF-8: 400.
    case badRequest
    /// A `..` segment (encoded or not): 404, never resolved.
    case traversal
    /// The segments under -RequestPath, and whether the path ended with a separator.
    case inside(segments: [String], trailingSlash: Bool)

    static func classify(rawPath: String, mount: [String]) -> RequestTarget {
        guard let decoded = percentDecode(rawPath) else {
            return startsWith(rawSegments(rawPath), mount) ? .badRequest : .outside
        }
        let unified = decoded.replacingOccurrences(of: "\\", with: "/")
        let all = unified.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard startsWith(all, mount) else { return .outside }
        let rest = Array(all.dropFirst(mount.count))
        if rest.contains("..") { return .traversal }
        return .inside(segments: rest, trailingSlash: unified.hasSuffix("/"))
    }

    /// -RequestPath as segments (`/` and `` are the site root).
    static func mountSegments(_ requestPath: String) -> [String] {
        let p = percentDecode(requestPath) ?? requestPath
        return p.replacingOccurrences(of: "\\", with: "/").split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// Segment-wise, case-insensitive prefix test (ASP.NET's StartsWithSegments).
    private static func startsWith(_ segments: [String], _ prefix: [String]) -> Bool {
        guard segments.count >= prefix.count else { return false }
        return zip(segments, prefix).allSatisfy { $0.0.caseInsensitiveCompare($0.1) == .orderedSame }
    }

    private static func rawSegments(_ raw: String) -> [String] {
        raw.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// `%XX` escapes decoded once; nil for a malformed escape, a NUL byte or bytes that are not UTF-8.
    static func percentDecode(_ s: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard let h = it.popFirst(), let l = it.popFirst(), let hi = hex(h), let lo = hex(l) else { return nil }
                out.append(hi << 4 | lo)
            } else {
                out.append(b)
            }
        }
        if out.contains(0) { return nil }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}

/// The folder a file server serves, by its real path, and the checks that keep every file it opens
/// inside it: symlinks are followed and their targets must stay under the root.
struct FileRoot: Sendable {
    /// The root's real path (symlinks resolved).
    let path: String

    init?(_ path: String) {
        guard let r = FileRoot.realPath(path) else { return nil }
        self.path = r
    }

    func contains(_ real: String) -> Bool {
        path == "/" || real == path || real.hasPrefix(path + "/")
    }

    /// The real path of `root/segments` when it exists and stays inside the root; nil for missing
    /// files, hidden names (a leading dot, which ASP.NET's PhysicalFileProvider excludes too) and
    /// anything a symlink takes outside.
    func resolve(_ segments: [String]) -> String? {
        for s in segments where s.hasPrefix(".") || s.contains("/") || s.contains("\0") || s.isEmpty { return nil }
        let candidate = segments.isEmpty ? path : path + "/" + segments.joined(separator: "/")
        guard let real = FileRoot.realPath(candidate), contains(real) else { return nil }
        return real
    }

    /// Whether an open descriptor still refers to a file inside the root: closes the window in
    /// which a path checked by `resolve` is swapped for a symlink before it is opened.
    func holds(descriptor fd: Int32) -> Bool {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return false }
        let bytes = buffer[0..<n].map { UInt8(bitPattern: $0) }
        return contains(String(decoding: bytes, as: UTF8.self))
        #elseif canImport(Darwin)
        var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
        guard fcntl(fd, F_GETPATH, &buffer) != -1 else { return false }
        return contains(String(cString: buffer))
        #else
        return true
        #endif
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
