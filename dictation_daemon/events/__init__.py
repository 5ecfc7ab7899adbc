"""The daemon's vocabulary, at the bottom of the house: states, triggers, events and where an event went.

Every other part speaks it (the controller publishes events, plugins and the control socket receive them,
the ``/transcribe`` client reports its connection in it) and it imports nothing of theirs, so any part can
depend on it without pulling in another.
"""
