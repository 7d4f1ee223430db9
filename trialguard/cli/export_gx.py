"""`trialguard export-gx`: write a spec's rules as great-expectations suites, one per dataset,
with a manifest giving the reason each rule that is not exported is not."""

from __future__ import annotations

import argparse
from pathlib import Path

from trialguard.cli.exit_codes import EXIT_CLEAN


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export-gx", help="write a spec's rules as great-expectations suites (one per dataset)"
    )
    export.add_argument("--spec", required=True, help="spec name or YAML file")
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write")
    export.add_argument(
        "--approximate",
        action="store_true",
        help="also export the kinds GX states only approximately (dates, numbers, lengths)",
    )
    export.add_argument(
        "--ig", metavar="VERSION", help="SDTMIG version of the suites (default 3.4)"
    )
    export.add_argument(
        "--ct", type=Path, metavar="FILE", help="CDISC CT release (NCI EVS tab-delimited file)"
    )
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from trialguard.gx.export import export_suites
    from trialguard.spec.loader import load_spec
    from trialguard.standards import export_standards

    spec = load_spec(args.spec)
    standards = export_standards(spec.terminology.ct_release, args.ig, args.ct)
    written = export_suites(spec, args.out, standards, args.approximate)
    for name, path in written.suites.items():
        print(f"Wrote {path} (the {name} suite)")
    print(
        f"{len(written.exported)} rules exported, {len(written.not_exported)} not exported "
        f"(each with the reason in {written.manifest})"
    )
    return EXIT_CLEAN
