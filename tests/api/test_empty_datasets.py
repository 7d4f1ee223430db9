"""A dataset with its variables and no record never breaks a check: every rule of every trial
passes, fails or says why it did not run, whichever datasets of the sample are empty."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_DATA, TRIALS

from trialguard.pipeline import validate_study
from trialguard.readers.study import read_study
from trialguard.spec.loader import load_spec

DATASETS = ("DM", "EX", "AE", "DL")


def emptied(trial: str, names: tuple[str, ...]):
    study = read_study([SAMPLE_DATA / trial / "defects"])
    for name in names:
        dataset = study.datasets[name]
        dataset.frame = dataset.frame.iloc[:0]
    return study


@pytest.mark.parametrize("trial", TRIALS)
@pytest.mark.parametrize("names", [(n,) for n in DATASETS] + [DATASETS], ids=str)
def test_no_rule_breaks_on_a_dataset_without_records(trial, names):
    report = validate_study(emptied(trial, names), load_spec(trial))
    broken = {r.rule.id: r.reason for r in report.results if r.status == "error"}
    assert broken == {}
    assert [i.records for i in report.inputs if i.dataset in names] == [0] * len(names)
