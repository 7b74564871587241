import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened for one response: its length and validators come from the same open
/// descriptor its bytes are read from, so they always describe what is sent.
final class StaticFile {
    private let fd: Int32
    let length: Int
    /// The modification time cut to whole seconds (HTTP dates have no finer precision).
    let lastModified: Date

    /// Opens `real` (a path `FileRoot.resolve` returned) when it is a regular file still inside `root`.
    init?(_ real: String, root: FileRoot) {
        // O_NONBLOCK: opening a FIFO must not hang the I/O thread (it is refused just below).
        let fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, root.holds(descriptor: fd) else {
            close(fd)
            return nil
        }
        self.fd = fd
        length = Int(st.st_size)
        lastModified = Date(timeIntervalSince1970: TimeInterval(st.modifiedSeconds))
    }

    deinit { close(fd) }

    /// A strong ETag computed as ASP.NET Core's static files do: the Windows file time of the
    /// last modification (whole seconds) XOR the length, in hex.
    var etag: String {
        let fileTime = (Int64(lastModified.timeIntervalSince1970) + 11_644_473_600) &* 10_000_000
        let hash = fileTime ^ Int64(length)
        return "\"" + String(UInt64(bitPattern: hash), radix: 16) + "\""
    }

    /// The bytes in `range` (fewer if the file shrank since it was opened).
    func read(_ range: ClosedRange<Int>) -> [UInt8] {
        let count = range.count
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        let ok = out.withUnsafeMutableBytes { buf -> Bool in
            guard let base = buf.baseAddress else { return count == 0 }
            while done < count {
                let n = pread(fd, base + done, count - done, off_t(range.lowerBound + done))
                if n > 0 { done += n; continue }
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                return n == 0
            }
            return true
        }
        if !ok || done < count { out.removeSubrange(done...) }
        return out
    }

    /// The whole file.
    func readAll() -> [UInt8] { length == 0 ? [] : read(0...(length - 1)) }
}

extension stat {
    /// st_mtime in whole seconds (the field is spelled differently on Linux and Darwin).
    var modifiedSeconds: Int {
        #if canImport(Darwin)
        Int(st_mtimespec.tv_sec)
        #else
        Int(st_mtim.tv_sec)
        #endif
    }

    var isRegularFile: Bool { st_mode & S_IFMT == S_IFREG }
    var isDirectory: Bool { st_mode & S_IFMT == S_IFDIR }
}
