"""The ``/transcribe`` client: one session's asyncio shell, errors, pacing and backend selection."""
