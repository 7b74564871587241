# Caching guide, section 3: Add-KrCacheResponse sets one response's Cache-Control and overrides the
# middleware's defaults; -Private or -NoStore keep a response out of the shared store.
#
#   krsh examples/caching/03-per-response.ps1             runs the section and prints what happens
#   krsh --no-exit examples/caching/03-per-response.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name directives | Add-KrEndpoint -Port $Port | Out-Null
Add-KrCacheMiddleware -Public -MaxAge 60
Enable-KrConfiguration | Out-Null

Add-KrMapRoute -Pattern '/profile' -Verbs GET -ScriptBlock {
    Add-KrCacheResponse -Private -MaxAge 60 -MustRevalidate
    $user = @{ id = 1; name = 'demo' }
    $user | Write-KrJsonResponse -Compress
}
Add-KrMapRoute -Pattern '/volatile' -Verbs GET -ScriptBlock {
    Add-KrCacheResponse -NoStore
    $payload = Get-Random
    if (-not (Test-KrCacheRevalidation -Payload $payload -Weak)) {
        Write-KrTextResponse $payload
    }
}
Add-KrMapRoute -Pattern '/cdn' -Verbs GET -ScriptBlock {
    Add-KrCacheResponse -Public -SharedMaxAge 600 -MaxAge 30 -NoTransform
    Write-KrTextResponse 'same for everyone'
}
Add-KrMapRoute -Pattern '/both' -Verbs GET -ScriptBlock {
    try { Add-KrCacheResponse -Public -Private } catch { Write-KrTextResponse $_.Exception.Message -StatusCode 500 }
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- the header each route sends'
foreach ($path in '/profile', '/volatile', '/cdn') {
    '{0,-9} {1}' -f $path, (Invoke-WebRequest -Uri "$base$path").Headers['Cache-Control']
}

'--- -Public with -Private is refused'
(Invoke-WebRequest -Uri "$base/both" -SkipHttpErrorCheck).Content

'--- what the shared store did with each'
Get-KrCacheDecision | ForEach-Object { '{0,-9} {1}' -f $_.Path, $_.Decision }
