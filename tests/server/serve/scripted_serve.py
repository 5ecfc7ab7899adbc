"""``dictation-daemon serve`` with the tone-scripted recognizer in place of Whisper.

The tests run this as a real process: the same command-line parsing, settings, token checks, session limit
and logging as the product, with exact transcripts and no speech model. It lives with the tests so the
product's command line offers nothing but the real engine. Arguments are those of ``serve``.
"""

from __future__ import annotations

import sys

from dictation_daemon.cli import build_parser
from dictation_daemon.cli.common import run_guarded
from dictation_daemon.cli.serve import serve
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT


def main(argv: list[str]) -> int:
    arguments = build_parser().parse_args(["serve", *argv])
    return run_guarded(lambda parsed: serve(parsed, lambda _arguments, _config: ScriptedRecognizer(SCRIPT)), arguments)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
