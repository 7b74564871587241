import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An answer to Invoke-WebRequest / Invoke-RestMethod.
struct WebResult: Sendable {
    let status: Int
    /// Sorted by name, so that RawContent reads the same every time.
    let headers: [(String, String)]
    let bytes: [UInt8]

    var contentType: String? { headers.first { Revalidation.sameFieldName($0.0, "Content-Type") }?.1 }

    /// The body decoded with the charset of its Content-Type (UTF-8 when none is given).
    var text: String {
        let data = Data(bytes)
        let charset = contentType.flatMap(WebResult.charset)?.lowercased()
        let decoded: String?
        switch charset {
        case "iso-8859-1", "latin1", "latin-1": decoded = String(data: data, encoding: .isoLatin1)
        case "us-ascii", "ascii": decoded = String(data: data, encoding: .ascii)
        case "utf-16", "utf-16le", "utf-16be": decoded = String(data: data, encoding: .utf16)
        default: decoded = nil
        }
        let s = decoded ?? String(decoding: bytes, as: UTF8.self)
        return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
    }

    /// The status line, the headers and the body, as PowerShell's RawContent shows them.
    var rawContent: String {
        var s = "HTTP/1.1 \(status) \(WebResult.reason(status))\r\n"
        for (k, v) in headers { s += "\(k): \(v)\r\n" }
        return s + "\r\n" + text
    }

    static func charset(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "charset" { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        let phrases = [
            200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
            301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict", 410: "Gone", 412: "Precondition Failed",
            413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests",
            431: "Request Header Fields Too Large", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return phrases[status] ?? HTTPURLResponse.localizedString(forStatusCode: status).capitalized
    }
}

struct WebClientError: Error {
    let message: String
}

/// A synchronous HTTP client over URLSession: the caller waits on a semaphore while URLSession's
/// own threads do the work.
enum WebClient {
    /// URLSession.shared allows few connections per host; a demo may call its server many times at once.
    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 64
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpShouldSetCookies = false
        return URLSession(configuration: config)
    }()

    /// Sends the request and waits for the answer, calling `checkInterrupt` every tenth of a second
    /// (Ctrl-C at the prompt): what it throws cancels the request and is rethrown.
    static func send(_ request: URLRequest, timeout: Double, checkInterrupt: () throws -> Void = {}) throws -> WebResult {
        let target = request.url?.absoluteString ?? "?"
        let done = DispatchSemaphore(value: 0)
        let outcome = LockedBox<Result<WebResult, WebClientError>?>(nil)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                outcome.set(.failure(WebClientError(message: describe(error, target, timeout))))
            } else if let http = response as? HTTPURLResponse {
                let headers = http.allHeaderFields.map { (String(describing: $0.key), String(describing: $0.value)) }
                    .sorted { $0.0.lowercased() < $1.0.lowercased() }
                outcome.set(.success(WebResult(status: http.statusCode, headers: headers, bytes: data.map { Array($0) } ?? [])))
            } else {
                outcome.set(.failure(WebClientError(message: "\(target) gave no HTTP answer.")))
            }
            done.signal()
        }
        task.resume()
        // A little longer than the request's own timeout, which normally fires first.
        let deadline = DispatchTime.now() + timeout + 2
        while done.wait(timeout: min(deadline, .now() + 0.1)) == .timedOut {
            do { try checkInterrupt() } catch {
                task.cancel()
                throw error
            }
            if DispatchTime.now() >= deadline {
                task.cancel()
                throw WebClientError(message: "The request to \(target) timed out after \(Int(timeout)) seconds.")
            }
        }
        switch outcome.get() {
        case .success(let r)?: return r
        case .failure(let e)?: throw e
        case nil: throw WebClientError(message: "The request to \(target) ended without an answer.")
        }
    }

    static func describe(_ error: Error, _ url: String, _ timeout: Double) -> String {
        guard let e = error as? URLError else { return "The request to \(url) failed: \(error.localizedDescription)" }
        switch e.code {
        case .timedOut: return "The request to \(url) timed out after \(Int(timeout)) seconds."
        case .cannotConnectToHost: return "Cannot connect to \(url): nothing accepts connections there (connection refused)."
        case .cannotFindHost, .dnsLookupFailed: return "Cannot connect to \(url): the host name cannot be resolved."
        case .networkConnectionLost: return "The connection to \(url) was lost before the answer arrived."
        case .badServerResponse: return "\(url) sent an answer that is not valid HTTP."
        case .unsupportedURL: return "'\(url)' is not a URL that can be requested."
        default: return "The request to \(url) failed: \(e.localizedDescription) (URLError \(e.code.rawValue))."
        }
    }
}
