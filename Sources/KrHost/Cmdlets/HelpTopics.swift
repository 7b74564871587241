import KrScript

/// The about_ topics of the KrShell module (`Get-Help about_*`); the reference pages are generated
/// from the same text.
enum KrHelpTopics {
    static var all: [HelpTopic] { [shell, sharedState, caching] }

    static let shell = HelpTopic("about_KrShell", synopsis: "krsh: a PowerShell-subset shell that hosts an HTTP server.", text: """
        krsh runs PowerShell scripts and hosts a web server in the same process. The Kr cmdlets \
        (Get-Command -Module KrShell) create a server, add endpoints, map routes to script blocks and \
        start it. In a script, Start-KrServer blocks until Ctrl-C, SIGTERM or Stop-KrServer; at the \
        interactive prompt it returns at once and the server runs in the background, so the routes, the \
        shared state and the cache of the running server can be read and changed while it serves.

            New-KrServer -Name demo | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock { Write-KrTextResponse 'Hello' }
            Start-KrServer

        Each request runs its route in a runspace of its own, in a fresh scope. Variables and functions \
        defined before Enable-KrConfiguration are given to every request; shared state \
        (about_KrSharedState) is how requests share data on purpose. Responses can be cached by the \
        server (about_KrCaching).

        Get-Help NAME shows a command's help (-Full for every parameter, -Examples for the examples), \
        NAME -? does the same, and Get-Help about_* lists these topics.
        """)

    static let sharedState = HelpTopic("about_KrSharedState", synopsis: "Values every request of a server sees, by reference.", text: """
        Set-KrSharedState -Name Visits -Value @{ Count = 0 } makes $Visits a variable of every request: \
        the same instance, so a write in one request is seen by the next. Names are identifiers and \
        case-insensitive; setting a name again replaces the value. A value type ([int], [datetime]) would \
        be copied into each runspace, so it is refused unless -AllowsValueType is given; wrap it instead \
        (@{ Value = 5 }).

        Get-KrSharedState -Name Visits returns the instance; -Name '*' lists Name, Scope (Host, Global, \
        Implicit), Type and a short value. Remove-KrSharedState removes a name: new requests no longer see \
        it, requests in flight keep their reference. -Global uses the process-wide store, which survives \
        Remove-KrServer; host state goes with its host.

        $Visits.Count++ loses updates under load. Update-KrSynchronizedCounter -Table $Visits -Key Count \
        adds atomically and returns the new value; Use-KrLock -Key NAME -ScriptBlock { ... } runs a block \
        holding a named lock. Export-KrSharedState and Import-KrSharedState save and restore values as \
        CLIXML.

            Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }
            Add-KrMapRoute -Verbs Post -Pattern '/visit' -ScriptBlock {
                Write-KrJsonResponse @{ visits = (Update-KrSynchronizedCounter -Table $Visits -Key Count) }
            }

        At the prompt, with the server running, $Visits.Count and Get-KrSharedState show live values and \
        Watch-KrSharedState -Name Visits redraws the value every second until Ctrl-C.
        """)

    static let caching = HelpTopic("about_KrCaching", synopsis: "Cache-Control headers, the server's response cache and validators.", text: """
        Four layers, each usable alone: Add-KrFileServerMiddleware switches give static files one \
        Cache-Control; Add-KrCacheMiddleware adds an in-memory store that replays eligible responses while \
        they are fresh; Add-KrCacheResponse sets one response's Cache-Control; Test-KrCacheRevalidation \
        answers 304 (or 412) from an ETag or Last-Modified. The directive switches are the same on the \
        three header cmdlets: -Public, -Private, -MaxAge, -SharedMaxAge, -NoCache, -NoStore, \
        -MustRevalidate, -ProxyRevalidate, -NoTransform, -OnlyIfCached, -MaxStale, -MaxStaleLimit, \
        -MinFresh (numbers are seconds).

        A response is stored when the request is GET or HEAD without Authorization, the status is 200, \
        the response has no Set-Cookie, is public and not no-store, no-cache or private, has no Vary: *, \
        and its body fits -MaximumBodySize. Entries are keyed by method, path, query string and the \
        request headers named by Vary. A hit carries an Age header and does not run the route.

        Why was a response not cached? Get-KrCacheDecision -Last 5 says, for the latest requests, stored, \
        hit, or the reason it was not (not stored: response has Set-Cookie, bypassed: request \
        Cache-Control no-cache, ...). Get-KrCacheEntry lists what is stored, Get-KrCacheStatistic counts \
        hits, misses, stores, evictions and refusals by reason, Remove-KrCacheEntry and Clear-KrCache \
        empty the store.

            Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60
            Get-KrCacheDecision -Last 5
        """)
}
