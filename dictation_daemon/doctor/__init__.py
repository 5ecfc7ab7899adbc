"""``dictation-daemon doctor``: checks that say what works here, what does not, and what to do about it."""
