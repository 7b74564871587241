# 200,000 calls of a one-line function.
def add_one(n):
    return n + 1

x = 0
for i in range(200000):
    x = add_one(x)
print(x)
