"""`--fail-on-new`, `--first-transfer` and the GitHub output through the real command line: one
test per exit code, the first transfer, and the job summary GitHub shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, SAMPLES

DEFECTS = SAMPLES / "defects"


def trialguard(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "trialguard", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=300,
    )


def validate(*args, env=None):
    return trialguard("validate", DEFECTS, "--spec", "resolution", *args, env=env)


def test_exit_0_when_every_finding_persists(tmp_path):
    result = validate("--previous", DEFECTS, "--fail-on-new")
    assert result.returncode == 0, result.stderr
    assert "Since the previous transfer: new 0 | persisting " in result.stdout
    assert "Verdict: ACCEPT (no new finding at or above error; " in result.stdout
    assert "persisting finding(s) do not gate (--fail-on-new)" in result.stdout


def test_exit_1_on_a_first_transfer_where_every_finding_is_new(tmp_path):
    out = tmp_path / "r.json"
    missing = tmp_path / "accepted" / "transfer.json"
    result = validate("--previous", missing, "--first-transfer", "--fail-on-new", "--json", out)
    assert result.returncode == 1, result.stderr
    report = json.loads(out.read_text())
    assert report["verdict_reason"] == "new findings at or above error"
    assert report["fail_on_new"] is True
    assert report["comparison"]["previous"] == {"path": str(missing), "kind": "first transfer"}
    assert {f["history"] for f in report["findings"]} == {"new"}
    assert str(missing) not in [f["path"] for f in report["files"]]


def test_exit_2_for_fail_on_new_without_a_previous_transfer():
    result = validate("--fail-on-new")
    assert result.returncode == 2 and result.stdout == ""
    assert "--fail-on-new" in result.stderr and "--previous OLD" in result.stderr
    assert "--first-transfer" in result.stderr


def test_exit_2_for_a_previous_transfer_that_is_not_there(tmp_path):
    for previous in (tmp_path / "nowhere", tmp_path / "empty"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        result = validate("--previous", previous, "--fail-on-new")
        assert result.returncode == 2, result.stdout
        assert str(previous) in result.stderr and "add --first-transfer" in result.stderr


def test_an_empty_previous_folder_with_first_transfer_is_the_first_transfer(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / ".gitkeep").write_text("")
    result = validate("--previous", previous, "--first-transfer", "--format", "text")
    assert result.returncode == 1  # not --fail-on-new: findings fail the run as always
    lines = result.stdout.splitlines()
    assert all("[new]" in line for line in lines if line.startswith("error   RES-"))


def test_github_prints_the_annotations_asked_for_then_a_summary_line(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    out = tmp_path / "r.json"
    result = validate(
        "--previous", DEFECTS, "--format", "github", "--annotations", "3", "--json", out,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines[:3]] == ["::error"] * 3
    assert all("[persisting]" in line.split("::")[1] for line in lines[:3])
    findings = len(json.loads(out.read_text())["findings"])
    assert lines[3].startswith(f"trialguard: {findings} finding(s): ")
    assert f"new 0, persisting {findings}, resolved 0" in lines[3]
    assert lines[3].endswith(f" not shown; every finding: {out}")
    assert lines[4].startswith("Verdict: REJECT") and len(lines) == 5
    text = summary.read_text()
    assert text.startswith("earlier step\n## trialguard: REJECT\n")
    assert "| persisting | " in text and "| RES-ESC | error | 5 | 0 |" in text


def test_annotations_must_be_a_whole_number():
    result = validate("--annotations", "-1")
    assert result.returncode == 2 and "--annotations" in result.stderr
