"""``dictation-daemon doctor``: what works here and what to do about what does not.

Exit code 1 when a required check failed (configuration, microphone, credentials, backend, socket);
display, hotkeys and typing are reported but not required, since a headless daemon works without them.
"""

from __future__ import annotations

import argparse

from .common import add_config_argument, run_guarded


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("doctor", help="check display, hotkeys, microphone, typing, configuration, "
                                                "credentials, backend and socket, with advice")
    add_config_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    parser.set_defaults(run=lambda arguments: run_guarded(_doctor, arguments))


def _doctor(arguments: argparse.Namespace) -> int:
    from ..doctor.checks import run_checks
    from ..doctor.report import passed, render_json, render_text

    checks = run_checks(arguments.config)
    print(render_json(checks) if arguments.json else render_text(checks))
    return 0 if passed(checks) else 1
