"""Finding plugins by name: the built-in ones, and those other packages publish as entry points.

A third-party package declares its plugin class in its ``pyproject.toml``::

    [project.entry-points."dictation_daemon.plugins"]
    webhook = "dictation_webhook:WebhookPlugin"

and the user lists ``webhook`` in ``plugins.enabled``, with its options under ``plugins.options.webhook``.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from ..config.model import DaemonConfig
from .base import Plugin, PluginContext
from .clipboard import ClipboardPlugin
from .commands import CommandsPlugin
from .keystroke import KeystrokePlugin

ENTRY_POINT_GROUP = "dictation_daemon.plugins"
BUILT_IN: dict[str, type[Plugin]] = {plugin.name: plugin for plugin in (KeystrokePlugin, ClipboardPlugin, CommandsPlugin)}
INSERTERS = frozenset({KeystrokePlugin.name, ClipboardPlugin.name})
"""Plugins that type into the focused window: left out when the daemon runs headless."""


class UnknownPlugin(LookupError):
    """An enabled plugin name that is neither built in nor published by an installed package."""


def available_plugins() -> dict[str, type[Plugin]]:
    """Every plugin that can be enabled: installed entry points, with the built-ins taking precedence."""
    found: dict[str, type[Plugin]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in BUILT_IN:
            found[entry.name] = entry.load()
    return {**found, **BUILT_IN}


def create_plugins(config: DaemonConfig, context: PluginContext, *, headless: bool = False) -> list[Plugin]:
    """The enabled plugins, in the configured order; each gets the shared context and its own options."""
    plugins: list[Plugin] = []
    names = [name for name in config.plugins.enabled if not (headless and name in INSERTERS)]
    known = BUILT_IN if all(name in BUILT_IN for name in names) else available_plugins()
    for name in names:
        plugin_class = known.get(name)
        if plugin_class is None:
            raise UnknownPlugin(
                f"plugin {name!r} is enabled but not installed (no entry point {name!r} in group "
                f"{ENTRY_POINT_GROUP!r}); available: {', '.join(sorted(known))}"
            )
        plugins.append(plugin_class.create(context, config.plugins.options.get(name, {})))
    return plugins
