# Caching guide, section 5: all four layers together, as printed in the guide (only the port and
# -NoWait differ), then one request to each layer.
#
#   krsh examples/caching/05-composition.ps1             runs the section and prints what happens
#   krsh --no-exit examples/caching/05-composition.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

Initialize-KrRoot -Path $PSScriptRoot
New-KrServer -Name 'cache-demo'
Add-KrEndpoint -Port $Port -IPAddress ([IPAddress]::Loopback)
Add-KrFileServerMiddleware -RequestPath '/' -RootPath '.\\Assets\\wwwroot' -Public -MaxAge 600 -MustRevalidate
Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60
Enable-KrConfiguration

Add-KrMapRoute -Pattern '/profile' -Verbs GET -ScriptBlock {
    Add-KrCacheResponse -Private -MaxAge 30 -MustRevalidate
    $profile = @{ id = 1; name = 'demo'; ts = (Get-Date).ToUniversalTime() }
    if (-not (Test-KrCacheRevalidation -Payload ($profile.ts.ToString('O')))) {
        $profile | Write-KrJsonResponse -Compress
    }
}

Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- a static file: the file server''s header'
(Invoke-WebRequest -Uri "$base/app.v1.css").Headers['Cache-Control']
'--- the profile: private, so the shared store leaves it alone'
$p = Invoke-WebRequest -Uri "$base/profile"
$p.Headers['Cache-Control']
($p.Content | ConvertFrom-Json).name
Get-KrCacheDecision -Last 1 | ForEach-Object Decision
