"""Every check in the order the checklist shows them: configuration first, since the others use it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path

from .audio import check_audio
from .desktop import check_hotkeys_here, check_indicator, check_typing
from .remote import check_backend, check_credentials
from .report import Check
from .setup import check_config, check_socket


def run_checks(config_path: Path | None, environ: Mapping[str, str] = os.environ) -> list[Check]:
    config_check, config = check_config(config_path)
    checks = [config_check, check_hotkeys_here(environ), check_typing(environ, config.plugins.insertion_backend),
              check_indicator(config.ui.overlay, environ), check_audio(config)]
    checks.append(asyncio.run(check_credentials(config, environ)))
    checks.append(asyncio.run(check_backend(config, environ)))
    checks.append(check_socket(config))
    return checks
