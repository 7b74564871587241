import Foundation
import KrScript

/// Add-KrFileServerMiddleware: layer 1 of the caching guide (static files with one Cache-Control).
enum FileServerCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Add-KrFileServerMiddleware", "Serves the files of a folder (static files, default files, optional directory listings).", [
                KrCmdlet.serverParameter,
                ParameterMeta("RequestPath", .string, help: "Where the files appear in URLs (default '/')."),
                ParameterMeta("RootPath", .string, help: "The folder to serve, relative to Initialize-KrRoot's folder ('\\' separators accepted; default 'wwwroot')."),
                ParameterMeta("EnableDirectoryBrowsing", .switchParameter, help: "Lists a folder's files as an HTML page when it has no default file."),
                ParameterMeta("ContentTypeMap", help: "Extension to Content-Type pairs added to the defaults, e.g. @{ '.yaml' = 'application/x-yaml' }."),
                ParameterMeta("ServeUnknownFileTypes", .switchParameter, help: "Also serves files whose extension has no Content-Type (with -DefaultContentType)."),
                ParameterMeta("DefaultContentType", .string, help: "The Content-Type of unknown file types, used with -ServeUnknownFileTypes."),
                ParameterMeta("DefaultFiles", help: "File names tried for a folder's URL (default: default.htm, default.html, index.htm, index.html); @() turns them off."),
                ParameterMeta("RedirectToAppendTrailingSlash", .switchParameter, help: "Redirects a folder's URL without '/' to the one with it (the default; -RedirectToAppendTrailingSlash:$false turns it off)."),
                ParameterMeta("HttpsCompression", help: "Accepted for Kestrun scripts; it has no effect here."),
            ] + CacheControl.parameters + [
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Add-KrFileServerMiddleware -RequestPath '/' -RootPath '.\\Assets\\wwwroot' -Public -MaxAge 300 -MustRevalidate",
                               "Serves Assets/wwwroot at the site root with Cache-Control: public, must-revalidate, max-age=300.", setup: "New-KrServer -Name example | Out-Null"),
                CommandExample("Add-KrFileServerMiddleware -RequestPath '/files' -RootPath './share' -EnableDirectoryBrowsing -ContentTypeMap @{ '.yaml' = 'application/x-yaml' }",
                               "Lists ./share under /files and serves .yaml files as application/x-yaml.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    let options = try makeOptions(inv, root: h.root)
                    let middleware: FileServerMiddleware
                    do { middleware = try FileServerMiddleware(options) } catch let e as KrHostError { throw inv.fail(e.description) }
                    h.middleware.add(middleware)
                    try KrCmdlet.passThru(inv, h)
                }
            },
        ]
    }

    static func makeOptions(_ inv: Invocation, root: String) throws -> FileServerOptions {
        var o = FileServerOptions(rootPath: PathResolver.normalize(inv.string("RootPath").flatMap { $0.isEmpty ? nil : $0 } ?? "wwwroot", base: root))
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: o.rootPath, isDirectory: &isDir), isDir.boolValue else {
            throw inv.fail("The folder '\(o.rootPath)' does not exist (-RootPath is relative to Initialize-KrRoot's folder).")
        }
        var requestPath = (inv.string("RequestPath") ?? "/").replacingOccurrences(of: "\\", with: "/")
        if !requestPath.hasPrefix("/") { requestPath = "/" + requestPath }
        o.requestPath = requestPath
        o.enableDirectoryBrowsing = inv.switchOn("EnableDirectoryBrowsing")
        o.serveUnknownFileTypes = inv.switchOn("ServeUnknownFileTypes")
        if let t = inv.string("DefaultContentType"), !t.trimmingCharacters(in: .whitespaces).isEmpty { o.defaultContentType = t }
        if inv.has("RedirectToAppendTrailingSlash") { o.redirectToAppendTrailingSlash = inv.switchOn("RedirectToAppendTrailingSlash") }
        if let names = inv.value("DefaultFiles") {
            o.defaultFileNames = HostValues.elements(names).map(HostValues.string).filter { !$0.isEmpty }
            if let bad = o.defaultFileNames.first(where: { $0.contains("/") || $0.contains("\\") || $0.hasPrefix(".") }) {
                throw inv.fail("-DefaultFiles takes plain file names, not '\(bad)'.")
            }
        }
        if let map = inv.value("ContentTypeMap"), !map.isNull { o.addContentTypes(try pairs(map, inv)) }
        o.cacheControl = try CacheControl.from(inv)
        return o
    }

    /// The entries of a hashtable (or dictionary) as strings.
    private static func pairs(_ v: Value, _ inv: Invocation) throws -> [(String, String)] {
        var table: PSHashtable?
        if case .hashtable(let h) = v { table = h }
        if case .object(let o) = v { table = HostValues.counterTable(o) }
        guard let t = table else {
            throw inv.fail("-ContentTypeMap takes a hashtable such as @{ '.yaml' = 'application/x-yaml' }.")
        }
        return t.entries.map { (HostValues.string($0.key), HostValues.string($0.value)) }
    }
}
