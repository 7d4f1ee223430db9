"""What the environment does ends in exit 2 naming the path, or in a complete report: names
that are not UTF-8 under a strict ASCII locale, paths past the system's limits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import ROOT, SAMPLES

from trialguard.cli import main

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_a_folder_name_that_is_not_utf8_under_an_ascii_locale_gives_whole_reports(tmp_path):
    folder = os.fsencode(tmp_path) + b"/caf\xe9"
    shutil.copytree(SAMPLES / "defects", os.fsdecode(folder))
    out = tmp_path / "out"
    outputs = [f"--{kind}" for kind in ("json", "html", "junit", "xlsx", "csv")]
    args = [a for kind in outputs for a in (kind, str(out / f"r.{kind[2:]}"))]
    ascii_only = {**ENV, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    run = subprocess.run(
        [sys.executable, "-m", "trialguard", "validate", folder, "--spec", "resolution", *args],
        env=ascii_only,
        capture_output=True,
    )
    assert run.returncode == 1, run.stderr.decode(errors="replace")
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    path = report["inputs"][0]["path"]
    assert path.encode("utf-8", "surrogateescape").startswith(folder)  # the name, escaped
    assert all((out / f"r.{kind[2:]}").stat().st_size for kind in outputs)
    assert b"Traceback" not in run.stderr and b"Verdict" in run.stdout


def test_a_path_longer_than_the_system_allows_is_exit_2_naming_it(tmp_path, capsys):
    long = tmp_path / ("a" * 300) / "ae.xpt"
    code = main(["validate", str(long), "--spec", "resolution"])
    err = capsys.readouterr().err
    assert code == 2 and "File name too long" in err and "a" * 300 in err


def test_a_report_path_longer_than_the_system_allows_is_exit_2(tmp_path, capsys):
    target = tmp_path / ("b" * 300) / "r.json"
    code = main(["validate", str(SAMPLES / "clean"), "--spec", "resolution", "--json", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "File name too long" in err and "Traceback" not in err
