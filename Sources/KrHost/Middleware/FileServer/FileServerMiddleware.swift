import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Add-KrFileServerMiddleware's settings (ASP.NET Core's FileServerOptions).
public struct FileServerOptions: Sendable {
    /// Where the files appear in URLs (`/` for the site root).
    public var requestPath = "/"
    /// The folder served, already resolved to an absolute path.
    public var rootPath: String
    public var enableDirectoryBrowsing = false
    /// Tried in order for a folder's URL; empty turns default files off.
    public var defaultFileNames = ["default.htm", "default.html", "index.htm", "index.html"]
    /// Serve files whose extension has no Content-Type (with `defaultContentType`, or none).
    public var serveUnknownFileTypes = false
    public var defaultContentType: String?
    /// A folder's URL without the trailing slash is redirected (301) to the one with it.
    public var redirectToAppendTrailingSlash = true
    /// Sent on every static response; no header when empty.
    public var cacheControl = CacheControl()
    var contentTypes = ContentTypeMap()

    public init(rootPath: String) { self.rootPath = rootPath }

    /// Adds extension to Content-Type pairs over the defaults (`.yaml` or `yaml`).
    public mutating func addContentTypes(_ pairs: [(String, String)]) {
        contentTypes = contentTypes.merging(pairs)
    }
}

/// Static files, default files and directory listings under -RequestPath, as ASP.NET Core's
/// StaticFileMiddleware, DefaultFilesMiddleware and DirectoryBrowserMiddleware do it: GET and HEAD
/// only (other verbs, paths outside -RequestPath and missing files go on to the routes). Every
/// response it produces carries the one Cache-Control value built from the cache switches; files
/// also carry a strong ETag, Last-Modified and Accept-Ranges, and answer conditional and range
/// requests (RFC 9110). No path outside the root is ever opened.
public struct FileServerMiddleware: KrMiddleware {
    public let options: FileServerOptions
    let root: FileRoot
    let mount: [String]
    /// Built once; nil when no cache switch was given.
    let cacheControlHeader: String?

    public init(_ options: FileServerOptions) throws {
        var st = stat()
        guard let root = FileRoot(options.rootPath), stat(root.path, &st) == 0, st.isDirectory else {
            throw KrHostError("The folder '\(options.rootPath)' does not exist.")
        }
        self.options = options
        self.root = root
        mount = RequestTarget.mountSegments(options.requestPath)
        guard !mount.contains("..") else { throw KrHostError("-RequestPath '\(options.requestPath)' must not contain '..'.") }
        cacheControlHeader = options.cacheControl.isEmpty ? nil : options.cacheControl.headerValue
    }

    public func handle(_ request: KrRequest, next: @Sendable (KrRequest) async -> KrResponse) async -> KrResponse {
        guard request.method == "GET" || request.method == "HEAD" else { return await next(request) }
        switch RequestTarget.classify(rawPath: request.path, mount: mount) {
        case .outside:
            return await next(request)
        case .badRequest:
            return KrHost.errorResponse(400, "Bad Request")
        case .traversal:
            return KrHost.errorResponse(404, "Not Found")
        case .inside(let segments, let trailingSlash):
            // File system work runs on NIO's blocking-I/O pool, never on the event loop or the
            // concurrency pool.
            let answer: KrResponse?
            do {
                answer = try await NIOThreadPool.singleton.runIfActive { self.answer(request, segments, trailingSlash) }
            } catch {
                return KrHost.errorResponse(500, "Internal Server Error")
            }
            if let answer { return answer }
            return await next(request)
        }
    }

    // MARK: the answer (blocking: runs on the I/O pool)

