"""The study's rules on several processes (`--jobs`): the same results as in one process, in
the same order; a worker that dies ends its rule in error without stopping the run."""

from __future__ import annotations

import dataclasses
import os
import pickle
import signal

import pytest
from conftest import PILOT, SAMPLES

from trialguard import parallel, parallel_worker
from trialguard.cli import main
from trialguard.errors import UsageError
from trialguard.findings import RuleInfo, RuleResult, Severity, Status
from trialguard.pipeline import validate
from trialguard.spec.loader import Spec, load_spec, rules_of_stage

TIMESTAMP = "2026-11-21T09:30:00Z"


@pytest.fixture(autouse=True)
def no_hang():
    """A run that hangs fails its test after a minute instead of stopping the suite."""

    def stop(signum, frame):
        raise TimeoutError("the run did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def forks(monkeypatch):
    """How many parallel runs were started (and with how many processes)."""
    started: list[int] = []
    original = parallel.run_rules_parallel

    def counted(rules, context, processes, *args, **kwargs):
        started.append(processes)
        return original(rules, context, processes, *args, **kwargs)

    monkeypatch.setattr(parallel, "run_rules_parallel", counted)
    return started


def outcome(report) -> list[tuple]:
    """Everything a run says of each rule, in order: status, reasons, notes, table, findings."""
    return [
        (
            r.rule.id,
            r.status,
            r.reason,
            r.excused,
            list(r.notes),
            r.table,
            [f.to_dict() for f in r.findings],
            [f.to_dict() for f in r.not_evaluable],
        )
        for r in report.results
    ]


def test_two_processes_give_the_one_process_results_on_the_pilot(forks):
    serial = validate(PILOT, "sdtm", jobs=1, timestamp=TIMESTAMP)
    assert forks == []
    both = validate(PILOT, "sdtm", jobs=2, timestamp=TIMESTAMP)
    assert forks == [2]
    assert sum(len(r.findings) for r in serial.results) > 100  # a study with findings to compare
    assert outcome(both) == outcome(serial)
    assert both.run_id == serial.run_id and both.verdict == serial.verdict


def test_three_processes_give_the_one_process_results_on_the_defects_sample(forks):
    serial = validate(SAMPLES / "defects", "resolution", jobs=1, timestamp=TIMESTAMP)
    three = validate(SAMPLES / "defects", "resolution", jobs=3, timestamp=TIMESTAMP)
    assert forks == [3]
    assert outcome(three) == outcome(serial)


def test_the_previous_transfer_is_checked_on_the_processes_too(forks):
    """Its findings, recomputed from its folder, mark each finding new or persisting."""
    given = {"previous": SAMPLES / "clean", "timestamp": TIMESTAMP}
    serial = validate(SAMPLES / "defects", "resolution", jobs=1, **given)
    both = validate(SAMPLES / "defects", "resolution", jobs=2, **given)
    assert forks == [2, 2]  # this transfer's rules, then the previous one's
    assert outcome(both) == outcome(serial)
    assert {f.history for f in both.findings()} == {"new", "persisting"}


def test_the_default_forks_for_a_large_study_only(forks, monkeypatch):
    validate(SAMPLES / "clean", "resolution")
    assert forks == []  # 16 subjects: one process
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    validate(SAMPLES / "clean", "resolution")
    assert forks == [2]


def test_the_default_starts_no_more_workers_than_the_free_memory_holds(forks, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "_meminfo_bytes", lambda field: 1024)
    validate(SAMPLES / "clean", "resolution")
    assert forks == []
    validate(SAMPLES / "clean", "resolution", jobs=2)  # asked for: as asked
    assert forks == [2]


def test_how_many_processes():
    large, small = parallel.MIN_RECORDS, parallel.MIN_RECORDS - 1
    assert parallel.processes_for(small, None, 100) == 1
    assert parallel.processes_for(large, None, 100) == parallel.cores()
    assert parallel.processes_for(small, 3, 100) == 3  # asked for: as many as asked
    assert parallel.processes_for(large, 8, 5) == 5  # never more than rules
    assert parallel.processes_for(large, 1, 100) == 1


def killer(parent: int):
    def check(context, params):
        if os.getpid() == parent:
            raise AssertionError("the rule ran in the parent process")
        os.kill(os.getpid(), signal.SIGKILL)

    return check


def with_killers(spec: Spec, rule_ids: set[str]) -> Spec:
    """The spec with these rules' checks replaced by one that kills its own process."""
    rules = tuple(
        dataclasses.replace(
            rule, check=dataclasses.replace(rule.check, function=killer(os.getpid()))
        )
        if rule.rule.id in rule_ids
        else rule
        for rule in spec.rules
    )
    return dataclasses.replace(spec, rules=rules)


def test_a_killed_worker_ends_its_rule_in_error_and_the_others_run():
    spec = load_spec("resolution")
    serial = validate(SAMPLES / "defects", spec, jobs=1, timestamp=TIMESTAMP)
    killed = validate(
        SAMPLES / "defects", with_killers(spec, {"RES-AGE"}), jobs=2, timestamp=TIMESTAMP
    )
    age = next(r for r in killed.results if r.rule.id == "RES-AGE")
    assert age.status is Status.ERROR and age.findings == []
    assert "killed (SIGKILL" in (age.reason or "") and "--jobs 1" in (age.reason or "")
    others = [o for o in outcome(killed) if o[0] != "RES-AGE"]
    assert others == [o for o in outcome(serial) if o[0] != "RES-AGE"]
    assert killed.verdict == "reject"  # a broken rule never lets a transfer pass


def test_every_worker_killed_still_ends(forks):
    spec = load_spec("resolution")
    ids = {"RES-AGE", "RES-DOSE", "RES-ESC", "CT-DLT-WIN", "SD-DY"}
    report = validate(SAMPLES / "clean", with_killers(spec, ids), jobs=2)
    statuses = {r.rule.id: r.status for r in report.results}
    assert {statuses[i] for i in ids} == {Status.ERROR}
    assert statuses["SD-DTC"] is Status.PASSED and forks == [2]


def test_a_refused_fork_runs_the_rules_in_this_process(monkeypatch):
    serial = validate(SAMPLES / "defects", "resolution", jobs=1, timestamp=TIMESTAMP)

    def refused(run):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "_start", refused)
    report = validate(SAMPLES / "defects", "resolution", jobs=2, timestamp=TIMESTAMP)
    assert outcome(report) == outcome(serial)
    assert any(
        "ran in one process" in n and "Resource temporarily unavailable" in n
        for n in report.notices
    )


