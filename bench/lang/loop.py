# A 1,000,000-iteration for loop summing i.
s = 0
for i in range(1000000):
    s += i
print(s)