    /// The response for a path under the root, or nil when there is nothing to serve there.
    func answer(_ request: KrRequest, _ segments: [String], _ trailingSlash: Bool) -> KrResponse? {
        guard let real = root.resolve(segments) else { return nil }
        var st = stat()
        guard stat(real, &st) == 0 else { return nil }
        if st.isRegularFile {
            return trailingSlash ? nil : serveFile(real, name: segments.last ?? "", request)
        }
        guard st.isDirectory else { return nil }
        for name in options.defaultFileNames {
            var fst = stat()
            guard let file = root.resolve(segments + [name]), stat(file, &fst) == 0, fst.isRegularFile else { continue }
            if !trailingSlash && options.redirectToAppendTrailingSlash { return redirectToSlash(request) }
            if let r = serveFile(file, name: name, request) { return r }
        }
        if options.enableDirectoryBrowsing {
            if !trailingSlash && options.redirectToAppendTrailingSlash { return redirectToSlash(request) }
            let entries = DirectoryListing.entries(of: real, segments: segments, root: root)
            let path = "/" + (mount + segments).map { $0 + "/" }.joined()
            let r = KrResponse()
            applyCacheControl(r)
            r.write(Array(DirectoryListing.html(requestPath: path, entries: entries).utf8), status: 200,
                    contentType: "text/html; charset=utf-8")
            return r
        }
        return nil
    }

    /// One file: 200, 206, 304, 412 or 416; nil when its type is unknown (and not served) or it
    /// cannot be opened.
    func serveFile(_ real: String, name: String, _ request: KrRequest) -> KrResponse? {
        let contentType: String?
        if let t = options.contentTypes.contentType(forFileName: name) {
            contentType = t
        } else if options.serveUnknownFileTypes {
            contentType = options.defaultContentType
        } else {
            return nil
        }
        guard let file = StaticFile(real, root: root) else { return nil }
        let etag = file.etag
        let r = KrResponse()
        func setValidators() {
            r.setHeader("Last-Modified", Revalidation.httpDate(file.lastModified))
            r.setHeader("ETag", etag)
            r.setHeader("Accept-Ranges", "bytes")
        }
        switch Revalidation.evaluate(request, etag: etag, lastModified: file.lastModified) {
        case .notModified:
            setValidators()
            applyCacheControl(r)
            r.write([], status: 304, contentType: nil)
            return r
        case .preconditionFailed:
            applyCacheControl(r)
            r.write([], status: 412, contentType: nil)
            return r
        case .proceed:
            break
        }
        // A Range on HEAD is ignored (ASP.NET answers HEAD with the 200 headers).
        var range = ByteRange.whole
        if request.method == "GET", let header = request.header("Range"),
           Revalidation.rangeAllowed(requestHeaders: request.headers, etag: etag, lastModified: file.lastModified) {
            range = ByteRange.evaluate(header, length: file.length)
        }
        switch range {
        case .unsatisfiable:
            r.setHeader("Content-Range", ByteRange.unsatisfiedRange(length: file.length))
            applyCacheControl(r)
            r.write([], status: 416, contentType: nil)
        case .partial(let span):
            let bytes = file.read(span)
            setValidators()
            let sent = bytes.isEmpty ? span : span.lowerBound...(span.lowerBound + bytes.count - 1)
            r.setHeader("Content-Range", ByteRange.contentRange(sent, length: file.length))
            applyCacheControl(r)
            r.write(bytes, status: 206, contentType: contentType)
        case .whole:
            // HEAD reads the file too: the engine sets a HEAD response's Content-Length from the body.
            let bytes = file.readAll()
            setValidators()
            applyCacheControl(r)
            r.write(bytes, status: 200, contentType: contentType)
        }
        return r
    }

    private func applyCacheControl(_ r: KrResponse) {
        if let v = cacheControlHeader { r.setHeader("Cache-Control", v) }
    }

    /// 301 to the same URL with a trailing slash (relative links in the folder's page need it).
    private func redirectToSlash(_ request: KrRequest) -> KrResponse {
        // One leading slash only: `//host` would be a protocol-relative URL elsewhere.
        var path = request.path
        while path.hasPrefix("//") { path.removeFirst() }
        let location = path + "/" + (request.queryString.isEmpty ? "" : "?" + request.queryString)
        let r = KrResponse()
        r.setHeader("Location", location)
        r.write([], status: 301, contentType: nil)
        return r
    }
}
