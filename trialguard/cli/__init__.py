"""The trialguard command: parse the arguments, run the command they name, exit with its code.

Exit codes: 0 clean, 1 findings (or a report that no longer matches its files), 2 a run that
could not judge the transfer, 3 an internal error.  Each command is a module of this package
with `add_command(commands)`, which adds its subparser, and `run(args)`, which returns its exit
code."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence

from trialguard.cli.exit_codes import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_UNUSABLE
from trialguard.cli.parser import build_parser
from trialguard.cli.process import never_fail_to_print, run_command, spare_the_command_process

__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_UNUSABLE", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    never_fail_to_print()
    if argv is None:  # the trialguard command, whose process ends when main returns
        spare_the_command_process()
    args = build_parser().parse_args(argv)
    args.command_line = shlex.join(["trialguard", *(sys.argv[1:] if argv is None else argv)])
    return run_command(args)
