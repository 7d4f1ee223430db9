"""Command line: parse arguments, call the runner, write reports, exit with the documented code."""

from __future__ import annotations

import argparse
import atexit
import gc
import io
import shlex
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Only what the parser needs is imported here, so that --version, --help and a mistyped option
# answer at once; each command imports its own modules (pandas, pandera, ...) when it runs.
from trialguard import __version__
from trialguard.cli_ci import add_ci_options, print_github
from trialguard.cli_manifest import add_manifest_command, write_manifest
from trialguard.errors import UsageError
from trialguard.gx.command import add_export_command, export_gx
from trialguard.options import FAIL_ON_LEVELS, MIN_RECORDS, job_count, rule_tokens, utc_timestamp
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, parse_size

if TYPE_CHECKING:
    from trialguard.report import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
OUT_OF_MEMORY = (
    "the run ran out of memory after reading the transfer; run it on a machine with more free "
    "memory (or close other programs)"
)


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
        "--pdf", type=Path, metavar="FILE", help="write the audit PDF (a summary to file) here"
    )
    validate.add_argument(
        "--pdf-paper",
        choices=["a4", "letter"],
        default="a4",
        help="paper size of the audit PDF (default: a4)",
    )
    validate.add_argument(
        "--fail-on",
        choices=list(FAIL_ON_LEVELS),
        default="error",
        help="lowest severity that fails the run (default: error)",
    )
    add_ci_options(validate)
    validate.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    validate.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="write the Excel workbook (Pinnacle 21's sheets)"
    )
    validate.add_argument("--csv", type=Path, metavar="FILE", help="write the findings as CSV")
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
    validate.add_argument(
        "--ig",
        metavar="VERSION",
        help="SDTMIG version when the study states none in TS or define.xml "
        "(3.1.2, 3.1.3, 3.2, 3.3, 3.4; default 3.4)",
    )
    validate.add_argument(
        "--ct",
        type=Path,
        metavar="FILE",
        help="the study's CDISC CT release: NCI EVS 'SDTM Terminology.txt' (tab-delimited)",
    )
    validate.add_argument(
        "--define",
        type=Path,
        metavar="FILE",
        help="the study's define.xml (default: a define.xml in a folder given)",
    )
    validate.add_argument(
        "--gx-suite",
        action="append",
        metavar="DATASET=FILE",
        help="run this great-expectations suite (JSON) on DATASET as rules of the run; repeatable",
    )
    validate.add_argument(
        "--open-rules",
        type=Path,
        metavar="DIR",
        help="run the CDISC Open Rules of this folder (a checkout of cdisc-org/cdisc-open-rules "
        "or its Published/ folder) beside the spec's rules",
    )
    validate.add_argument(
        "--encoding",
        help="encoding of the text of every dataset file, e.g. cp1252 (default: UTF-8, and "
        "Windows-1252 for values that are not UTF-8, noted in the report)",
    )
    validate.add_argument(
        "--dataset-name",
        action="append",
        metavar="FILE=NAME",
        help="the dataset FILE holds (e.g. CDISC01_ae.xpt=AE), above its file name and the "
        "name stored in it; repeatable",
    )
    validate.add_argument(
        "--delimiter", help="field separator of CSV files when not a comma: ';', '|' or tab"
    )
    validate.add_argument(
        "--max-file-size",
        type=_size,
        default=DEFAULT_MAX_FILE_BYTES,
        metavar="SIZE",
        help="refuse dataset files larger than this (default 2G; e.g. 500M, 8G, 0 for no limit; "
        "a .dsjc decompressed). Reading takes, measured, up to 4 times a file's size in memory "
        "for XPT v5 and CSV, 8 for SAS7BDAT and XPT v8, 10 for Dataset-JSON",
    )
    validate.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="run only these rules: ids, id prefixes (SD-) or categories (protocol); repeatable",
    )
    validate.add_argument(
        "--ignore",
        action="append",
        metavar="RULES",
        help="do not run these rules (listed as not run): ids, prefixes or categories",
    )
    validate.add_argument(
        "--allow-not-run",
        action="append",
        metavar="RULE_ID",
        help="accept the transfer even if this protocol rule cannot run; repeatable",
    )
    validate.add_argument(
        "--jobs",
        metavar="N",
        help="run the study's rules on N processes (default: all cores for a study of at "
        f"least {MIN_RECORDS:,} records, else 1; 1 runs every rule in one process)",
    )
    validate.add_argument("--quiet", action="store_true", help="print nothing but errors")

    check = commands.add_parser(
        "verify", help="re-hash the files a JSON report names: does the report still match?"
    )
    check.add_argument("report", type=Path, metavar="REPORT.json")
    check.add_argument(
        "path", type=Path, nargs="?", metavar="PATH", help="folder the datasets are in now"
    )

    add_export_command(commands)
    add_manifest_command(commands)

    rules = commands.add_parser("rules", help="list the rules of a spec")
    rules.add_argument("--spec", required=True, help="spec name or YAML file")
    rules.add_argument(
        "--open-rules", type=Path, metavar="DIR", help="list these CDISC Open Rules too"
    )
    commands.add_parser("specs", help="list the bundled specs")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _never_fail_to_print()
    if argv is None:  # the trialguard command, whose process ends when main returns
        _spare_the_command_process()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rules":
            return list_rules(args)
        if args.command == "specs":
            return list_specs()
        if args.command == "verify":
            return verify_report(args)
        if args.command == "export-gx":
            return export_gx(args)
        if args.command == "manifest":
            return write_manifest(args)
        return run_validate(args, argv)
    except UsageError as error:
        print(f"trialguard: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        sys.stderr.close()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("trialguard: interrupted", file=sys.stderr)
        return EXIT_INTERNAL
    except OSError as error:  # what the system refused: a path too long, a full disk, ...
        print(f"trialguard: {_os_error_text(error)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except MemoryError:  # past the reading (a dataset too large to read is unreadable)
        print(f"trialguard: {OUT_OF_MEMORY}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception:
        return _internal_error()


def run_validate(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    from trialguard.outputs import check_outputs
    from trialguard.pipeline import validate

    check_outputs(_outputs(args), _inputs(args))
    _say(args, f"Reading {', '.join(str(p) for p in args.paths)} ...")
    report = validate(
        args.paths,
        args.spec,
        previous=args.previous,
        waivers=args.waivers,
        manifest=args.manifest,
        fail_on=args.fail_on,
        fail_on_new=args.fail_on_new,
        first_transfer=args.first_transfer,
        select=rule_tokens(args.select),
        ignore=rule_tokens(args.ignore),
        allow_not_run=rule_tokens(args.allow_not_run),
        ig=args.ig,
        ct=args.ct,
        define=args.define,
        gx_suites=args.gx_suite or (),
        timestamp=args.timestamp,
        encoding=args.encoding,
        delimiter=args.delimiter,
        max_file_size=args.max_file_size,
        dataset_names=args.dataset_name or (),
        open_rules=args.open_rules,
        command=shlex.join(["trialguard", *(sys.argv[1:] if argv is None else argv)]),
        progress=_progress(args),
        jobs=job_count(args.jobs),
    )
    _write_reports(args, report)
    code = _exit_code(report)
    if not args.quiet:
        try:
            _print_terminal(args, report)
        except BrokenPipeError:  # piped into a program that stopped reading: the verdict stands
            sys.stderr.close()
    return code


def _outputs(args: argparse.Namespace) -> dict[str, Path | None]:
    return {
        "--json": args.json,
        "--html": args.html,
        "--pdf": args.pdf,
        "--junit": args.junit,
        "--xlsx": args.xlsx,
        "--csv": args.csv,
    }


def _inputs(args: argparse.Namespace) -> list[Path]:
    """Every file and folder the run reads: datasets, spec, transfer files, standards, suites."""
    given = [*args.paths, Path(args.spec)]
    given += [p for p in (args.previous, args.manifest, args.waivers, args.define, args.ct) if p]
    given += [Path(option.partition("=")[2]) for option in (args.gx_suite or [])]
    return given


def _write_reports(args: argparse.Namespace, report: Report) -> None:
    for target, write in (
        (args.json, report.write_json),
        (args.html, report.write_html),
        (args.pdf, lambda target: report.write_pdf(target, args.pdf_paper)),
        (args.junit, report.write_junit),
        (args.xlsx, report.write_xlsx),
        (args.csv, report.write_csv),
    ):
        if target:
            try:
                write(target)
            except OSError as error:
                why = error.strerror or str(error)
                raise UsageError(f"{target}: cannot write the report ({why})") from error


def _print_terminal(args: argparse.Namespace, report: Report) -> None:
    from trialguard.reporting.lines import render_text
    from trialguard.reporting.terminal import render_summary

    if args.format == "summary":
        print(render_summary(report))
        for target in (args.json, args.html, args.pdf, args.junit, args.xlsx, args.csv):
            if target:
                print(f"Wrote {target}")
    elif args.format == "github":
        summaries = ("--junit", "--pdf")  # each holds some findings of a rule, not every one
        listed = [t for option, t in _outputs(args).items() if t and option not in summaries]
        print_github(report, args.annotations, listed)
    else:
        print(render_text(report))


def _exit_code(report: Report) -> int:
    """2 incomplete; then 0 when not gated; else 1 on reject (findings or a broken check)."""
    if report.verdict == "incomplete":
        _explain_incomplete(report)
        return EXIT_UNUSABLE
    if report.fail_on is None or report.verdict == "accept":
        return EXIT_CLEAN
    return EXIT_FINDINGS


def _explain_incomplete(report: Report) -> None:
    """Reports were written, marked incomplete; stderr says what is missing."""
    for entry in report.unreadable:
        print(f"trialguard: {entry.path}: {entry.reason}", file=sys.stderr)
    for missing in report.missing:
        print(
            f"trialguard: the spec requires {missing.dataset}: {missing.reason}",
            file=sys.stderr,
        )
    for result in report.unchecked_rules():
        print(
            f"trialguard: {_rule_kind(result)} {result.rule.id} did not run: {result.reason} "
            f"(--allow-not-run {result.rule.id} accepts that)",
            file=sys.stderr,
        )
    print(
        f"trialguard: INCOMPLETE: {report.verdict_reason}; the transfer is not accepted and "
        "every report written is marked INCOMPLETE",
        file=sys.stderr,
    )


def _rule_kind(result) -> str:
    return "GX suite rule" if result.rule.category == "gx" else "protocol rule"


def verify_report(args: argparse.Namespace) -> int:
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
        return utc_timestamp(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def list_specs() -> int:
    from trialguard.spec.catalogue import bundled_spec_table

    print(bundled_spec_table())
    return EXIT_CLEAN


def list_rules(args: argparse.Namespace) -> int:
    from trialguard.openrules.rules import with_open_rules
    from trialguard.spec.describe import protocol_lines
    from trialguard.spec.loader import load_spec

    spec, _ = with_open_rules(load_spec(args.spec), args.open_rules)
    print(f"{spec.title} (spec {spec.id} {spec.version}, {spec.path})")
    for line in protocol_lines(spec.protocol):
        print(line)
    for loaded in spec.rules:
        rule = loaded.rule
        flags = [
            name
            for name, on in (
                ("assumed", rule.assumed),
                ("optional", rule.optional),
                ("disabled", not rule.enabled),
            )
            if on
        ]
        flag = "".join(f" [{name}]" for name in flags)
        stage = "" if loaded.check.stage == "study" else f" ({loaded.check.stage} stage)"
        print(
            f"{rule.id:<14} {rule.severity.value:<8} {rule.kind:<24} from {loaded.origin}"
            f"{stage}{flag}"
        )
        print(f"{'':<14} {rule.description}")
        print(f"{'':<14} source: {rule.source}")
        if loaded.aliases:
            print(f"{'':<14} also selected as: {', '.join(loaded.aliases)}")
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


def _spare_the_command_process() -> None:
    """Two costs a process that runs trialguard only need not pay.  pandera's checks import its
    data-synthesis strategies, and those import hypothesis where a test setup installed it (a
    tenth of a second): the command synthesises no data, and runs as where hypothesis is
    absent.  At exit, the interpreter's last garbage collections walk every object the run made
    (a fifth of a second after a small study): the process is ending, so they are skipped."""
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    atexit.register(gc.freeze)


def _never_fail_to_print() -> None:
    """A terminal whose locale cannot show a character (a strict ASCII locale, a name that is
    not UTF-8) gets its escape (`\\xe9`, `\\udce9`) instead of stopping the run."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _os_error_text(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename is not None else ""
    return f"{where}{error.strerror or error}"


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
