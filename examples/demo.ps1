# The KrShell demo. `make run` opens krsh on this script and leaves you at the prompt with the server
# running, so you can watch and change it while you send it requests:
#
#   krsh --no-exit examples/demo.ps1 [-Port 5000]
#
# One server: a shared-state counter, a cached route, a validator route and a small static site.
param([int]$Port = 5000)

Initialize-KrRoot -Path $PSScriptRoot
New-KrServer -Name demo | Add-KrEndpoint -Port $Port |
    Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 } | Out-Null
Add-KrFileServerMiddleware -RequestPath '/site' -RootPath './caching/Assets/wwwroot' -Public -MaxAge 300 -MustRevalidate
Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536
Enable-KrConfiguration | Out-Null

# The shared-state guide's counter: every request adds exactly one, whatever the load.
Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock {
    $n = Update-KrSynchronizedCounter -Table $Visits -Key 'Count' -By 1
    Write-KrJsonResponse @{ visits = $n } -Compress
}
# Cached for 10 seconds by the response cache: the time stays the same and Age grows.
Add-KrMapRoute -Pattern '/time' -Verbs Get -ScriptBlock {
    Add-KrCacheResponse -Public -MaxAge 10
    Write-KrTextResponse "built at $((Get-Date).ToString('HH:mm:ss'))"
}
# A validator: a client that already has "v2" gets 304 and no body.
Add-KrMapRoute -Pattern '/versioned' -Verbs Get -ScriptBlock {
    if (-not (Test-KrCacheRevalidation -ETag 'v2' -LastModified (Get-Date '2024-01-01'))) {
        Write-KrTextResponse 'v2 payload'
    }
}
Start-KrServer -NoWait -Quiet

$url = "http://127.0.0.1:$Port"
Write-Host @"

KrShell demo: a server at $url runs inside this shell.

Try from another terminal:
  a shared counter; each POST adds one:
    curl -X POST $url/visit
  cached for 10 s by the response cache: the same time comes back, with a growing Age:
    curl -i $url/time
  a validator: the client already has "v2", so the answer is 304 without a body:
    curl -i -H 'If-None-Match: "v2"' $url/versioned
  a static site with Cache-Control, ETag and Last-Modified:
    curl -i $url/site/

And here, at the prompt (Tab completes names, parameters and live values):
  `$Visits.Count                 the counter the routes update; try `$Visits.Count = 100
  Get-KrSharedState -Name '*'   the shared state
  Get-KrCacheEntry              what the response cache holds
  Get-KrCacheDecision           what the cache did with each request, and why
  Get-Help Add-KrCacheResponse  help for any cmdlet
  exit                          stops the server and leaves

"@
