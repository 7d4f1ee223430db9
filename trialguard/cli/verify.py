"""`trialguard verify`: re-hash the files a JSON report names and say whether the report still
matches them (exit 0) or not (exit 1)."""

from __future__ import annotations

import argparse
from pathlib import Path

from trialguard.cli.exit_codes import EXIT_CLEAN, EXIT_FINDINGS
from trialguard.errors import UsageError


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = commands.add_parser(
        "verify", help="re-hash the files a JSON report names: does the report still match?"
    )
    verify.add_argument("report", type=Path, metavar="REPORT.json")
    verify.add_argument(
        "path", type=Path, nargs="?", metavar="PATH", help="folder the datasets are in now"
    )
    verify.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from trialguard.audit import load_report, verify

    report = load_report(args.report)
    try:
        result = verify(report, args.path)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise UsageError(
            f"{args.report}: not a trialguard JSON report (a file entry lacks {error})"
        ) from error
    for line in result.unchanged:
        print(f"unchanged  {line}")
    for label, lines in (
        ("CHANGED", result.changed),
        ("VANISHED", result.vanished),
        ("APPEARED", result.appeared),
    ):
        for line in lines:
            print(f"{label:<10} {line}")
    recorded = report.get("run")
    run = recorded if isinstance(recorded, dict) else {}
    if result.matches:
        print(f"The report (run {run.get('id', '?')}) matches its files.")
        return EXIT_CLEAN
    print(f"The report (run {run.get('id', '?')}) does NOT match its files.")
    return EXIT_FINDINGS
