import Foundation

/// Reads script text from a file or stdin and works out the script's folder.
enum ScriptSource {
    /// Reads FILE. A missing, unreadable or directory path is a usage error (exit status 2).
    static func read(path: String) throws(UsageError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw cannotRead(path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        // open() succeeds on a directory, and read() would then fail with a less helpful EISDIR later.
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw cannotRead(path, errno: EISDIR)
        }
        switch readAll(fd) {
        case .success(let bytes): return decode(bytes)
        case .failure(let failure): throw cannotRead(path, errno: failure.errno)
        }
    }

    /// Reads all of stdin (pipe mode). A read error ends the text early, as a closed pipe would.
    static func readStandardInput() -> String {
        switch readAll(STDIN_FILENO) {
        case .success(let bytes): return decode(bytes)
        case .failure: return ""
        }
    }

    /// Decodes script bytes like PowerShell does: a byte-order mark picks UTF-8 or UTF-16 (Windows
    /// PowerShell saves UTF-16LE by default), and anything else is read as UTF-8 with bad bytes replaced.
    static func decode(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: false) }
        if bytes.starts(with: [0xFE, 0xFF]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: true) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `$PSScriptRoot` for FILE: its folder as an absolute path, with `.` and `..` resolved by name
    /// (symbolic links are kept, as PowerShell keeps them).
    static func folder(ofScript path: String, currentFolder: String) -> String {
        let absolute = path.hasPrefix("/") ? path : currentFolder + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        if !parts.isEmpty { parts.removeLast() }
        return "/" + parts.joined(separator: "/")
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static func readAll(_ fd: Int32) -> Result<[UInt8], ReadFailure> {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return .success(bytes)
            } else if errno != EINTR {
                return .failure(ReadFailure(errno: errno))
            }
        }
    }

    private static func cannotRead(_ path: String, errno code: Int32) -> UsageError {
        UsageError(message: "cannot read '\(path)': \(String(cString: strerror(code)))")
    }

    private struct ReadFailure: Error {
        let errno: Int32
    }
}
