"""A dictation daemon plugin, installed separately, that posts each final transcript to a local webhook.

Enable it with ``plugins: {enabled: [keystroke, commands, webhook], options: {webhook: {url: ...}}}``.
"""

from .plugin import WebhookPlugin

__all__ = ["WebhookPlugin"]
