"""Putting dictated text into whatever field has focus: joining rules, keystrokes and the clipboard."""
