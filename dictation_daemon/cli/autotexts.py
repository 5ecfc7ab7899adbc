"""``dictation-daemon autotexts``: the auto-texts of the configuration, what to say for each, and its text.

Auto-texts are configuration (``autotexts.texts``), not patient data, so they are printed in full; the
blanks the next dictations fill are counted, and ``--json`` prints them for other tools.
"""

from __future__ import annotations

import argparse
import json

from .common import add_config_argument, load_or_exit, run_guarded


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("autotexts", help="list the auto-texts and the phrases that insert them")
    parser.add_argument("--json", action="store_true", help="print them as JSON")
    add_config_argument(parser)
    parser.set_defaults(run=lambda arguments: run_guarded(_list, arguments))


def _list(arguments: argparse.Namespace) -> int:
    section = load_or_exit(arguments.config).autotexts
    if arguments.json:
        print(json.dumps({"blank": section.blank, "texts": [text.model_dump() for text in section.texts]}, indent=2))
        return 0
    if not section.texts:
        print("no auto-texts are configured (autotexts.texts in the configuration)")
        return 0
    for text in section.texts:
        blanks = text.text.count(section.blank)
        phrases = " | ".join(f'"{phrase}"' for phrase in text.phrases)
        print(f"{text.id}: say {phrases} ({blanks} blank{'s' if blanks != 1 else ''}; \"next blank\" moves on)")
        for line in text.text.splitlines() or [""]:
            print(f"    {line}")
    return 0
