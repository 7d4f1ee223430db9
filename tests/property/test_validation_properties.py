"""Property tests of whole validations on generated studies, clean and mutated.

The clean generator is the sample-data generator (sample_data/studies.py) with
hypothesis choosing the trial, the first Day 0 and each treated subject's
mild adverse events; its output must always validate clean against the
trial's spec.  Mutations then break it the way hand edits do (text in any
cell, a blanked value, a dropped variable, a repeated or deleted record): the
validation must always complete, no check may break, and every finding must
point at a record that exists, with that record's USUBJID.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sample_data"))

from conftest import sample_ig_gaps  # noqa: E402
from generate import NUMERIC  # noqa: E402
from studies import MILD, TRIALS, make_study, with_changes  # noqa: E402

from trialguard.findings import Status  # noqa: E402
from trialguard.pipeline import validate_study  # noqa: E402
from trialguard.readers.dataset import Dataset, blank_to_missing, number_records  # noqa: E402
from trialguard.readers.study import Study  # noqa: E402
from trialguard.spec.loader import load_spec  # noqa: E402

# 10 examples per trial and strategy (40 per strategy, new ones each run): each is a whole
# validation, and the suite keeps to its 10-minute budget on 2 cores.
EXAMPLES = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.slow
NAMES = {"dm": "DM", "ex": "EX", "ae": "AE", "dl": "DL", "suppae": "SUPPAE", "pr": "PR"}
SPECS = {trial.key: load_spec(trial.key) for trial in TRIALS}


@st.composite
def clean_studies(draw, trial) -> tuple[str, dict[str, pd.DataFrame]]:
    first_day0 = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)))
    treated = [s.index for s in with_changes(trial, first_day0=first_day0).subjects() if s.treated]
    plan = {}
    for index in draw(st.lists(st.sampled_from(treated), unique=True, max_size=6)):
        if index in trial.dlt_subjects or index in trial.ae_plan:
            continue
        # distinct events: two identical AEs of a subject are a repeated record (SD-REPEAT)
        events = draw(st.lists(mild_events(), min_size=1, max_size=3, unique=True))
        plan[index] = events
    changed = with_changes(trial, first_day0=first_day0, ae_plan={**trial.ae_plan, **plan})
    return trial.key, make_study(changed)


def mild_events():
    return st.builds(
        lambda kind, grade, onset, length: (*kind, grade, "N", onset, length),
        st.sampled_from(MILD),
        st.sampled_from(["1", "2"]),
        st.integers(min_value=1, max_value=60),
        st.integers(min_value=0, max_value=10),
    )


def as_study(frames: dict[str, pd.DataFrame]) -> Study:
    datasets = {}
    for key, frame in frames.items():
        name = NAMES.get(key, key.upper())
        # an empty generated dataset stores its SDTMIG Num variables as numbers, as SAS does
        numeric = frozenset(
            c
            for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) or (frame.empty and c in NUMERIC)
        )
        table = number_records(blank_to_missing(frame.reset_index(drop=True)))
        datasets[name] = Dataset(name, Path(f"{key}.xpt"), "xpt", table, "0", numeric=numeric)
    return Study(datasets)


@pytest.mark.parametrize("trial", TRIALS, ids=lambda t: t.key)
@EXAMPLES
@given(data=st.data())
def test_the_clean_generator_always_validates_clean(trial, data):
    trial, frames = data.draw(clean_studies(trial))
    report = validate_study(as_study(frames), SPECS[trial])
    found = {(f.rule_id, f.variables) for f in report.findings()}
    assert found == sample_ig_gaps(trial) and report.not_evaluable() == []
    study_rules = [r for r in report.study_results() if r.rule.id != "SD-CT-EXT"]  # needs --ct
    gaps = {rule for rule, _ in found}
    # not applicable to these studies: variables, a define.xml, TS or trial design they lack
    ran = [r for r in study_rules if r.excused is None and r.rule.id not in gaps]
    assert {r.status for r in ran} == {Status.PASSED}
    assert report.verdict == "accept"


HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "NA", "-1", "1e309", "2025-02-30", "01/02/2025", "45658", "Y"]),
    st.sampled_from(["<script>", "=1+1", "{{ x }}", "\u202e", "\x00", "9" * 400]),
)


@st.composite
def mutated_studies(draw, trial):
    trial, frames = draw(clean_studies(trial))
    frames = {k: f.astype(object) for k, f in frames.items()}
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        key = draw(st.sampled_from(sorted(frames)))
        frames[key] = draw(mutation(frames[key]))
    return trial, frames


def mutation(frame: pd.DataFrame):
    columns = list(frame.columns)
    rows = len(frame)
    options = [st.just(frame)]
    if columns:
        options.append(st.sampled_from(columns).map(lambda c: frame.drop(columns=[c])))
    if rows and columns:
        cells = st.tuples(
            st.integers(0, rows - 1), st.sampled_from(columns), st.one_of(HOSTILE_TEXT, st.none())
        )
        options.append(cells.map(lambda cell: _set(frame, *cell)))
        options.append(st.integers(0, rows - 1).map(lambda r: _repeat(frame, r)))
        options.append(st.integers(0, rows - 1).map(lambda r: frame.drop(index=frame.index[r])))
    return st.one_of(options)


def _set(frame: pd.DataFrame, row: int, column: str, value) -> pd.DataFrame:
    changed = frame.copy()
    changed.iloc[row, changed.columns.get_loc(column)] = value
    return changed


def _repeat(frame: pd.DataFrame, row: int) -> pd.DataFrame:
    return pd.concat([frame, frame.iloc[[row]]], ignore_index=True)


@pytest.mark.parametrize("trial", TRIALS, ids=lambda t: t.key)
@EXAMPLES
@given(data=st.data())
def test_mutated_studies_always_complete_and_findings_point_at_real_records(trial, data):
    trial, frames = data.draw(mutated_studies(trial))
    study = as_study(frames)
    report = validate_study(study, SPECS[trial])
    broken = [(r.rule.id, r.reason) for r in report.results if r.status is Status.ERROR]
    assert broken == []
    for finding in report.findings() + report.not_evaluable():
        if finding.record is None:
            continue
        frame = study.datasets[finding.domain].frame
        assert 1 <= finding.record <= len(frame), finding
        if "USUBJID" in frame.columns:
            recorded = frame.loc[finding.record, "USUBJID"]
            assert finding.usubjid == (None if pd.isna(recorded) else str(recorded)), finding
