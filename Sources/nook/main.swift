print("nook")
