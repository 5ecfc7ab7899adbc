"""Evaluation data and benchmarks of the embedded speech engine and the local server (``python -m benchmarks``)."""
