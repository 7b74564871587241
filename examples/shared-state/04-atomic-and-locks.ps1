# Shared-state guide, sections 3 and 8: counters go through Update-KrSynchronizedCounter; updates of
# several fields that must stay consistent go inside Use-KrLock.
#
#   krsh examples/shared-state/04-atomic-and-locks.ps1             runs the section and prints what happens
#   krsh --no-exit examples/shared-state/04-atomic-and-locks.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name atomic | Add-KrEndpoint -Port $Port |
    Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 } |
    Set-KrSharedState -Name 'Totals' -Value @{ Orders = 0; Amount = 0 } |
    Enable-KrConfiguration | Out-Null

Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock {
    # $Visits.Count++ would lose increments under load; this never does.
    $n = Update-KrSynchronizedCounter -Table $Visits -Key 'Count' -By 1
    Write-KrTextResponse "$n"
}
Add-KrMapRoute -Pattern '/order/{amount}' -Verbs Post -ScriptBlock {
    $amount = [int](Get-KrRequestRouteParam -Name 'amount')
    $line = Use-KrLock -Key 'totals' -ScriptBlock {
        $Totals.Orders += 1
        $Totals.Amount += $amount
        "orders $($Totals.Orders), amount $($Totals.Amount)"
    }
    Write-KrTextResponse $line
}
Start-KrServer -NoWait
$base = "http://127.0.0.1:$Port"

'--- each request adds exactly one'
1..5 | ForEach-Object { Invoke-RestMethod -Method Post -Uri "$base/visit" }
Update-KrSynchronizedCounter -Table $Visits -Key 'Count' -By 10

'--- grouped updates under one lock'
Invoke-RestMethod -Method Post -Uri "$base/order/25"
Invoke-RestMethod -Method Post -Uri "$base/order/17"

'--- the prompt takes the same lock to read a consistent pair'
Use-KrLock -Key 'totals' -ScriptBlock { '{0} orders, {1} in total' -f $Totals.Orders, $Totals.Amount }
