# The krsh side of bench/http.sh: GET /hello and the seed's POST /visit (only when this krsh has the
# shared-state cmdlets). The reference (Sources/krsh-http-reference) answers the same bytes.
#
#   krsh bench/http/server.ps1 -Port 5000
param([int]$Port = 5000)

$visit = @(Get-Command Set-KrSharedState, Update-KrSynchronizedCounter -ErrorAction SilentlyContinue).Count -eq 2

New-KrServer -Name 'bench'
Add-KrEndpoint -Port $Port
if ($visit) {
    Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }
}
Enable-KrConfiguration

Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock {
    Write-KrTextResponse 'Hello, World!'
}
if ($visit) {
    Add-KrMapRoute -Verbs Post -Pattern '/visit' -ScriptBlock {
        Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1
        Write-KrJsonResponse @{ visits = $Visits.Count }
    }
}

Start-KrServer
