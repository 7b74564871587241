# 200,000 calls of a one-line function.
function Add-One($n) { $n + 1 }
$x = 0
for ($i = 0; $i -lt 200000; $i++) { $x = Add-One $x }
$x
