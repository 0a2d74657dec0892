"""section11: mirror Intervals.icu training data into static JSON files for AI coaches."""

__version__ = "1.0.0"
