import Foundation
import KrScript

/// The cache switches shared by Add-KrCacheResponse, Add-KrFileServerMiddleware and
/// Add-KrCacheMiddleware: one declaration of the parameters and one builder.
extension CacheControl {
    static var parameters: [ParameterMeta] {
        func seconds(_ name: String, _ help: String) -> ParameterMeta {
            var p = ParameterMeta(name, .int32, help: help)
            p.validateRange = (.int(1), .int(Int32.max))
            return p
        }
        return [
            ParameterMeta("Public", .switchParameter, help: "public: any cache (browser or shared proxy) may store the response."),
            ParameterMeta("Private", .switchParameter, help: "private: only the end user's browser may cache it."),
            seconds("MaxAge", "max-age=N: freshness lifetime in seconds."),
            seconds("SharedMaxAge", "s-maxage=N: freshness lifetime for shared caches (overrides max-age there)."),
            ParameterMeta("NoCache", .switchParameter, help: "no-cache: may be stored but must be revalidated before reuse."),
            ParameterMeta("NoStore", .switchParameter, help: "no-store: must not be stored anywhere."),
            ParameterMeta("MustRevalidate", .switchParameter, help: "must-revalidate: stale responses must be revalidated."),
            ParameterMeta("ProxyRevalidate", .switchParameter, help: "proxy-revalidate: like must-revalidate, for shared caches."),
            ParameterMeta("NoTransform", .switchParameter, help: "no-transform: intermediaries must not change the payload."),
            ParameterMeta("OnlyIfCached", .switchParameter, help: "only-if-cached: accept only a cached response (rare)."),
            ParameterMeta("MaxStale", .switchParameter, help: "max-stale: a stale response is acceptable."),
            seconds("MaxStaleLimit", "max-stale=N: a response stale by at most N seconds is acceptable."),
            seconds("MinFresh", "min-fresh=N: the response must stay fresh for N more seconds."),
        ]
    }

    /// Builds the directives from the bound switches; `-Public` with `-Private` is an error.
    static func from(_ inv: Invocation) throws -> CacheControl {
        var c = CacheControl()
        c.isPublic = inv.switchOn("Public")
        c.isPrivate = inv.switchOn("Private")
        if c.isPublic && c.isPrivate { throw inv.fail("-Public and -Private cannot be used together.") }
        c.maxAge = try inv.int("MaxAge")
        c.sharedMaxAge = try inv.int("SharedMaxAge")
        c.noCache = inv.switchOn("NoCache")
        c.noStore = inv.switchOn("NoStore")
        c.mustRevalidate = inv.switchOn("MustRevalidate")
        c.proxyRevalidate = inv.switchOn("ProxyRevalidate")
        c.noTransform = inv.switchOn("NoTransform")
        c.onlyIfCached = inv.switchOn("OnlyIfCached")
        c.maxStaleLimit = try inv.int("MaxStaleLimit")
        c.maxStale = inv.switchOn("MaxStale") || c.maxStaleLimit != nil
        c.minFresh = try inv.int("MinFresh")
        return c
    }
}

/// Layer 3 of the caching guide: per-response directives.
enum CacheResponseCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Add-KrCacheResponse", "Sets the Cache-Control of this response, overriding the middleware's defaults.",
                          CacheControl.parameters, examples: [
                            CommandExample("Add-KrCacheResponse -Private -MaxAge 60 -MustRevalidate", "Cache-Control: must-revalidate, max-age=60, private", inRoute: true),
                          ]) {
                ClosureCmdlet { inv, _ in
                    let c = try KrCmdlet.request(inv)
                    let cc = try CacheControl.from(inv)
                    if cc.isEmpty { c.response.removeHeader("Cache-Control") } else { c.response.setHeader("Cache-Control", cc.headerValue) }
                }
            },
        ]
    }
}
