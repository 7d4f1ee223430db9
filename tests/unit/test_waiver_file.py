"""A waivers file: every problem at once with its line, rule ids checked, empty files accepted."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from trialguard.errors import SpecError
from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.spec.loader import load_spec
from trialguard.transfer.waivers import apply_waivers, load_waivers, waivable_rule_ids

RULES = ["SD-STEN", "SD-CT", "RES-AGE"]


def write(tmp_path, text: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def problems_of(path, rule_ids=None) -> list[str]:
    with pytest.raises(SpecError) as error:
        load_waivers(path, rule_ids)
    assert error.value.path == str(path)
    return error.value.problem.splitlines()


@pytest.mark.parametrize(
    "text", ["", "# nothing waived yet\n", "waivers:\n", "waivers: []\n", "---\n"]
)
def test_an_empty_waivers_file_holds_no_waivers(tmp_path, text):
    assert load_waivers(write(tmp_path, text), RULES) == []


def test_every_problem_of_the_file_is_reported_at_once_each_with_its_line(tmp_path):
    path = write(
        tmp_path,
        """\
        waivers:
          - rule: SD-STEN
            reason: dates confirmed
            approver: B. Monitor
            expires: soon
          - rule: SD-CT
            approver: A. Reviewer
            expires: 2027-01-31
          - {rule: RES-AGE, reason: r, approver: a, expires: 2027-01-01, colour: red}
        owner: data management
        """,
    )
    assert problems_of(path) == [
        "4 problems:",
        "  line 5, waivers.0.expires: Input should be a valid date or datetime, input is too short",
        "  line 6, waivers.1.reason: missing",
        "  line 9, waivers.2.colour: unknown key",
        "  line 10, owner: unknown key (a waivers file holds one list, waivers)",
    ]


def test_a_rule_id_no_rule_has_is_an_error_with_its_line_and_the_nearest_id(tmp_path):
    path = write(
        tmp_path,
        """\
        waivers:
          - {rule: SD-STEN, reason: r, approver: a, expires: 2027-01-01}
          - {rule: SD-STEM, reason: r, approver: a, expires: 2027-01-01}
          - {rule: SD-, reason: r, approver: a, expires: 2027-01-01}
          - {rule: NOTHING-LIKE-IT, reason: r, approver: a, expires: 2027-01-01}
          - {rule: res-age, reason: r, approver: a, expires: 2027-01-01}
          - {rule: SD-CT, reason: r, approver: a, expires: tomorrow}
        """,
    )
    assert problems_of(path, RULES) == [
        "4 problems:",
        "  line 3, waivers.1.rule: SD-STEM: no rule of the run has that id "
        "(did you mean SD-STEN? `trialguard rules --spec ...` lists the rules)",
        "  line 4, waivers.2.rule: SD-: no rule of the run has that id "
        "(a waiver names one rule by its id, not a prefix)",
        "  line 5, waivers.3.rule: NOTHING-LIKE-IT: no rule of the run has that id "
        "(`trialguard rules --spec ...` lists the rules)",
        "  line 7, waivers.5.expires: Input should be a valid date or datetime, input is too short",
    ]


def test_the_waiver_rules_themselves_cannot_be_waived(tmp_path):
    path = write(
        tmp_path,
        "waivers:\n  - {rule: WAIVER-UNUSED, reason: r, approver: a, expires: 2027-01-01}\n",
    )
    spec = load_spec("resolution")
    assert "RES-AGE" in waivable_rule_ids(spec)
    (problem,) = problems_of(path, waivable_rule_ids(spec))
    assert problem.startswith("line 2, waivers.0.rule: WAIVER-UNUSED: no rule of the run")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("- {rule: SD-CT}\n", "line 1: expected a mapping with a 'waivers' list"),
        ("owner: x\n", "2 problems:"),
        ("waivers: {rule: SD-CT}\n", "line 1, waivers: expected a list of waivers"),
        ("waivers:\n  - SD-CT\n", "line 2, waivers.0: Input should be a valid dictionary"),
    ],
)
def test_a_file_of_another_shape_says_what_is_expected(tmp_path, text, problem):
    assert problems_of(write(tmp_path, text))[0].startswith(problem)


def result_of(rule_id: str) -> RuleResult:
    finding = Finding(rule_id, Severity.ERROR, "AE", "S-1", 1, ("AETERM",), {}, "m", seq=1)
    info = RuleInfo(rule_id, "k", Severity.ERROR, "d", "s")
    return RuleResult(info, Status.FAILED, findings=[finding])


def test_applying_a_waiver_of_a_rule_the_run_lacks_names_the_file_and_line(tmp_path):
    path = write(
        tmp_path,
        """\
        waivers:
          - {rule: SD-STEN, reason: r, approver: a, expires: 2027-01-01}
          - {rule: SD-STEM, reason: r, approver: a, expires: 2027-01-01}
        """,
    )
    waivers = load_waivers(path)  # no rule ids known yet: the shape alone is checked
    with pytest.raises(SpecError) as error:
        apply_waivers([result_of("SD-STEN")], waivers, dt.date(2026, 1, 1))
    assert error.value.path == str(path)
    assert error.value.problem.startswith(
        "line 3, waivers.1.rule: SD-STEM: no rule of the run has that id (did you mean SD-STEN?"
    )
    (marked,), entries = apply_waivers([result_of("SD-STEN")], waivers[:1], dt.date(2026, 1, 1))
    assert marked.status is Status.PASSED and entries[0].state == "applied"
