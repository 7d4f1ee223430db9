"""`trialguard rules`: the rules a spec runs (and the CDISC Open Rules of a folder beside
them), each with its severity, kind, origin, source and parameters, after the protocol facts
the spec states; as the rule catalogue (Markdown or JSON: every bundled spec, or the named one
and what it extends, with example findings from JSON reports); or the kinds of check."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from trialguard.cli.exit_codes import EXIT_CLEAN
from trialguard.errors import UsageError

if TYPE_CHECKING:
    from trialguard.spec.loaded import LoadedRule, Spec

INDENT = f"{'':<14}"  # the width of the id column: a rule's details line up under its kind


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = commands.add_parser("rules", help="list the rules of a spec")
    rules.add_argument(
        "--spec",
        help="spec name or YAML file (with --format markdown or json: every bundled spec "
        "when not given)",
    )
    rules.add_argument(
        "--open-rules", type=Path, metavar="DIR", help="list these CDISC Open Rules too"
    )
    rules.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text: the spec's rules as it runs them (default); markdown or json: the rule "
        "catalogue, one entry per rule of the spec that defines or overrides it",
    )
    rules.add_argument(
        "--examples",
        nargs="+",
        type=Path,
        default=[],
        metavar="REPORT",
        help="JSON reports whose first finding of each rule is its example in the catalogue",
    )
    rules.add_argument(
        "--kinds",
        action="store_true",
        help="list the kinds of check and their parameters instead (Markdown)",
    )
    rules.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    _refuse_mixed_options(args)
    if args.kinds:
        from trialguard.catalogue.kinds import kinds_markdown

        print(kinds_markdown(), end="")
    elif args.format == "text":
        _print_rule_list(args)
    else:
        print(_catalogue_text(args), end="")
    return EXIT_CLEAN


def _refuse_mixed_options(args: argparse.Namespace) -> None:
    """What the chosen listing cannot take, said before anything is read."""
    if args.kinds and (args.spec or args.open_rules or args.examples or args.format == "json"):
        raise UsageError("rules --kinds takes no --spec, --open-rules, --examples or json format")
    if args.kinds:
        return
    if args.format == "text" and args.spec is None:
        raise UsageError(
            "rules needs --spec (or --format markdown|json for the catalogue of every bundled spec)"
        )
    if args.format == "text" and args.examples:
        raise UsageError("--examples goes with --format markdown or json (the rule catalogue)")
    if args.format != "text" and args.open_rules:
        raise UsageError("--open-rules lists with --format text only")


def _print_rule_list(args: argparse.Namespace) -> None:
    from trialguard.openrules.rules import with_open_rules
    from trialguard.spec.loader import load_spec

    spec, _ = with_open_rules(load_spec(args.spec), args.open_rules)
    for line in rule_list_lines(spec):
        print(line)


def _catalogue_text(args: argparse.Namespace) -> str:
    """The rule catalogue of the named spec (and what it extends) or of every bundled spec."""
    from trialguard.catalogue.build import build_catalogue
    from trialguard.catalogue.jsondoc import catalogue_json
    from trialguard.catalogue.markdown import catalogue_markdown

    built = build_catalogue([args.spec] if args.spec else None, args.examples)
    return catalogue_markdown(built) if args.format == "markdown" else catalogue_json(built)


def rule_list_lines(spec: Spec) -> Iterator[str]:
    """The spec's title line, its protocol facts, then each rule's lines."""
    from trialguard.spec.describe import protocol_lines

    yield f"{spec.title} (spec {spec.id} {spec.version}, {spec.path})"
    yield from protocol_lines(spec.protocol)
    for loaded in spec.rules:
        yield from rule_lines(loaded)


def rule_lines(loaded: LoadedRule) -> Iterator[str]:
    """`ID  SEVERITY  KIND  from ORIGIN (stage) [flags]`, then its description, source,
    aliases and each parameter with where its value comes from."""
    rule = loaded.rule
    flag = "".join(f" [{name}]" for name in _flags(loaded))
    stage = "" if loaded.check.stage == "study" else f" ({loaded.check.stage} stage)"
    yield (
        f"{rule.id:<14} {rule.severity.value:<8} {rule.kind:<24} from {loaded.origin}{stage}{flag}"
    )
    yield f"{INDENT} {rule.description}"
    yield f"{INDENT} source: {rule.source}"
    if loaded.aliases:
        yield f"{INDENT} also selected as: {', '.join(loaded.aliases)}"
    for name, value in loaded.params.model_dump().items():
        where = loaded.param_origins.get(name, "default")
        yield f"{INDENT} {name} = {value} ({where})"


def _flags(loaded: LoadedRule) -> list[str]:
    """The marks after a rule's kind: a value assumed, a rule optional or disabled."""
    rule = loaded.rule
    marks = (("assumed", rule.assumed), ("optional", rule.optional), ("disabled", not rule.enabled))
    return [name for name, on in marks if on]
