print("shelter-sim")
