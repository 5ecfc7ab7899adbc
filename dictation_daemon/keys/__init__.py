"""Key names: one vocabulary for the hotkeys the daemon listens for and the chords it presses."""
