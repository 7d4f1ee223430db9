"""The benchmark's planted defects, its study cache and its count of a report's findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import large_lab  # noqa: E402
import report_counts  # noqa: E402
import study_cache  # noqa: E402


def test_units_are_missing_on_every_second_panel_and_every_test_keeps_its_unit():
    people = large_lab.subjects(4, np.random.default_rng(1))
    lb = large_lab.drop_units(large_lab.make_lb(people, np.random.default_rng(2)))
    empty = lb["LBORRESU"] == ""
    assert len(lb) == 160 and empty.sum() == 80
    panels = empty.groupby(np.arange(len(lb)) // len(large_lab.TESTS)).agg(["all", "any"])
    assert (panels["all"] == panels["any"]).all()  # whole panels, never part of one
    assert set(lb.loc[~empty, "LBTESTCD"]) == {test[0] for test in large_lab.TESTS}
    assert lb.loc[empty, "LBORRES"].astype(float).notna().all()


def report(indent: int | None) -> str:
    finding = {"rule_id": "SD-DY", "values": {"AESTDY": 3}, "message": "x"}
    return json.dumps(
        {
            "run": {"id": "1"},
            "rules": [
                {"id": "SD-DY", "findings": 3, "not_evaluable": 1, "assumption": {"a": 1}},
                {"id": "SD-DY-ORDER", "findings": 1, "not_evaluable": 0},
            ],
            "findings": [finding, {"rule_id": "SD-DY-ORDER"}, finding, finding],
            "not_evaluable": [{"rule_id": "SD-DY"}],
        },
        indent=indent,
        separators=None if indent else (",", ":"),
    )


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("chunk", [7, 1 << 24])
def test_a_rules_findings_are_counted_in_its_entry_and_in_the_list(
    tmp_path, monkeypatch, indent, chunk
):
    monkeypatch.setattr(report_counts, "CHUNK", chunk)
    path = tmp_path / "report.json"
    path.write_text(report(indent))
    assert report_counts.count_rule_findings(path, "SD-DY") == (3, 3)
    assert report_counts.count_rule_findings(path, "SD-DY-ORDER") == (1, 1)
    assert report_counts.count_rule_findings(path, "SD-NONE") == (None, 0)


def test_a_report_without_a_findings_list_is_an_error(tmp_path):
    path = tmp_path / "report.json"
    path.write_text('{"rules": []}')
    with pytest.raises(SystemExit, match="no top-level"):
        report_counts.count_rule_findings(path, "SD-DY")


def test_a_kept_study_is_reused_and_an_incomplete_one_made_again(tmp_path, capsys):
    made = study_cache.study(tmp_path, "lab-units-missing", 2)
    assert sorted(p.name for p in made.iterdir()) == ["dm.xpt", "lb.xpt"]
    assert study_cache.study(tmp_path, "lab-units-missing", 2) == made
    assert "reusing" in capsys.readouterr().out
    (made / "lb.xpt").unlink()
    assert study_cache.study(tmp_path, "lab-units-missing", 2) == made
    assert (made / "lb.xpt").is_file() and not Path(f"{made}.partial").exists()
    assert "generated 2 subjects" in capsys.readouterr().out
