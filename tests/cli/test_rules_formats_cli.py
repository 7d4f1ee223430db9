"""`trialguard rules --format markdown|json`, `--examples` and `--kinds` from the command line:
what each prints, and the combinations it refuses before reading anything."""

from __future__ import annotations

import json

import pytest

from trialguard.cli import main


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(["rules", *arguments])
    out, err = capsys.readouterr()
    return code, out, err


def test_markdown_without_a_spec_is_the_catalogue_of_every_bundled_spec(capsys):
    code, out, _ = run(capsys, "--format", "markdown")
    assert code == 0
    specs = [line.removeprefix("## Spec ") for line in out.splitlines() if line.startswith("## ")]
    assert sorted(specs) == sorted(
        ["transfer", "sdtm", "cell-therapy", "ab-101", "reset-02", "resolution", "wu-cart-007"]
    )
    assert "### RES-AGE" in out and "### SD-DY" in out


def test_json_of_one_spec_holds_it_and_what_it_extends(capsys):
    code, out, _ = run(capsys, "--format", "json", "--spec", "resolution")
    document = json.loads(out)
    assert code == 0 and document["schema"] == "trialguard rule catalogue"
    chain = ["transfer", "sdtm", "cell-therapy", "resolution"]
    assert [s["id"] for s in document["specs"]] == chain


def test_examples_come_from_the_reports_given(capsys, tmp_path):
    report = tmp_path / "bad.json"
    report.write_text('{"not": "a report"}')
    code, _, err = run(capsys, "--format", "markdown", "--examples", str(report))
    assert code == 2 and "bad.json" in err


def test_kinds_lists_every_registered_kind(capsys):
    from trialguard.validators.catalogue import all_kinds

    code, out, _ = run(capsys, "--kinds")
    assert code == 0
    assert all(f"| `{kind}` |" in out for kind in all_kinds())


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ((), "rules needs --spec"),
        (("--kinds", "--spec", "sdtm"), "rules --kinds takes no --spec"),
        (("--spec", "sdtm", "--examples", "r.json"), "--examples goes with --format markdown"),
        (("--format", "json", "--open-rules", "rules/"), "--open-rules lists with --format text"),
    ],
)
def test_what_a_listing_cannot_take_is_refused(capsys, arguments, said):
    code, out, err = run(capsys, *arguments)
    assert code == 2 and out == "" and said in err
