"""Real parts for end-to-end tests: a virtual X screen and a virtual microphone, started per test session."""
