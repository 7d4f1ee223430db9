"""The options of `trialguard validate`, in the order `trialguard validate --help` lists them."""

from __future__ import annotations

import argparse
from pathlib import Path

from trialguard.cli.ci import add_ci_options
from trialguard.errors import UsageError
from trialguard.options import FAIL_ON_LEVELS, MIN_RECORDS, utc_timestamp
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, parse_size


def add_validate_options(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="folders or dataset files"
    )
    validate.add_argument("--spec", required=True, help="spec name (e.g. resolution) or YAML file")
    _add_report_options(validate)
    _add_transfer_options(validate)
    _add_standard_options(validate)
    _add_reading_options(validate)
    _add_rule_options(validate)
    validate.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _add_report_options(validate: argparse.ArgumentParser) -> None:
    """The reports to write, the gate, and what the terminal shows."""
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


def _add_transfer_options(validate: argparse.ArgumentParser) -> None:
    """What came with the transfer, or before it."""
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


def _add_standard_options(validate: argparse.ArgumentParser) -> None:
    """The standards the study follows, and rules from outside the spec."""
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


def _add_reading_options(validate: argparse.ArgumentParser) -> None:
    """How the dataset files are read."""
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


def _add_rule_options(validate: argparse.ArgumentParser) -> None:
    """Which rules run, and on how many processes."""
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
