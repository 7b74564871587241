import Foundation
import KrScript

/// Write-KrXmlResponse, Write-KrYamlResponse, Write-KrCsvResponse, Write-KrBinaryResponse,
/// Write-KrResponse and Write-KrFileResponse, with Kestrun's parameter names.
extension ResponseCmdlets {
    static let xmlType = "application/xml; charset=utf-8"
    static let yamlType = "application/yaml; charset=utf-8"
    static let csvType = "text/csv; charset=utf-8"
    static let textType = "text/plain; charset=utf-8"
    static let jsonType = "application/json; charset=utf-8"
    static let binaryType = "application/octet-stream"

    /// Like `collecting`, with help examples.
    static func collectingInput(_ name: String, _ synopsis: String, _ params: [ParameterMeta], examples: [CommandExample],
                                _ body: @escaping @Sendable (Invocation, Value) throws -> Void) -> CmdletInfo {
        KrCmdlet.info(name, synopsis, params, examples: examples) {
            CollectThenCmdlet(enumerateInputObject: false) { inv, items in
                let v: Value = items.count == 1 ? items[0] : (items.isEmpty ? (inv.value("InputObject") ?? .null) : .array(PSArray(items)))
                try body(inv, v)
            }
        }
    }

    static func sendBytes(_ inv: Invocation, _ bytes: [UInt8], _ defaultType: String) throws {
        let c = try KrCmdlet.request(inv)
        c.response.write(bytes, status: try status(inv), contentType: inv.string("ContentType") ?? defaultType)
    }

    static var formats: [CmdletInfo] {
        [
            collectingInput("Write-KrXmlResponse", "Sends an object as XML: keys and properties become elements, array elements <Item> elements.",
                            common(xmlType) + [
                                ParameterMeta("RootElementName", .string, help: "The name of the outer element (default Response)."),
                            ], examples: [
                                CommandExample("Write-KrXmlResponse @{ id = 7; tags = @('a', 'b') }",
                                               "Sends <Response><id>7</id><tags><Item>a</Item><Item>b</Item></tags></Response>.", inRoute: true),
                            ]) { inv, v in
                try send(inv, XmlBody.document(v, root: inv.string("RootElementName") ?? "Response"), xmlType)
            },
            collectingInput("Write-KrYamlResponse", "Sends an object as YAML.", common(yamlType), examples: [
                CommandExample("Write-KrYamlResponse ([ordered]@{ name = 'krsh'; ports = @(5000, 5001) })",
                               "Sends 'name: krsh' and a 'ports' sequence.", inRoute: true),
            ]) { inv, v in
                let text: String
                do { text = try YamlBody.document(v) } catch { throw inv.fail("The object cannot be written as YAML: \(error)") }
                try send(inv, text, yamlType)
            },
            collectingInput("Write-KrCsvResponse", "Sends objects as CSV: a header row of property names, then one quoted row per object; a string is sent as it is.",
                            common(csvType), examples: [
                                CommandExample("Write-KrCsvResponse @([pscustomobject]@{ Name = 'Ann'; Age = 30 }, [pscustomobject]@{ Name = 'Bob'; Age = 25 })",
                                               "Sends \"Name\",\"Age\" then \"Ann\",\"30\" and \"Bob\",\"25\".", inRoute: true),
                            ]) { inv, v in
                try send(inv, CsvBody.document(v), csvType)
            },
            collectingInput("Write-KrBinaryResponse", "Sends a byte array as it is.", [
                ParameterMeta("InputObject", position: 0, pipeline: true, help: "The bytes (a byte array, or numbers from 0 to 255)."),
                ParameterMeta("StatusCode", .int32, help: "The HTTP status (default 200)."),
                ParameterMeta("ContentType", .string, help: "The Content-Type (default \(binaryType))."),
            ], examples: [
                CommandExample("Write-KrBinaryResponse -InputObject ([Text.Encoding]::UTF8.GetBytes('hi')) -ContentType 'application/octet-stream'",
                               "Sends the two bytes 0x68 0x69.", inRoute: true),
            ]) { inv, v in
                try sendBytes(inv, try bytes(v, inv), binaryType)
            },
            collectingInput("Write-KrResponse", "Sends anything: a byte array as bytes, a string as text, other objects as JSON.", [
                ParameterMeta("InputObject", position: 0, pipeline: true, help: "What to send."),
                ParameterMeta("StatusCode", .int32, help: "The HTTP status (default 200)."),
                ParameterMeta("ContentType", .string, help: "The Content-Type (default: by what is sent: octet-stream, text/plain or JSON)."),
            ], examples: [
                CommandExample("Write-KrResponse 'accepted' -StatusCode 202", "Sends the text 'accepted' with status 202.", inRoute: true),
                CommandExample("Write-KrResponse ([Text.Encoding]::UTF8.GetBytes('raw')) -ContentType 'application/x-raw'", "Sends three bytes.", inRoute: true),
            ]) { inv, v in
                switch v {
                case .array(let a) where a.elementType == .byte:
                    try sendBytes(inv, try bytes(v, inv), binaryType)
                case .string(let s):
                    try sendBytes(inv, Array(s.utf8), textType)
                case .null:
                    try sendBytes(inv, [], textType)
                case .hashtable, .array, .object:
                    try sendBytes(inv, Array(HostValues.toJson(v, depth: 10, compress: false).utf8), jsonType)
                default:
                    try sendBytes(inv, Array(HostValues.string(v).utf8), textType)
                }
            },
            fileResponse,
        ]
    }

