"""The on-screen indicator: whether dictation listens, in a small window that never takes the focus."""
