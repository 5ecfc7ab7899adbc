"""Global push-to-talk hotkeys: combo parsing, a pure state machine, the X11 listener and an availability check."""
