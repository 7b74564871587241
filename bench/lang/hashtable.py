# 200,000 dict writes with interpolated keys.
h = {}
for i in range(200000):
    h[f"key{i}"] = i
print(len(h))
print(h["key199999"])
