"""What the tests and the benchmarks share to run the daemon for real: a virtual screen and microphone,
text fields read back, daemons launched as users launch them, generated speech and tones, a scripted
recognizer, and faulty links and servers. Not part of the installed package."""
