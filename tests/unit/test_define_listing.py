"""A define.xml beside the datasets is listed as read for the run, not as a file skipped."""

from __future__ import annotations

import shutil

from conftest import PILOT, SAMPLES

from trialguard.pipeline import validate
from trialguard.readers.study import read_study
from trialguard.reporting.json import build_json


def test_a_define_beside_the_datasets_is_a_note_on_reading_not_a_skipped_file(tmp_path):
    for name in ("dm.xpt", "ae.xpt"):
        shutil.copy(SAMPLES / "clean" / name, tmp_path / name)
    (tmp_path / "define.xml").write_text("<ODM/>")
    (tmp_path / "readme.txt").write_text("notes")
    study = read_study([tmp_path])
    assert [name for name, _ in study.skipped] == [str(tmp_path / "readme.txt")]
    (note,) = [n for n in study.notices if "define.xml" in n]
    assert note.startswith("define.xml: the study's Define-XML: read for")
    assert "DEF- rules" in note and "SDTMIG version only" not in note


def test_the_pilot_report_lists_its_define_as_read_and_used_by_the_def_rules():
    report = build_json(validate(PILOT, "sdtm", select=["DEF-"]))
    define = str(PILOT / "define.xml")
    assert all(entry["path"] != define for entry in report["skipped"])
    assert any(n.startswith("define.xml: the study's Define-XML") for n in report["notices"])
    assert {"role": "define", "path": define} == {
        k: v for k, v in report["files"][0].items() if k != "sha256"
    }
    ran = [r["status"] for r in report["rules"] if r["id"].startswith("DEF-")]
    assert ran and "not_run" not in ran
