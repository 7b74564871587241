# 200,000 hashtable writes with interpolated keys.
$h = @{}
for ($i = 0; $i -lt 200000; $i++) { $h["key$i"] = $i }
$h.Count
$h["key199999"]
