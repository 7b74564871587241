# Shared-state guide, section 2.3: host-scoped state lives and dies with its server; -Global state is
# process-wide and survives servers.
#
#   krsh examples/shared-state/03-host-and-global.ps1             runs the section and prints what happens
#   krsh --no-exit examples/shared-state/03-host-and-global.ps1   ...then leaves you at a prompt
param([int]$Port = 5000)

Set-KrSharedState -Global -Name 'ProcessMetrics' -Value @{ TotalRequests = 0 }

foreach ($name in 'staging', 'admin') {
    New-KrServer -Name $name | Add-KrEndpoint -Port $Port | Out-Null
    Set-KrSharedState -Name 'LocalCache' -Value @{ hits = 0; server = $name }
    Enable-KrConfiguration | Out-Null
    Add-KrMapRoute -Pattern '/hit' -Verbs Post -ScriptBlock {
        Update-KrSynchronizedCounter -Table $LocalCache -Key 'hits' | Out-Null
        Update-KrSynchronizedCounter -Table $ProcessMetrics -Key 'TotalRequests' | Out-Null
        Write-KrTextResponse "$($LocalCache.server): local $($LocalCache.hits), process $($ProcessMetrics.TotalRequests)"
    }
    Start-KrServer -NoWait -Quiet
    1..2 | ForEach-Object { Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$Port/hit" }
    Stop-KrServer | Out-Null
    Remove-KrServer -Name $name
}

'--- the host-scoped tables went with their servers; the global one remains'
(Get-KrSharedState -Global -Name 'ProcessMetrics').TotalRequests
Remove-KrSharedState -Global -Name 'ProcessMetrics'
$null -eq (Get-KrSharedState -Global -Name 'ProcessMetrics')
