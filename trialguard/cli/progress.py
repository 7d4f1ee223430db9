"""What `trialguard validate` tells a person at a terminal while it runs, on stderr: nothing
when --quiet or when stderr is not a terminal (a log, a pipe, a CI job)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet and sys.stderr.isatty():
        print(text, file=sys.stderr)


def progress_printer(args: argparse.Namespace) -> Callable[[int, int, str], None] | None:
    """A line `Running rule N/TOTAL: ID` rewritten in place as each rule starts."""
    if args.quiet or not sys.stderr.isatty():
        return None

    def report(number: int, total: int, rule_id: str) -> None:
        end = "\n" if number == total else ""
        print(
            f"\rRunning rule {number}/{total}: {rule_id:<20}", end=end, file=sys.stderr, flush=True
        )

    return report
