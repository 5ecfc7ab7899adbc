"""Plugins: what happens with the daemon's events. Built in: keystroke and clipboard insertion, voice commands.

Other packages add plugins through the ``dictation_daemon.plugins`` entry point group (see :mod:`.registry`).
"""
