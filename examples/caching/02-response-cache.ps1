# Caching guide, section 2: Add-KrCacheMiddleware keeps eligible responses in memory and replays them
# while fresh, without running the route again. Get-KrCacheDecision says what it did and why.
#
#   krsh examples/caching/02-response-cache.ps1             runs the section and prints what happens
#   krsh --no-exit examples/caching/02-response-cache.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name cache | Add-KrEndpoint -Port $Port |
    Set-KrSharedState -Name 'Runs' -Value @{ Count = 0 } | Out-Null
Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60
Enable-KrConfiguration | Out-Null

Add-KrMapRoute -Pattern '/report' -Verbs Get -ScriptBlock {
    $n = Update-KrSynchronizedCounter -Table $Runs -Key 'Count'
    Write-KrTextResponse "report built by run $n"
}
Add-KrMapRoute -Pattern '/login' -Verbs Get -ScriptBlock {
    Add-KrCacheResponse -Public -MaxAge 60
    $Context.Response.Headers['Set-Cookie'] = 'session=abc'
    Write-KrTextResponse 'personal'
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- three GETs, one run of the route'
1..3 | ForEach-Object { Invoke-RestMethod -Uri "$base/report" }
$Runs.Count

'--- a client that asks for a fresh copy bypasses the store'
Invoke-RestMethod -Uri "$base/report" -Headers @{ 'Cache-Control' = 'no-cache' }

'--- a query string is a different entry'
Invoke-RestMethod -Uri "$base/report?page=2"

'--- a response with Set-Cookie is never stored, even a public one'
Invoke-RestMethod -Uri "$base/login" | Out-Null

'--- what the cache did, and why'
Get-KrCacheDecision | Format-Table Method, Path, Status, Decision
Get-KrCacheEntry | Sort-Object Path | Format-Table Path, Status, Hits
