import Foundation

/// Content types of response bodies. The extension table is the file server's (ContentTypeMap), so
/// Write-KrFileResponse and static files agree.
enum MediaTypes {
    static let fallback = "application/octet-stream"

    /// The content type for a file name, `application/octet-stream` when the extension is unknown.
    static func forFile(_ path: String) -> String {
        ContentTypeMap().contentType(forFileName: (path as NSString).lastPathComponent) ?? fallback
    }

    /// Whether a body of this type is text (Invoke-WebRequest gives text content as a string).
    static func isText(_ contentType: String) -> Bool {
        let t = contentType.lowercased()
        return t.hasPrefix("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
            || t.contains("yaml") || t.contains("x-www-form-urlencoded") || t.contains("charset=")
    }
}
