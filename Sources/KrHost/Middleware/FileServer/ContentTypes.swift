import Foundation

/// File extension to Content-Type, as ASP.NET Core's FileExtensionContentTypeProvider does it: the
/// text after the last dot of the file name, compared case-insensitively. -ContentTypeMap entries
/// are merged over the defaults.
struct ContentTypeMap: Sendable {
    private var byExtension: [String: String]

    init(_ entries: [String: String] = ContentTypeMap.defaults) {
        byExtension = [:]
        for (ext, type) in entries { byExtension[ContentTypeMap.key(ext)] = type }
    }

    /// The map with `extra` added (and replacing defaults for the same extension). Keys may be
    /// written with or without the dot; blank types are skipped.
    func merging(_ extra: [(String, String)]) -> ContentTypeMap {
        var m = self
        for (ext, type) in extra {
            let t = type.trimmingCharacters(in: .whitespaces)
            let k = ContentTypeMap.key(ext)
            if t.isEmpty || k.count < 2 { continue }
            m.byExtension[k] = t
        }
        return m
    }

    /// The Content-Type for a file name, nil when its extension is unknown (or it has none).
    func contentType(forFileName name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex else { return nil }
        return byExtension[String(name[dot...]).lowercased()]
    }

    private static func key(_ ext: String) -> String {
        let e = ext.trimmingCharacters(in: .whitespaces).lowercased()
        return e.hasPrefix(".") ? e : "." + e
    }

    /// The common part of ASP.NET Core's default table (same values).
    static let defaults: [String: String] = [
        ".7z": "application/x-7z-compressed", ".aac": "audio/aac", ".appcache": "text/cache-manifest",
        ".atom": "application/atom+xml", ".avi": "video/x-msvideo", ".avif": "image/avif", ".bin": "application/octet-stream",
        ".bmp": "image/bmp", ".css": "text/css", ".csv": "text/csv", ".doc": "application/msword",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".dll": "application/x-msdownload",
        ".eot": "application/vnd.ms-fontobject", ".exe": "application/octet-stream", ".flac": "audio/flac", ".gif": "image/gif",
        ".gz": "application/x-gzip", ".htm": "text/html", ".html": "text/html", ".ico": "image/x-icon", ".ics": "text/calendar",
        ".jar": "application/java-archive", ".jpe": "image/jpeg", ".jpeg": "image/jpeg", ".jpg": "image/jpeg",
        ".js": "text/javascript", ".json": "application/json", ".jsonld": "application/ld+json", ".m4a": "audio/mp4",
        ".m4v": "video/mp4", ".manifest": "text/cache-manifest", ".mid": "audio/mid", ".midi": "audio/mid", ".mjs": "text/javascript",
        ".mov": "video/quicktime", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".mpeg": "video/mpeg", ".mpg": "video/mpeg",
        ".oga": "audio/ogg", ".ogg": "video/ogg", ".ogv": "video/ogg", ".otf": "font/otf", ".pdf": "application/pdf",
        ".png": "image/png", ".ppt": "application/vnd.ms-powerpoint",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".rss": "application/rss+xml",
        ".rtf": "application/rtf", ".sh": "application/x-sh", ".svg": "image/svg+xml", ".svgz": "image/svg+xml",
        ".tar": "application/x-tar", ".tgz": "application/x-compressed", ".tif": "image/tiff", ".tiff": "image/tiff",
        ".ttf": "application/x-font-ttf", ".txt": "text/plain", ".vtt": "text/vtt", ".wasm": "application/wasm",
        ".wav": "audio/wav", ".weba": "audio/webm", ".webm": "video/webm", ".webmanifest": "application/manifest+json",
        ".webp": "image/webp", ".woff": "application/font-woff", ".woff2": "font/woff2", ".xhtml": "application/xhtml+xml",
        ".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xml": "text/xml", ".xsd": "text/xml", ".xsl": "text/xml", ".zip": "application/x-zip-compressed",
    ]
}
