# A 1,000,000-iteration for loop summing $i.
$s = 0
for ($i = 0; $i -lt 1000000; $i++) { $s += $i }
$s
