"""Command line: parse arguments, call the runner, write reports, exit with the documented code."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from trialguard import __version__
from trialguard.audit import fix_identity, load_report, verify
from trialguard.errors import UsageError
from trialguard.findings import Severity
from trialguard.readers import read_study
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, parse_size
from trialguard.reporting.html import render_html
from trialguard.reporting.json import render_json
from trialguard.reporting.junit import render_junit
from trialguard.reporting.lines import RENDERERS
from trialguard.reporting.terminal import render_summary
from trialguard.runner import run_validation
from trialguard.spec.loader import load_spec
from trialguard.transfer.pipeline import TransferOptions, check_transfer

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
FAIL_LEVELS = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "notice": Severity.NOTICE,
    "never": None,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trialguard",
        description="Check an SDTM data transfer against CDISC conventions and the trial protocol.",
    )
    parser.add_argument("--version", action="version", version=f"trialguard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="validate datasets against a spec")
    validate.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="folders or dataset files"
    )
    validate.add_argument("--spec", required=True, help="spec name (e.g. resolution) or YAML file")
    validate.add_argument("--json", type=Path, metavar="FILE", help="write the JSON report here")
    validate.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report here")
    validate.add_argument(
        "--fail-on",
        choices=list(FAIL_LEVELS),
        default="error",
        help="lowest severity that fails the run (default: error)",
    )
    validate.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    validate.add_argument(
        "--format",
        choices=["summary", "text", "github"],
        default="summary",
        help="terminal output: a summary (default), one line per finding, or GitHub annotations",
    )
    validate.add_argument(
        "--previous",
        type=Path,
        metavar="OLD",
        help="the previous transfer (folder) or its JSON report, to compare with",
    )
    validate.add_argument(
        "--manifest", type=Path, metavar="FILE", help="the sender's manifest (CSV or YAML)"
    )
    validate.add_argument(
        "--waivers", type=Path, metavar="FILE", help="YAML file of accepted findings"
    )
    validate.add_argument(
        "--timestamp",
        type=_timestamp,
        metavar="UTC",
        help="fix the run time (e.g. 2026-11-21T09:30:00Z): same inputs give identical JSON",
    )
    validate.add_argument("--encoding", help="encoding of CSV (and XPT) files, e.g. cp1252")
    validate.add_argument(
        "--max-file-size",
        type=_size,
        default=DEFAULT_MAX_FILE_BYTES,
        metavar="SIZE",
        help="refuse dataset files larger than this (default 2G; e.g. 500M, 8G, 0 for no limit)",
    )
    validate.add_argument("--quiet", action="store_true", help="print nothing but errors")

    check = commands.add_parser(
        "verify", help="re-hash the files a JSON report names: does the report still match?"
    )
    check.add_argument("report", type=Path, metavar="REPORT.json")
    check.add_argument(
        "path", type=Path, nargs="?", metavar="PATH", help="folder the datasets are in now"
    )

    rules = commands.add_parser("rules", help="list the rules of a spec")
    rules.add_argument("--spec", required=True, help="spec name or YAML file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rules":
            return list_rules(args)
        if args.command == "verify":
            return verify_report(args)
        return validate(args, argv)
    except UsageError as error:
        print(f"trialguard: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        sys.stderr.close()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("trialguard: interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception:
        return _internal_error()


def validate(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    fail_on = FAIL_LEVELS[args.fail_on]
    spec = load_spec(args.spec)
    _say(args, f"Reading {', '.join(str(p) for p in args.paths)} ...")
    study = read_study(args.paths, encoding=args.encoding, max_file_bytes=args.max_file_size)
    command = shlex.join(["trialguard", *(sys.argv[1:] if argv is None else argv)])
    report = run_validation(study, spec, command, progress=_progress(args))
    today = dt.date.fromisoformat(args.timestamp[:10]) if args.timestamp else None
    options = TransferOptions(
        args.previous, args.manifest, args.waivers, today, args.encoding, args.max_file_size
    )
    check_transfer(report, study, spec, options)
    if args.timestamp:
        fix_identity(report, args.timestamp)
    for target, render in (
        (args.json, lambda: render_json(report)),
        (args.html, lambda: render_html(report, fail_on)),
        (args.junit, lambda: render_junit(report, fail_on)),
    ):
        if target:
            _write(target, render())
    if not args.quiet:
        if args.format == "summary":
            print(render_summary(report, fail_on))
        else:
            print(RENDERERS[args.format](report, fail_on))
        for target in (args.json, args.html, args.junit):
            if target and args.format == "summary":
                print(f"Wrote {target}")
    if not report.complete:
        return _incomplete(report)
    accepted, _ = report.verdict(fail_on)
    return EXIT_CLEAN if accepted else EXIT_FINDINGS


def _incomplete(report) -> int:
    """Reports were written, marked incomplete; the exit code says the input was unusable."""
    for entry in report.unreadable:
        print(f"trialguard: {entry['path']}: {entry['reason']}", file=sys.stderr)
    count = len(report.unreadable)
    print(
        f"trialguard: {count} dataset file(s) could not be read; the rules that need them did "
        "not run and every report written is marked INCOMPLETE",
        file=sys.stderr,
    )
    return EXIT_UNUSABLE


def verify_report(args: argparse.Namespace) -> int:
    report = load_report(args.report)
    result = verify(report, args.path)
    for line in result.unchanged:
        print(f"unchanged  {line}")
    for label, lines in (
        ("CHANGED", result.changed),
        ("VANISHED", result.vanished),
        ("APPEARED", result.appeared),
    ):
        for line in lines:
            print(f"{label:<10} {line}")
    run = report.get("run", {})
    if result.matches:
        print(f"The report (run {run.get('id', '?')}) matches its files.")
        return EXIT_CLEAN
    print(f"The report (run {run.get('id', '?')}) does NOT match its files.")
    return EXIT_FINDINGS


def _size(text: str) -> int | None:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _timestamp(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time such as 2026-11-21T09:30:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def list_rules(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec)
    print(f"{spec.title} (spec {spec.id} {spec.version}, {spec.path})")
    for loaded in spec.rules:
        rule = loaded.rule
        flag = " [assumed]" if rule.assumed else ""
        print(f"{rule.id:<14} {rule.severity.value:<8} {rule.kind:<24} from {loaded.origin}{flag}")
        print(f"{'':<14} {rule.description}")
        print(f"{'':<14} source: {rule.source}")
        for name, value in loaded.params.model_dump().items():
            where = loaded.param_origins.get(name, "default")
            print(f"{'':<14} {name} = {value} ({where})")
    return EXIT_CLEAN


def _progress(args: argparse.Namespace):
    if args.quiet or not sys.stderr.isatty():
        return None

    def report(number: int, total: int, rule_id: str) -> None:
        end = "\n" if number == total else ""
        print(
            f"\rRunning rule {number}/{total}: {rule_id:<20}", end=end, file=sys.stderr, flush=True
        )

    return report


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet and sys.stderr.isatty():
        print(text, file=sys.stderr)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report ({error.strerror or error})") from error


def _internal_error() -> int:
    with tempfile.NamedTemporaryFile(
        "w", prefix="trialguard-crash-", suffix=".log", delete=False
    ) as log:
        traceback.print_exc(file=log)
    print(
        f"trialguard: sorry, an internal error stopped the run. Details were written to {log.name}",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
