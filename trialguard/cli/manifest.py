"""`trialguard manifest`: write the manifest a sender sends with a transfer folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from trialguard.cli.exit_codes import EXIT_CLEAN
from trialguard.errors import UsageError
from trialguard.options import csv_delimiter, dataset_name_overrides, known_encoding


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    manifest = commands.add_parser(
        "manifest",
        help="write the manifest a sender sends (dataset, file, records, SHA-256, bytes), "
        "for --manifest to check on arrival",
    )
    manifest.add_argument("folder", type=Path, metavar="DIR", help="the transfer's folder")
    manifest.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write it here: CSV, or YAML for a .yaml/.yml name (default: CSV on stdout)",
    )
    manifest.add_argument("--encoding", help="encoding of the dataset files, as for validate")
    manifest.add_argument("--delimiter", help="field separator of CSV files, as for validate")
    manifest.add_argument(
        "--dataset-name",
        action="append",
        metavar="FILE=NAME",
        help="the dataset FILE holds, as for validate; repeatable",
    )
    manifest.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from trialguard.outputs import check_outputs
    from trialguard.readers.study import read_study
    from trialguard.report import write_report
    from trialguard.transfer.manifest_writer import build_manifest, render_manifest

    folder: Path = args.folder
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; give the folder of the transfer")
    if args.output is not None:
        check_outputs({"--output": args.output}, [folder])
    study = read_study(
        [folder],
        encoding=known_encoding(args.encoding),
        delimiter=csv_delimiter(args.delimiter),
        dataset_names=dataset_name_overrides(args.dataset_name),
        max_file_bytes=None,  # the sender's own files: whatever their size, they are listed
    )
    entries = build_manifest(study, args.output)
    text = render_manifest(entries, args.output)
    if args.output is None:
        print(text, end="")
        return EXIT_CLEAN
    try:
        write_report(args.output, text)
    except OSError as error:
        why = error.strerror or str(error)
        raise UsageError(f"{args.output}: cannot write the manifest ({why})") from error
    records = sum(e.records for e in entries)
    print(f"Wrote {args.output}: {len(entries)} dataset file(s), {records:,} records")
    return EXIT_CLEAN
