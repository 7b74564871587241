# Shared-state guide, section 2.1: variables and functions defined before Enable-KrConfiguration are
# captured and injected into every request's runspace; a function redefined later reaches new requests.
#
#   krsh examples/shared-state/02-implicit.ps1             runs the section and prints what happens
#   krsh --no-exit examples/shared-state/02-implicit.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name implicit | Add-KrEndpoint -Port $Port | Out-Null

$Visits = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()
function Get-VisitsCount { $Visits["Count"] }
Enable-KrConfiguration | Out-Null   # new runspaces receive $Visits and Get-VisitsCount

Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock {
    Update-KrSynchronizedCounter -Table $Visits -Key 'Count' | Out-Null
    Write-KrTextResponse "visits: $(Get-VisitsCount)"
}
Add-KrMapRoute -Pattern '/leak' -Verbs Get -ScriptBlock {
    # A variable a request assigns is gone for the next one (section 1: per-request isolation).
    $seen = $null -ne $mine
    $mine = 'set by an earlier request'
    Write-KrTextResponse "variable from an earlier request visible: $seen"
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- the captured dictionary and function, used by the route'
Invoke-RestMethod -Method Post -Uri "$base/visit"
Invoke-RestMethod -Method Post -Uri "$base/visit"

'--- implicit variables appear in the unified view'
$entry = Get-KrSharedState -Name 'Visits'
$entry.GetType().FullName
$entry['Count']

'--- a function redefined now reaches new requests'
function Get-VisitsCount { "$($Visits['Count']) (counted by the new definition)" }
Invoke-RestMethod -Method Post -Uri "$base/visit"

'--- requests do not leak variables into each other'
Invoke-RestMethod -Uri "$base/leak"
Invoke-RestMethod -Uri "$base/leak"
