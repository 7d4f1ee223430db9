"""The escalation replay of each sample study, against decision tables worked out by hand.

Cohorts start 30 days after the last infusion of the level below; a decision
to escalate becomes possible when the last DLT window of the deciding cohort
closes (Day 0 + 28), a stop on the onset of the second DLT (Day 0 + 6 here).
"""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE_DATA

ENV_PATH = str(ROOT)

# (ladder, level, subjects, evaluable, with DLT, deciding cohort, decision, decision date)
EXPECTED = {
    # FC: DL1 Jul 7/14/21 -> +28 = Aug 18; DL2 Aug 20 .. Sep 24 with one DLT -> 6 -> Sep 24 + 28
    # CY: Oct 24/31, Nov 7 -> Dec 5; NOLD: Dec 7/14/21 -> Jan 18
    "resolution": (
        [
            ("CY", "DL1", 3, 3, 0, 3, "escalate", "2025-12-05"),
            ("CY", "DL2", 0, 0, 0, 0, "no subjects", None),
            ("CY", "DL3", 0, 0, 0, 0, "no subjects", None),
            ("FC", "DL1", 3, 3, 0, 3, "escalate", "2025-08-18"),
            ("FC", "DL2", 6, 6, 1, 6, "escalate", "2025-10-22"),
            ("FC", "DL3", 0, 0, 0, 0, "no subjects", None),
            ("NOLD", "DL1", 3, 3, 0, 3, "escalate", "2026-01-18"),
            ("NOLD", "DL2", 0, 0, 0, 0, "no subjects", None),
            ("NOLD", "DL3", 0, 0, 0, 0, "no subjects", None),
        ],
        "ladder FC: escalation not finished: DL3 has no subject yet; highest level cleared: DL2",
    ),
    # Mar 3/10/17 -> Apr 14; Apr 16/23/30 -> May 28; May 30, Jun 6/13 -> Jul 11
    "reset-02": (
        [
            ("all", "DL1", 3, 3, 0, 3, "escalate", "2025-04-14"),
            ("all", "DL2", 3, 3, 0, 3, "escalate", "2025-05-28"),
            ("all", "DL3", 3, 3, 0, 3, "escalate", "2025-07-11"),
        ],
        "ladder all: MAD is DL3: the top level cleared, MTD not reached",
    ),
    # Jan 13/20/27 -> Feb 24; DL2 Feb 26 .. Apr 2, one DLT -> 6 -> Apr 30;
    # DL3 May 2/9/16, DLTs on May 8 and May 15 -> stop on May 15; DL2 had 6 -> MTD
    "wu-cart-007": (
        [
            ("all", "DL1", 3, 3, 0, 3, "escalate", "2025-02-24"),
            ("all", "DL2", 6, 6, 1, 6, "escalate", "2025-04-30"),
            ("all", "DL3", 3, 3, 2, 3, "stop", "2025-05-15"),
        ],
        "ladder all: MTD is DL2 (DL3 had 2 or more DLTs)",
    ),
    # Apr 7/14/21 -> May 19; May 21/28, Jun 4 -> Jul 2; DL3 decided on its first 3: Jul 18 -> Aug 15
    "ab-101": (
        [
            ("all", "DL1", 3, 3, 0, 3, "escalate", "2025-05-19"),
            ("all", "DL2", 3, 3, 0, 3, "escalate", "2025-07-02"),
            ("all", "DL3", 6, 6, 0, 3, "escalate", "2025-08-15"),
        ],
        "ladder all: MAD is DL3: the top level cleared, MTD not reached",
    ),
}
COLUMNS = (
    "ladder",
    "level",
    "subjects",
    "evaluable",
    "with_dlt",
    "cohort",
    "decision",
    "decision_date",
)


def validate(trial, tmp_path):
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    command = [
        sys.executable,
        "-m",
        "trialguard",
        "validate",
        str(SAMPLE_DATA / trial / "clean"),
        "--spec",
        trial,
        "--json",
        str(out_json),
        "--html",
        str(out_html),
        "--quiet",
    ]
    subprocess.run(command, check=True, cwd=ROOT, env={"PYTHONPATH": ENV_PATH, "PATH": ""})
    return json.loads(out_json.read_text()), out_html.read_text()


@pytest.mark.parametrize("trial", sorted(EXPECTED))
def test_escalation_table_in_json_and_html_matches_the_hand_worked_answer(trial, tmp_path):
    report, html = validate(trial, tmp_path)
    (rule,) = [r for r in report["rules"] if r["kind"] == "escalation_3plus3"]
    rows, note = EXPECTED[trial]
    assert [tuple(row[c] for c in COLUMNS) for row in rule["table"]] == rows
    assert note in rule["notes"]
    assert f'id="escalation-{rule["id"]}"' in html and note in html
    for *_, decision, when in rows:
        assert f"<td>{decision}</td><td>{when or ''}</td>" in html
