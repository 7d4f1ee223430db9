"""Subject timelines: built column-wise from the study context, only when the HTML asks, and a
fault in them is a fault of the run, never hidden."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, make_ae, make_dm, make_ex, make_spec, subject

import trialguard
import trialguard.timelines
from trialguard.cli import EXIT_INTERNAL, main
from trialguard.readers.study import Study
from trialguard.timelines import build_timelines
from trialguard.validators.context import StudyContext


def context_of(*datasets) -> StudyContext:
    return StudyContext(Study({d.name: d for d in datasets}), make_spec())


def test_events_are_protocol_days_per_treated_subject_in_record_order():
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(2), "ACTARMCD": "DL2-FC"})
    ex = make_ex({"USUBJID": subject(1)}, {"USUBJID": subject(2), "EXSTDTC": "2025-03-11"})
    ae = make_ae(
        {"USUBJID": subject(1), "AESTDTC": "2025-03", "AETERM": "RASH"},  # partial: a range
        {"USUBJID": subject(2), "AESTDTC": "2025-03-12", "AEENDTC": "2025-03-14"},
        {"USUBJID": subject(1), "AESTDTC": "2025-03-12"},
        {"USUBJID": "S1-999", "AESTDTC": "2025-03-12"},  # no Day 0: not drawn
    )
    timelines = build_timelines(context_of(dm, ex, ae))
    assert timelines["available"] and timelines["product"] == "PRODUCT"
    first, second = timelines["subjects"]
    assert (first["id"], first["arm"], first["day0"]) == (subject(1), "DL1-FC", "2025-03-10")
    assert first["ae"] == [
        [1, "RASH", -9, 21, "2025-03", "1", None],  # grade, and no AESER in this AE
        [3, "NAUSEA", 2, 2, "2025-03-12", "1", None],
    ]
    assert second["arm"] == "DL2-FC"
    assert second["ae"] == [[2, "NAUSEA", 1, 3, "2025-03-12", "1", None]]
    assert first["ex"] == [[1, "PRODUCT", 0, 0, "2025-03-10", "40", "10^6 cells"]]


def test_without_a_day0_there_are_no_timelines_and_the_report_says_why():
    timelines = build_timelines(context_of(make_dm({"USUBJID": subject(1)})))
    assert timelines == {"available": False, "reason": "no subject timelines: EX not supplied"}


def fail(*_args):
    raise RuntimeError("timelines fault")


def test_a_json_report_never_builds_the_timelines(monkeypatch, tmp_path):
    monkeypatch.setattr(trialguard.timelines, "_timelines", fail)
    report = trialguard.validate(SAMPLES / "clean", "resolution")
    report.write_json(tmp_path / "report.json")
    assert (tmp_path / "report.json").stat().st_size > 0
    with pytest.raises(RuntimeError, match="timelines fault"):
        report.write_html(tmp_path / "report.html")  # drawn on demand: the fault shows


def test_a_fault_in_the_timelines_is_an_internal_error_not_a_report_without_them(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(trialguard.timelines, "_timelines", fail)
    clean = str(SAMPLES / "clean")
    command = ["validate", clean, "--spec", "resolution"]
    assert main([*command, "--json", str(tmp_path / "r.json")]) == 0
    assert main([*command, "--html", str(tmp_path / "r.html")]) == EXIT_INTERNAL
    assert not (tmp_path / "r.html").exists()
