# Shared state survives a restart when you snapshot it: Export-KrSharedState writes PowerShell's CLIXML
# (readable by Import-Clixml) to a file atomically; Import-KrSharedState restores the types.
#
#   krsh examples/shared-state/06-snapshots.ps1
param([int]$Port = 5000)

$snapshot = Join-Path ([System.IO.Path]::GetTempPath()) "krsh-example-visits-$Port.xml"

New-KrServer -Name snapshots | Add-KrEndpoint -Port $Port |
    Set-KrSharedState -Name 'Visits' -Value @{ Count = 0; Pages = @('/', '/about'); Since = [datetime]'2026-01-01' } |
    Enable-KrConfiguration | Out-Null
Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock {
    Write-KrTextResponse "$(Update-KrSynchronizedCounter -Table $Visits -Key 'Count')"
}
Start-KrServer -NoWait -Quiet
1..3 | ForEach-Object { Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$Port/visit" } | Out-Null

'--- export, then the server goes away'
Export-KrSharedState -InputObject $Visits -Path $snapshot -OutputType File | Out-Null
Stop-KrServer | Out-Null
Remove-KrServer -Name snapshots

'--- a new server starts from the snapshot'
$restored = Import-KrSharedState -Path $snapshot
$restored.Count
$restored.Count.GetType().Name
$restored.Pages -join ', '
$restored.Since.ToString('yyyy-MM-dd')
Remove-Item $snapshot
