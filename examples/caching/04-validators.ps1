# Caching guide, section 4: Test-KrCacheRevalidation answers 304 when the client's validator matches
# (If-None-Match, else If-Modified-Since) and returns $true; otherwise it adds ETag / Last-Modified.
#
#   krsh examples/caching/04-validators.ps1             runs the section and prints what happens
#   krsh --no-exit examples/caching/04-validators.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name validators | Add-KrEndpoint -Port $Port | Enable-KrConfiguration | Out-Null

Add-KrMapRoute -Pattern '/versioned' -Verbs GET -ScriptBlock {
    if (-not (Test-KrCacheRevalidation -ETag 'v2' -LastModified (Get-Date '2024-01-01'))) {
        Write-KrTextResponse 'v2 payload'
    }
}
Add-KrMapRoute -Pattern '/hashed' -Verbs GET -ScriptBlock {
    $body = 'the same text every time'
    if (-not (Test-KrCacheRevalidation -Payload $body)) { Write-KrTextResponse $body }
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- first request: 200 with validators'
$first = Invoke-WebRequest -Uri "$base/versioned"
$first.StatusCode
$first.Headers['ETag']
$first.Headers['Last-Modified']

'--- If-None-Match with that tag: 304'
(Invoke-WebRequest -Uri "$base/versioned" -Headers @{ 'If-None-Match' = '"v2"' } -SkipHttpErrorCheck).StatusCode
'--- a list of tags, one of them weak: still a match (weak comparison)'
(Invoke-WebRequest -Uri "$base/versioned" -Headers @{ 'If-None-Match' = '"v1", W/"v2"' } -SkipHttpErrorCheck).StatusCode
'--- If-Modified-Since at the same second: 304'
(Invoke-WebRequest -Uri "$base/versioned" -Headers @{ 'If-Modified-Since' = 'Mon, 01 Jan 2024 00:00:00 GMT' } -SkipHttpErrorCheck).StatusCode
'--- an older date: 200'
(Invoke-WebRequest -Uri "$base/versioned" -Headers @{ 'If-Modified-Since' = 'Sun, 31 Dec 2023 00:00:00 GMT' } -SkipHttpErrorCheck).StatusCode

'--- -Payload: the tag is the SHA-256 of the text'
$tag = (Invoke-WebRequest -Uri "$base/hashed").Headers['ETag']
$tag
(Invoke-WebRequest -Uri "$base/hashed" -Headers @{ 'If-None-Match' = $tag } -SkipHttpErrorCheck).StatusCode
