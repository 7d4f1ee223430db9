"""The argument parser of the trialguard command: each command adds its own subparser, in the
order `trialguard --help` lists them.

Only what the parsers need is imported at the top of these modules, so that --version, --help
and a mistyped option answer at once; each command imports its own modules (pandas, pandera,
...) when it runs."""

from __future__ import annotations

import argparse

import trialguard.cli.export_gx as export_gx
import trialguard.cli.manifest as manifest
import trialguard.cli.rules as rules
import trialguard.cli.specs as specs
import trialguard.cli.validate as validate
import trialguard.cli.verify as verify
from trialguard.version import __version__

COMMANDS = (validate, verify, export_gx, manifest, rules, specs)


def build_parser() -> argparse.ArgumentParser:
    """The parser; the namespace it returns holds `run`, the function of the command given."""
    parser = argparse.ArgumentParser(
        prog="trialguard",
        description="Check an SDTM data transfer against CDISC conventions and the trial protocol.",
    )
    parser.add_argument("--version", action="version", version=f"trialguard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_command(commands)
    return parser
