"""The daemon's controller: when to record, one warm session reused across utterances, and the events plugins see."""
