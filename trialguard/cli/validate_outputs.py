"""What `trialguard validate` writes: the report files asked for, then the terminal output in
the --format chosen."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from trialguard.cli.ci import print_github
from trialguard.errors import UsageError

if TYPE_CHECKING:
    from trialguard.report import Report


REPORT_FORMATS = ("json", "html", "pdf", "junit", "xlsx", "csv")  # written and listed so


def report_options(args: argparse.Namespace) -> dict[str, Path | None]:
    """Each report option by its name on the command line, with the file it names (or None)."""
    return {f"--{name}": getattr(args, name) for name in REPORT_FORMATS}


def write_reports(args: argparse.Namespace, report: Report) -> None:
    """Each report file asked for; one that cannot be written is a UsageError naming it."""
    for name in REPORT_FORMATS:
        target = getattr(args, name)
        if not target:
            continue
        try:
            if name == "pdf":
                report.write_pdf(target, args.pdf_paper)
            else:
                getattr(report, f"write_{name}")(target)
        except OSError as error:
            why = error.strerror or str(error)
            raise UsageError(f"{target}: cannot write the report ({why})") from error


def print_terminal(args: argparse.Namespace, report: Report) -> None:
    from trialguard.reporting.lines import render_text
    from trialguard.reporting.terminal import render_summary

    if args.format == "summary":
        print(render_summary(report))
        for target in report_options(args).values():
            if target:
                print(f"Wrote {target}")
    elif args.format == "github":
        summaries = ("--junit", "--pdf")  # each holds some findings of a rule, not every one
        options = report_options(args).items()
        listed = [t for option, t in options if t and option not in summaries]
        print_github(report, args.annotations, listed)
    else:
        print(render_text(report))
