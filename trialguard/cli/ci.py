"""The CI side of `trialguard validate`: the gate on new findings and the GitHub output."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trialguard.report import Report

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"
ANNOTATIONS_SHOWN = 10  # what GitHub shows of one step (as `render_github` shows by default)


def add_ci_options(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "--fail-on-new",
        action="store_true",
        help="fail only on findings new since --previous (at or above --fail-on); persisting "
        "ones are reported and do not fail the run",
    )
    validate.add_argument(
        "--first-transfer",
        action="store_true",
        help="there may be no previous transfer yet: a --previous path that does not exist or "
        "an empty folder is the first transfer, and every finding is new",
    )
    validate.add_argument(
        "--annotations",
        type=_count,
        default=ANNOTATIONS_SHOWN,
        metavar="N",
        help=f"--format github: print the N most important annotations (default "
        f"{ANNOTATIONS_SHOWN}, what GitHub shows of a step), then a summary line",
    )


def print_github(report: Report, limit: int, written: Sequence[Path]) -> None:
    """The annotations and summary line; appended to $GITHUB_STEP_SUMMARY when it is set."""
    from trialguard.reporting.github import render_github
    from trialguard.reporting.step_summary import append_step_summary, render_step_summary

    full_list = [str(path) for path in written]
    print(render_github(report, limit, full_list))
    target = os.environ.get(STEP_SUMMARY)
    if not target:
        return
    try:
        append_step_summary(Path(target), render_step_summary(report, full_list))
    except OSError as error:  # the job summary is a courtesy: the verdict stands without it
        why = error.strerror or str(error)
        message = f"${STEP_SUMMARY} {target}: cannot append the summary ({why})"
        print(f"trialguard: {message}", file=sys.stderr)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, not {text!r}")
    return value
