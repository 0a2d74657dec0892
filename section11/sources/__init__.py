"""Where training data comes from. Each source yields the same typed records."""
