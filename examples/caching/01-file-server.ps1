# Caching guide, section 1: the file server's cache switches build one Cache-Control value, sent with
# every static response; files also get an ETag and Last-Modified, so a revalidation gets 304.
#
#   krsh examples/caching/01-file-server.ps1             runs the section and prints what happens
#   krsh --no-exit examples/caching/01-file-server.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

Initialize-KrRoot -Path $PSScriptRoot
New-KrServer -Name files | Add-KrEndpoint -Port $Port | Out-Null
Add-KrFileServerMiddleware -RequestPath '/' -RootPath '.\Assets\wwwroot' -Public -MaxAge 300 -MustRevalidate
Enable-KrConfiguration | Out-Null
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- GET / (the default file, index.html)'
$page = Invoke-WebRequest -Uri "$base/"
$page.StatusCode
$page.Headers['Cache-Control']
$page.Headers['Content-Type']

'--- the same Cache-Control on every static file'
(Invoke-WebRequest -Uri "$base/app.v1.css").Headers['Cache-Control']

'--- revalidation with the ETag: 304, no body'
$again = Invoke-WebRequest -Uri "$base/" -Headers @{ 'If-None-Match' = $page.Headers['ETag'] } -SkipHttpErrorCheck
$again.StatusCode
$again.Content.Length

'--- nothing outside the root is served'
(Invoke-WebRequest -Uri "$base/..%2F01-file-server.ps1" -SkipHttpErrorCheck).StatusCode
