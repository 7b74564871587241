import Foundation

/// -EnableDirectoryBrowsing: an HTML index of a folder, in the manner of ASP.NET Core's
/// HtmlDirectoryFormatter (folders first, then files, with size and modification time). Hidden
/// names and symlinks that leave the root are not listed.
enum DirectoryListing {
    struct Entry: Equatable {
        let name: String
        let isDirectory: Bool
        let size: Int
        let modified: Date
    }

    /// The listable entries of `real` (a folder inside `root` reached by `segments`).
    static func entries(of real: String, segments: [String], root: FileRoot) -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: real) else { return [] }
        var out: [Entry] = []
        for name in names {
            guard let target = root.resolve(segments + [name]) else { continue }
            var st = stat()
            guard stat(target, &st) == 0 else { continue }
            guard st.isDirectory || st.isRegularFile else { continue }
            out.append(Entry(name: name, isDirectory: st.isDirectory, size: Int(st.st_size),
                             modified: Date(timeIntervalSince1970: TimeInterval(st.modifiedSeconds))))
        }
        return out.sorted { a, b in
            if a.isDirectory != b.isDirectory { return a.isDirectory }
            return a.name.localizedStandardCompare(b.name) == .orderedAscending
        }
    }

    /// The page for `requestPath` (decoded, ending with `/`).
    static func html(requestPath: String, entries: [Entry]) -> String {
        let title = "Index of " + escape(requestPath)
        var rows = ""
        for e in entries {
            let href = escape(encodePath(requestPath) + encodeSegment(e.name) + (e.isDirectory ? "/" : ""))
            let label = escape(e.name + (e.isDirectory ? "/" : ""))
            let size = e.isDirectory ? "" : grouped(e.size)
            rows += "<tr class=\"\(e.isDirectory ? "directory" : "file")\"><td class=\"name\"><a href=\"\(href)\">\(label)</a></td>"
                + "<td class=\"length\">\(size)</td><td class=\"modified\">\(Revalidation.httpDate(e.modified))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(title)</title>
            <style>
            body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 14px; margin: 2em; }
            table { border-collapse: collapse; } th, td { padding: 0.25em 1.5em 0.25em 0; text-align: left; }
            td.length { text-align: right; } a { text-decoration: none; }
            </style>
            </head>
            <body>
            <section id="main">
            <header><h1>\(breadcrumb(requestPath))</h1></header>
            <table id="index" summary="The list of files in the given directory.">
            <thead><tr><th abbr="Name">Name</th><th abbr="Size">Size</th><th abbr="Modified">Last Modified</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </section>
            </body>
            </html>

            """
    }

    /// `Index of /a/b/` with each level a link.
    private static func breadcrumb(_ path: String) -> String {
        var out = "Index of <a href=\"/\">/</a>"
        var prefix = "/"
        for seg in path.split(separator: "/").map(String.init) {
            prefix += encodeSegment(seg) + "/"
            out += "<a href=\"\(escape(prefix))\">\(escape(seg))/</a>"
        }
        return out
    }

    private static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    private static let segmentAllowed: CharacterSet = {
        var s = CharacterSet.urlPathAllowed
        s.remove(charactersIn: "/;?#%")
        return s
    }()

    static func encodeSegment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? s
    }

    static func encodePath(_ p: String) -> String {
        p.split(separator: "/", omittingEmptySubsequences: false).map { encodeSegment(String($0)) }.joined(separator: "/")
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