def test_a_system_without_fork_runs_the_rules_in_one_process(forks, monkeypatch):
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    report = validate(SAMPLES / "clean", "resolution", jobs=2)
    assert forks == [] and report.verdict == "accept"
    assert f"the rules ran in one process: {parallel.NO_FORK}" in report.notices


def test_progress_counts_rules_as_they_finish():
    seen: list[tuple[int, int, str]] = []
    validate(SAMPLES / "clean", "resolution", jobs=2, progress=lambda *call: seen.append(call))
    study = [r.rule.id for r in rules_of_stage(load_spec("resolution"), "study")]
    total = len(study)
    assert [n for n, _, _ in seen] == list(range(1, total + 1))
    assert {t for _, t, _ in seen} == {total}
    assert sorted(i for _, _, i in seen) == sorted(study)


def test_a_result_that_cannot_be_pickled_comes_back_as_an_error():
    info = RuleInfo("T-1", "age_range", Severity.ERROR, "test", "test")
    sent = RuleResult(info, Status.PASSED, notes=[lambda: "not a text"])  # type: ignore[list-item]
    number, result = pickle.loads(parallel_worker.pickled(7, sent))
    assert number == 7 and result.status is Status.ERROR
    assert "could not be passed back" in result.reason


@pytest.mark.parametrize("jobs", ["0", "-1", "abc", "1.5", ""])
def test_a_bad_jobs_option_is_refused(jobs, capsys):
    code = main(["validate", str(SAMPLES / "clean"), "--spec", "resolution", "--jobs", jobs])
    assert code == 2
    error = capsys.readouterr().err
    assert "--jobs" in error and repr(jobs) in error and "Traceback" not in error


@pytest.mark.parametrize("jobs", [0, -2, True, "many"])
def test_a_bad_jobs_value_is_refused_by_validate(jobs):
    with pytest.raises(UsageError, match="--jobs"):
        validate(SAMPLES / "clean", "resolution", jobs=jobs)
