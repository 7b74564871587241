# Shared-state guide, section 5, as printed (only the port and -NoWait differ), then the requests.
#
#   krsh examples/shared-state/05-request-workflow.ps1             runs the section and prints what happens
#   krsh --no-exit examples/shared-state/05-request-workflow.ps1   ...then leaves you at a prompt, server running
param([int]$Port = 5000)

New-KrServer -Name demo |
Add-KrEndpoint -Port $Port |
Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 } |
Enable-KrConfiguration | Out-Null
Add-KrMapRoute -Pattern '/visit' -HttpVerb POST -Code @'
Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1
Write-KrJsonResponse @{ visits = $Visits.Count }
'@
Add-KrMapRoute -Pattern '/state/{name}' -HttpVerb GET -Code @'
$name = Get-KrRequestRouteParam -Name 'name'
$value = Get-KrSharedState -Name $name
if ($null -eq $value) { Write-KrJsonResponse @{ error = 'not found' } -StatusCode 404; return }
Write-KrJsonResponse @{ name = $name; value = $value }
'@
Start-KrServer -NoWait | Out-Null
$base = "http://127.0.0.1:$Port"

'--- POST /visit twice'
(Invoke-WebRequest -Method Post -Uri "$base/visit").Content
(Invoke-WebRequest -Method Post -Uri "$base/visit").Content
'--- GET /state/Visits'
(Invoke-WebRequest -Uri "$base/state/Visits").Content
'--- GET /state/Nothing'
try { Invoke-WebRequest -Uri "$base/state/Nothing" } catch { $_.Exception.Message }
