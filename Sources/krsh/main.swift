print("krsh")
