import Foundation

/// Content types by file extension (the common part of ASP.NET Core's FileExtensionContentTypeProvider).
enum MediaTypes {
    static let byExtension: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "md": "text/markdown", "csv": "text/csv",
        "htm": "text/html", "html": "text/html", "css": "text/css", "xml": "text/xml",
        "js": "text/javascript", "mjs": "text/javascript", "json": "application/json", "map": "application/json",
        "yaml": "application/yaml", "yml": "application/yaml", "wasm": "application/wasm",
        "pdf": "application/pdf", "zip": "application/zip", "gz": "application/x-gzip", "tar": "application/x-tar",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "svg": "image/svg+xml", "ico": "image/x-icon", "bmp": "image/bmp", "avif": "image/avif",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "application/x-font-ttf", "otf": "font/otf",
        "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "mp4": "video/mp4", "webm": "video/webm",
    ]

    static let fallback = "application/octet-stream"

    /// The content type for a file name, `application/octet-stream` when the extension is unknown.
    static func forFile(_ path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return byExtension[ext] ?? fallback
    }

    /// Whether a body of this type is text (Invoke-WebRequest gives text content as a string).
    static func isText(_ contentType: String) -> Bool {
        let t = contentType.lowercased()
        return t.hasPrefix("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
            || t.contains("yaml") || t.contains("x-www-form-urlencoded") || t.contains("charset=")
    }
}
