"""`trialguard specs`: the table of the specs bundled with trialguard."""

from __future__ import annotations

import argparse

from trialguard.cli.exit_codes import EXIT_CLEAN


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    specs = commands.add_parser("specs", help="list the bundled specs")
    specs.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from trialguard.spec.catalogue import bundled_spec_table

    print(bundled_spec_table())
    return EXIT_CLEAN
