"""Dictation itself: when to record (a pure state machine and its asyncio shell), one warm session reused
across utterances, and the history of what was dictated. It publishes events; it knows no plugin or client."""
