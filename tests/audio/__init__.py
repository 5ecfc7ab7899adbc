"""Tests of audio encoding, stream decoding and file reading, on real audio."""
