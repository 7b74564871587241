# The krsh side of bench/http.sh: GET /hello, the seed's POST /visit (only when this krsh has the
# shared-state cmdlets) and GET /cached, a route behind the response cache whose answer is stored
# once and then replayed by the cache without running the script. The reference
# (Sources/krsh-http-reference) answers the same bytes.
#
#   krsh bench/http/server.ps1 -Port 5000
param([int]$Port = 5000)

$visit = @(Get-Command Set-KrSharedState, Update-KrSynchronizedCounter -ErrorAction SilentlyContinue).Count -eq 2

New-KrServer -Name 'bench'
Add-KrEndpoint -Port $Port
if ($visit) {
    Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }
}
# No default directives: /hello and /visit set no Cache-Control, so they pass through uncached.
Add-KrCacheMiddleware
Enable-KrConfiguration

Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock {
    Write-KrTextResponse 'Hello, World!'
}
if ($visit) {
    Add-KrMapRoute -Verbs Post -Pattern '/visit' -ScriptBlock {
        Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1
        Write-KrJsonResponse @{ visits = $Visits.Count }
    }
}
Add-KrMapRoute -Verbs Get -Pattern '/cached' -ScriptBlock {
    Add-KrCacheResponse -Public -MaxAge 60
    Write-KrTextResponse 'Hello from the cache!'
}

Start-KrServer
