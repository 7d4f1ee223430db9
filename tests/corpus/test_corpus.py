"""Every case of the bad-input corpus gives findings or a clear exit-2 message, never a crash.

Each case runs the command line in-process (as `trialguard validate`), with the
JSON, HTML and JUnit reports requested, and checks what the user sees: the
exit code, the words on stderr (file, line or byte offset, what was expected),
the rules that could not run, the findings, and the records counted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from build import CASES, LONG_VALUE, PAYLOADS, Case, independent_count  # noqa: E402

from trialguard.cli import main  # noqa: E402


def run_case(case: Case, folder: Path, capsys) -> tuple[int, str, dict | None, Path]:
    data = folder / "transfer"
    extra = case.build(data)
    out = folder / "out"
    code = main(
        ["validate", str(data), "--spec", case.spec, *extra, "--quiet"]
        + ["--json", str(out / "r.json"), "--html", str(out / "r.html")]
        + ["--junit", str(out / "r.xml")]
    )
    stderr = capsys.readouterr().err
    report_path = out / "r.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    return code, stderr, report, out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case, tmp_path, capsys):
    code, stderr, report, _ = run_case(case, tmp_path, capsys)
    assert code == case.exit, stderr
    assert "Traceback" not in stderr
    for phrase in case.says:
        assert phrase in stderr, f"{phrase!r} not in {stderr!r}"
    if code == 2 and report is not None:
        assert report["complete"] is False and report["unreadable"]
    if report is None:
        assert code == 2 and stderr.startswith("trialguard: ")
        return
    statuses = {r["id"]: r for r in report["rules"]}
    for rule in case.not_run:
        assert statuses[rule]["status"] == "not_run", statuses[rule]
        assert "could not be read" in statuses[rule]["reason"]
    found = {(f["rule_id"], v) for f in report["findings"] for v in f["variables"] or [""]}
    for pair in case.findings:
        assert pair in found, (pair, sorted(found))
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert skipped.items() >= case.skipped.items(), skipped
    counted = {i["dataset"]: i["records"] for i in report["inputs"]}
    assert counted.items() >= case.records.items()
    for entry in report["inputs"]:  # nothing lost: another reader counts the same records
        assert entry["records"] == independent_count(Path(entry["path"])), entry
    assert not [r for r in report["rules"] if r["status"] == "error"]


def case_named(name: str) -> Case:
    return next(c for c in CASES if c.id == name)


def test_an_incomplete_report_says_so_in_every_output(tmp_path, capsys):
    code, stderr, report, out = run_case(case_named("truncated-xpt"), tmp_path, capsys)
    assert code == 2 and "marked INCOMPLETE" in stderr
    html = (out / "r.html").read_text()
    assert "Incomplete" in html and 'id="unreadable"' in html and "ae.xpt" in html
    junit = (out / "r.xml").read_text()
    assert 'type="unreadable"' in junit and "read AE" in junit
    dlt_link = next(r for r in report["rules"] if r["id"] == "CT-DLT-AE")
    assert dlt_link["reason"].startswith("AE could not be read (")
    conformance = next(r for r in report["rules"] if r["id"] == "SD-REQ-VAR")
    assert conformance["notes"] == ["AE was not checked by this rule: its file could not be read"]


def test_a_30000_character_value_is_kept_whole_in_json_and_cut_only_for_display(tmp_path, capsys):
    _, _, report, out = run_case(case_named("30000-character-value"), tmp_path, capsys)
    finding = next(f for f in report["findings"] if f["rule_id"] == "SD-LEN")
    assert finding["values"]["AETERM"] == LONG_VALUE[:30_000] and finding["line"] == 2
    assert finding["record"] == 1
    html = (out / "r.html").read_text()
    assert LONG_VALUE[:301] not in html and LONG_VALUE[:300] in html
    assert "30,000 characters in all; the JSON report holds the whole value" in html


def test_the_html_stays_small_whatever_the_length_of_a_value(tmp_path, capsys):
    """A 5-million-character value: the JSON keeps it, the HTML grows by a few cut copies."""
    _, _, report, out = run_case(case_named("5-million-character-value"), tmp_path, capsys)
    assert any(len(f["values"].get("AETERM") or "") == 5_000_000 for f in report["findings"])
    _, _, _, clean = run_case(case_named("30000-character-value"), tmp_path / "base", capsys)
    html = (out / "r.html").stat().st_size
    assert html < (clean / "r.html").stat().st_size + 20_000


def test_markup_formula_and_template_values_stay_text(tmp_path, capsys):
    _, _, report, out = run_case(case_named("html-formula-and-template-values"), tmp_path, capsys)
    values = {f["values"]["SEX"] for f in report["findings"] if f["rule_id"] == "SD-CT"}
    assert values == set(PAYLOADS)
    html = (out / "r.html").read_text()
    assert "<script>alert(1)" not in html and html.count("<script") == 2
    assert "{{ 7*7 }}" in html  # drawn as text by the script, never rendered by the template


def test_hidden_characters_are_found_but_right_to_left_script_is_not(tmp_path, capsys):
    _, _, report, _ = run_case(case_named("control-and-right-to-left-characters"), tmp_path, capsys)
    flagged = sorted(f["record"] for f in report["findings"] if f["rule_id"] == "SD-TEXT")
    assert flagged == [1, 2]


def test_a_quoted_line_break_keeps_every_record_and_gives_the_physical_line(tmp_path, capsys):
    _, _, report, _ = run_case(case_named("csv-quoted-newline"), tmp_path, capsys)
    finding = next(f for f in report["findings"] if f["rule_id"] == "SD-TEXT")
    assert finding["record"] == 2 and finding["line"] == 3
    assert finding["values"]["AETERM"] == "NAUSEA\nAND VOMITING"


SAMPLE_FOLDERS = sorted(
    p for p in (Path(__file__).resolve().parents[2] / "sample_data").glob("*/*") if p.is_dir()
)


@pytest.mark.parametrize("folder", SAMPLE_FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_record_is_counted_as_another_reader_counts_it(folder, tmp_path, capsys):
    out = tmp_path / "r.json"
    main(["validate", str(folder), "--spec", folder.parent.name, "--quiet", "--json", str(out)])
    report = json.loads(out.read_text())
    assert report["complete"] is True and report["inputs"]
    for entry in report["inputs"]:
        assert entry["records"] == independent_count(Path(entry["path"])), entry
