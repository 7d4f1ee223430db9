"""`trialguard validate`: read a transfer, run the spec's rules, write the reports, print the
verdict, and exit 0 (accepted), 1 (rejected) or 2 (incomplete)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialguard.cli.progress import progress_printer, say
from trialguard.cli.validate_options import add_validate_options
from trialguard.cli.validate_outputs import (
    print_terminal,
    report_options,
    write_reports,
)
from trialguard.cli.validate_verdict import exit_code
from trialguard.options import job_count, rule_tokens


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = commands.add_parser("validate", help="validate datasets against a spec")
    add_validate_options(validate)
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from trialguard.outputs import check_outputs
    from trialguard.pipeline import validate

    check_outputs(report_options(args), _inputs(args))
    say(args, f"Reading {', '.join(str(p) for p in args.paths)} ...")
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
        command=args.command_line,
        progress=progress_printer(args),
        jobs=job_count(args.jobs),
    )
    write_reports(args, report)
    code = exit_code(report)
    if not args.quiet:
        try:
            print_terminal(args, report)
        except BrokenPipeError:  # piped into a program that stopped reading: the verdict stands
            sys.stderr.close()
    return code


def _inputs(args: argparse.Namespace) -> list[Path]:
    """Every file and folder the run reads: datasets, spec, transfer files, standards, suites."""
    given = [*args.paths, Path(args.spec)]
    given += [p for p in (args.previous, args.manifest, args.waivers, args.define, args.ct) if p]
    given += [Path(option.partition("=")[2]) for option in (args.gx_suite or [])]
    return given
