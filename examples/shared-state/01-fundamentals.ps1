# Shared-state guide, sections 2 and 4: one table shared by reference, seen by every request as $Visits.
#
#   krsh examples/shared-state/01-fundamentals.ps1             runs the section and prints what happens
#   krsh --no-exit examples/shared-state/01-fundamentals.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name fundamentals | Add-KrEndpoint -Port $Port | Out-Null
# Register a shared counter table
Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }
Enable-KrConfiguration | Out-Null

Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock {
    Update-KrSynchronizedCounter -Table $Visits -Key 'Count' -By 1 | Out-Null
    Write-KrJsonResponse @{ visits = $Visits.Count } -Compress
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- three requests, one table'
1..3 | ForEach-Object { (Invoke-RestMethod -Method Post -Uri "$base/visit").visits }

'--- the prompt holds the same instance the routes changed'
$fromStore = Get-KrSharedState -Name 'Visits'
$fromStore.Count
[object]::ReferenceEquals($fromStore, $Visits)

'--- a change made here reaches the next request'
$Visits.Count = 100
(Invoke-RestMethod -Method Post -Uri "$base/visit").visits

'--- a bare value type would be copied into each request, so it is refused'
try { Set-KrSharedState -Name 'Hits' -Value 5 } catch { $_.Exception.Message }
Set-KrSharedState -Name 'Hits' -Value @{ Value = 5 }

'--- enumeration (section 4)'
(Get-KrSharedState -Name '*').Name

'--- removal: new requests no longer see it'
Remove-KrSharedState -Name 'Hits'
(Get-KrSharedState -Name '*').Name
