"""Microphone capture: an always-open input with pre-roll and tail, its level, and cues that never leak into it."""
