"""Transfers as delivered, through a real subprocess: files named otherwise than their dataset,
--dataset-name, two files for one dataset, text in Windows-1252; exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import PILOT, SAMPLES
from test_cli import trialguard

from trialguard.readers.study import DEFINE_READ

CLEAN = SAMPLES / "clean"
DEFECTS = SAMPLES / "defects"


def delivered(tmp_path, source=CLEAN):
    """The sample as a sender names it: CDISC01_ae.xpt, dm_20251201.xpt, ..."""
    folder = tmp_path / "transfer"
    folder.mkdir()
    names = {"ae": "CDISC01_ae.xpt", "dm": "dm_20251201.xpt", "ex": "study-x_EX.xpt"}
    for path in source.glob("*.xpt"):
        shutil.copy(path, folder / names.get(path.stem, f"CDISC01_{path.name}"))
    return folder


def run(tmp_path, *args):
    out = tmp_path / "r.json"
    result = trialguard("validate", *args, "--json", out, "--html", tmp_path / "r.html")
    return result, json.loads(out.read_text()) if out.exists() else None


def test_files_named_as_delivered_are_read_by_their_member_names_exit_0(tmp_path):
    result, report = run(tmp_path, delivered(tmp_path), "--spec", "resolution")
    assert result.returncode == 0, result.stderr
    inputs = {i["dataset"]: (i["path"].rsplit("/", 1)[1], i["taken_by"]) for i in report["inputs"]}
    assert inputs["AE"] == ("CDISC01_ae.xpt", "XPT member name")
    assert inputs["DL"] == ("CDISC01_dlt.xpt", "XPT member name")
    assert "AE 12 records (xpt, CDISC01_ae.xpt by its XPT member name)" in result.stdout
    assert "taken as AE by its XPT member name" in (tmp_path / "r.html").read_text()
    verified = trialguard("verify", tmp_path / "r.json")
    assert verified.returncode == 0 and "matches its files" in verified.stdout


def test_findings_in_files_named_as_delivered_exit_1(tmp_path):
    result, report = run(tmp_path, delivered(tmp_path, DEFECTS), "--spec", "resolution")
    assert result.returncode == 1 and report["verdict"] == "reject"
    reference, _ = run(tmp_path / "ref", DEFECTS, "--spec", "resolution")
    assert "Findings: " + result.stdout.split("Findings: ")[1].split("\n")[0] in reference.stdout


def test_two_files_for_one_dataset_exit_2_naming_both(tmp_path):
    folder = delivered(tmp_path)
    shutil.copy(CLEAN / "ae.xpt", folder / "ae.xpt")
    result, report = run(tmp_path, folder, "--spec", "resolution")
    assert result.returncode == 2
    why = (
        "one of 2 files for dataset AE (CDISC01_ae.xpt (by its XPT member name) and ae.xpt); "
        "send exactly one"
    )
    assert f"CDISC01_ae.xpt: {why}" in result.stderr and f"ae.xpt: {why}" in result.stderr
    assert {u["reason"] for u in report["unreadable"]} == {why}


def test_dataset_name_decides_and_names_a_dataset_exit_1_or_2(tmp_path):
    folder = delivered(tmp_path)
    shutil.copy(CLEAN / "ae.xpt", folder / "old-ae.xpt")
    result, report = run(
        tmp_path, folder, "--spec", "resolution", "--dataset-name", "old-ae.xpt=CE"
    )
    assert result.returncode == 1 and report["complete"], result.stderr  # AE records as CE
    assert {i["dataset"]: i["taken_by"] for i in report["inputs"]}["CE"] == "--dataset-name"
    bad = trialguard("validate", folder, "--spec", "resolution", "--dataset-name", "x.xpt")
    assert bad.returncode == 2 and "expected FILE=NAME" in bad.stderr
    bad = trialguard("validate", folder, "--spec", "resolution", "--dataset-name", "y.xpt=AE")
    assert bad.returncode == 2 and "y.xpt=AE: no such dataset file was given" in bad.stderr


def test_a_stored_name_that_disagrees_with_the_file_name_is_noted_everywhere(tmp_path):
    folder = tmp_path / "transfer"
    shutil.copytree(CLEAN, folder)
    shutil.copy(CLEAN / "ae.xpt", folder / "cm.xpt")  # member AE, file named for CM
    result, report = run(tmp_path, folder, "--spec", "resolution")
    notice = (
        "cm.xpt: named for CM, but its XPT member name is AE; read as CM "
        "(--dataset-name cm.xpt=AE reads it as AE)"
    )
    assert result.returncode == 1 and report["complete"] and report["notices"] == [notice]
    assert f"note: {notice}" in result.stdout and notice in (tmp_path / "r.html").read_text()


@pytest.mark.skipif(not PILOT.is_dir(), reason="the CDISC pilot is not in shared/external")
def test_the_pilot_ts_in_windows_1252_is_read_with_a_notice_exit_1(tmp_path):
    result, report = run(tmp_path, PILOT, "--spec", "sdtm")
    assert result.returncode == 1, result.stderr
    notice = "ts.xpt: text of TSVAL (record 9) is not UTF-8; read as Windows-1252"
    define = f"define.xml: {DEFINE_READ}"
    assert report["notices"] == [define, notice] and not report["unreadable"] and report["complete"]
    assert {i["dataset"]: i["records"] for i in report["inputs"]}["TS"] == 33
    assert f"note: {notice}" in result.stdout
