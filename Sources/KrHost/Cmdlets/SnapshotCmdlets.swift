import Foundation
import KrScript

/// Export-KrSharedState and Import-KrSharedState: PowerShell CLIXML snapshots, readable by
/// Import-Clixml. A file export is crash-safe: written beside the target, flushed, then renamed.
enum SnapshotCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Export-KrSharedState", "Writes a snapshot of a value as PowerShell CLIXML (a string, bytes, or a file).", [
                ParameterMeta("InputObject", position: 0, mandatory: true, pipeline: true, help: "The value to snapshot."),
                ParameterMeta("Path", .string, help: "A file to write (relative to Initialize-KrRoot's folder); implies -OutputType File."),
                {
                    var p = ParameterMeta("OutputType", .string, help: "String (default), ByteArray or File.")
                    p.validateSet = ["String", "ByteArray", "File"]
                    return p
                }(),
                ParameterMeta("Encoding", .string, help: "Text encoding of bytes and files: UTF8 (default) or Unicode."),
            ], examples: [CommandExample("Export-KrSharedState -InputObject $Visits -Path ./visits.xml", "Saves the counter table.", setup: "New-KrServer -Name example | Out-Null\n$Visits = @{ Count = 3 }")]) {
                CollectThenCmdlet(enumerateInputObject: false) { inv, items in
                    let v: Value = items.count == 1 ? items[0] : (items.isEmpty ? (inv.value("InputObject") ?? .null) : .array(PSArray(items)))
                    // Its own lock: calling it inside Use-KrLock never deadlocks with the caller's keys.
                    let xml = try LockRegistry.shared.withLock(LockRegistry.snapshotKey, timeout: nil) { HostValues.toClixml(v) } ?? ""
                    let type = (inv.string("OutputType") ?? (inv.has("Path") ? "File" : "String")).lowercased()
                    let data = encode(xml, inv.string("Encoding"))
                    switch type {
                    case "bytearray":
                        try inv.write(HostValues.byteArray(Array(data)))
                    case "file":
                        guard let p = inv.string("Path") else { throw inv.fail("-OutputType File needs -Path.") }
                        let path = PathResolver.normalize(p, base: try root(inv))
                        do { try writeAtomically(data, to: path) } catch {
                            throw inv.fail("Could not write the snapshot to '\(path)': \(error.localizedDescription)")
                        }
                    default:
                        try inv.write(.string(xml))
                    }
                }
            },
            KrCmdlet.info("Import-KrSharedState", "Reads a CLIXML snapshot back into values with their types.", [
                ParameterMeta("InputString", .string, position: 0, help: "CLIXML text."),
                ParameterMeta("InputBytes", help: "CLIXML as bytes."),
                ParameterMeta("Path", .string, help: "A CLIXML file."),
                ParameterMeta("Encoding", .string, help: "Text encoding of bytes and files: UTF8 (default) or Unicode."),
            ], examples: [
                CommandExample("$Visits = Import-KrSharedState -Path ./visits.xml", "Restores the table saved by Export-KrSharedState, with its types.",
                               setup: "New-KrServer -Name example | Out-Null\nExport-KrSharedState -InputObject @{ Count = 3 } -Path ./visits.xml"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let text: String
                    if let p = inv.string("Path") {
                        let path = PathResolver.normalize(p, base: try root(inv))
                        guard let data = FileManager.default.contents(atPath: path) else {
                            throw inv.fail("Cannot import the snapshot: '\(path)' does not exist or cannot be read.")
                        }
                        text = decode(data, inv.string("Encoding"))
                    } else if let b = inv.value("InputBytes") {
                        text = decode(Data(try HostValues.bytes(b, inv)), inv.string("Encoding"))
                    } else if let s = inv.string("InputString") {
                        text = s
                    } else {
                        throw inv.fail("Import-KrSharedState needs -InputString, -InputBytes or -Path.")
                    }
                    let v: Value
                    do {
                        v = try LockRegistry.shared.withLock(LockRegistry.snapshotKey, timeout: nil) { try HostValues.fromClixml(text) } ?? .null
                    } catch {
                        throw inv.fail("The snapshot is not valid CLIXML: \(error)")
                    }
                    try inv.write(v)
                }
            },
        ]
    }

    static func root(_ inv: Invocation) throws -> String {
        (try? KrCmdlet.host(inv))?.root ?? HostRegistry.shared.root
    }

    static func encode(_ s: String, _ encoding: String?) -> Data {
        switch encoding?.lowercased() {
        case "unicode", "utf16", "utf-16": return s.data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 } ?? Data(s.utf8)
        default: return Data(s.utf8)
        }
    }

    static func decode(_ d: Data, _ encoding: String?) -> String {
        if d.starts(with: [0xFF, 0xFE]) { return String(data: d.dropFirst(2), encoding: .utf16LittleEndian) ?? "" }
        if d.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: d.dropFirst(3), as: UTF8.self) }
        if encoding?.lowercased().hasPrefix("unicode") == true { return String(data: d, encoding: .utf16LittleEndian) ?? "" }
        return String(decoding: d, as: UTF8.self)
    }

    /// Temporary file in the same folder, flushed to disk, then renamed over the target: an
    /// interrupted export leaves the previous snapshot whole.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: tmp, contents: nil) else {
            throw KrHostError("cannot create a file in \(dir)")
        }
        do {
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
            try h.write(contentsOf: data)
            try h.synchronize()
            try h.close()
            guard rename(tmp, path) == 0 else { throw KrHostError(String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw error
        }
    }
}