    static var fileResponse: CmdletInfo {
        KrCmdlet.info("Write-KrFileResponse", "Sends a file; the content type comes from its extension unless -ContentType says otherwise.", [
            ParameterMeta("FilePath", .string, position: 0, mandatory: true, help: "The file; relative and Windows-style paths resolve against the server's root folder. A missing file answers 404."),
            ParameterMeta("ContentType", .string, help: "The Content-Type (default: by the file's extension, else application/octet-stream)."),
            ParameterMeta("StatusCode", .int32, help: "The HTTP status (default 200)."),
            ParameterMeta("FileDownloadName", .string, help: "Asks the browser to save the file under this name (Content-Disposition: attachment)."),
            ParameterMeta("ContentDisposition", .string, set: ["NoContentDisposition", "Inline", "Attachment"],
                          help: "Inline (show it) or Attachment (save it); default: attachment only when -FileDownloadName is given."),
        ], examples: [
            CommandExample("Write-KrFileResponse -FilePath '.\\Assets\\report.pdf' -FileDownloadName 'report-2024.pdf'",
                           "Sends the PDF as a download named report-2024.pdf.", inRoute: true),
        ]) {
            ClosureCmdlet { inv, _ in
                let c = try KrCmdlet.request(inv)
                let raw = inv.string("FilePath") ?? ""
                let path = PathResolver.normalize(raw, base: c.host.root)
                var isDir: ObjCBool = false
                guard !raw.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
                    throw inv.fail("The file '\(raw)' was not found.", errorId: "Http404")
                }
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw inv.fail("The file '\(raw)' cannot be read.")
                }
                let s = try status(inv)
                let name = inv.string("FileDownloadName").flatMap { $0.isEmpty ? nil : $0 }
                switch (inv.string("ContentDisposition")?.lowercased() ?? "nocontentdisposition", name) {
                case ("inline", _):
                    c.response.setHeader("Content-Disposition", contentDisposition("inline", fileName: name))
                case ("attachment", _):
                    c.response.setHeader("Content-Disposition", contentDisposition("attachment", fileName: name ?? (path as NSString).lastPathComponent))
                case (_, .some(let n)):
                    c.response.setHeader("Content-Disposition", contentDisposition("attachment", fileName: n))
                default:
                    break
                }
                c.response.write(Array(data), status: s, contentType: inv.string("ContentType") ?? MediaTypes.forFile(path))
            }
        }
    }

    /// A byte array from an array of numbers 0...255 (what [Text.Encoding]::UTF8.GetBytes gives).
    static func bytes(_ v: Value, _ inv: Invocation) throws -> [UInt8] {
        switch v {
        case .null:
            throw inv.fail("\(inv.name) needs -InputObject: a byte array.")
        case .string:
            throw inv.fail("\(inv.name) needs a byte array, not a string; convert text with [Text.Encoding]::UTF8.GetBytes(...) or use Write-KrTextResponse.")
        default:
            break
        }
        var out: [UInt8] = []
        for (i, item) in HostValues.elements(v).enumerated() {
            switch item {
            case .int, .long, .double, .decimal, .char:
                let n = try HostValues.int(item, inv)
                guard (0...255).contains(n) else { throw inv.fail("\(inv.name) needs bytes from 0 to 255; element \(i) is \(n).") }
                out.append(UInt8(n))
            default:
                throw inv.fail("\(inv.name) needs a byte array; element \(i) is a \(HostValues.typeName(item)).")
            }
        }
        return out
    }

    /// RFC 6266: a quoted ASCII file name, plus `filename*` (RFC 8187) when the name is not plain ASCII.
    static func contentDisposition(_ type: String, fileName: String?) -> String {
        guard let name = fileName else { return type }
        let printable = { (u: Unicode.Scalar) in u.value >= 0x20 && u.value < 0x7F }
        let plain = String(String.UnicodeScalarView(name.unicodeScalars.map { printable($0) ? $0 : "_" }))
        let quoted = "\"" + plain.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        if name.unicodeScalars.allSatisfy(printable) { return "\(type); filename=\(quoted)" }
        let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: attrChars) ?? plain
        return "\(type); filename=\(quoted); filename*=UTF-8''\(encoded)"
    }
}
