"""Runs the study's rules on several processes at once (`--jobs`), for a study large enough to
pay for them.

The worker processes are forked once the study is read: each sees the datasets the parent read
(shared copy-on-write), so only a rule's number goes to a worker and only the rule's result
comes back (`trialguard.parallel_worker`).  A worker runs whole rules, taking the next one as it
finishes one, of the same family of checks while there is one (`RuleQueue`); the results are
put back in the rules' order and are the ones `trialguard.runner.run_rules` gives.  Each worker
keeps its own cache of the study's derived columns (`StudyContext`), computed on first use as
in one process.  A worker that dies (killed, out of memory) ends its rule in error, saying so,
and a new worker takes the rules still to run; when the system refuses to start one, the rules
left run in this process and the report says so.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from trialguard.findings import RuleResult, Status
from trialguard.options import MIN_RECORDS
from trialguard.parallel_worker import serve
from trialguard.runner import EVERY_RULE, Progress, rule_info, run_rule, run_rules
from trialguard.selection import RuleSelection
from trialguard.spec.loader import LoadedRule
from trialguard.validators.context import StudyContext

NO_FORK = "this system cannot fork worker processes (--jobs)"


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes_for(records: int, jobs: int | None, rules: int) -> int:
    """How many processes run `rules` rules on a study of `records` records: `jobs` when
    given, else every core for a large study and one for a small one; never more than rules."""
    wanted = jobs if jobs is not None else cores() if records >= MIN_RECORDS else 1
    return max(1, min(wanted, rules))


def affordable() -> int:
    """How many workers the free memory holds, each counted at what this process holds now:
    a worker's own tables reach about 0.8 of it (measured on a 1,151,006-record study)."""
    free, held = _meminfo_bytes("MemAvailable"), _resident_bytes()
    return max(1, free // held) if free and held else 2**31


def _meminfo_bytes(field: str) -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            lines = [line.split() for line in meminfo if line.startswith(f"{field}:")]
    except OSError:  # not on Linux
        return None
    return int(lines[0][1]) * 1024 if lines else None


def _resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not on Linux
        return None


def run_study_rules(
    rules: Sequence[LoadedRule],
    context: StudyContext,
    selection: RuleSelection = EVERY_RULE,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> list[RuleResult]:
    """The study stage's rules, on as many processes as `processes_for` says (by default, no
    more than the free memory holds)."""
    records = sum(dataset.records for dataset in context.study.datasets.values())
    processes = processes_for(records, jobs, len(rules))
    if jobs is None:
        processes = min(processes, affordable())
    if processes > 1 and "fork" not in multiprocessing.get_all_start_methods():
        context.study.notices.append(f"the rules ran in one process: {NO_FORK}")
        processes = 1
    if processes == 1:
        return run_rules(rules, context, selection, progress)
    return run_rules_parallel(rules, context, processes, selection, progress)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    rule: int | None = None  # the number of the rule it runs now
    family: str | None = None  # the category of the checks it ran last


class RuleQueue:
    """The rules still to run, by family (their checks' category): a worker keeps to one
    family while it has rules, since its rules share the derived tables (the pandera
    conformance tables above all) the worker has cached; workers start on different ones."""

    def __init__(self, rules: Sequence[LoadedRule]) -> None:
        self.waiting: dict[str, deque[int]] = {}
        for number, rule in enumerate(rules):
            self.waiting.setdefault(rule.check.category, deque()).append(number)

    def __bool__(self) -> bool:
        return any(self.waiting.values())

    def take(self, family: str | None, others: set[str | None]) -> tuple[int, str] | None:
        """The next rule (and its family) for a worker last on `family`, while other workers
        are on `others`: of its own family, else of the largest family no other is on."""
        left = {name: queue for name, queue in self.waiting.items() if queue}
        if not left:
            return None
        if family not in left:
            family = max(left, key=lambda name: (name not in others, len(left[name])))
        return left[family].popleft(), family


@dataclass
class _Run:
    """The rules of one parallel run, what each worker does and what came back."""

    rules: Sequence[LoadedRule]
    context: StudyContext
    selection: RuleSelection
    progress: Progress | None
    waiting: RuleQueue
    results: dict[int, RuleResult]
    workers: list[_Worker]
    refused: str = ""  # why the system refused the last worker process, if it did


def run_rules_parallel(
    rules: Sequence[LoadedRule],
    context: StudyContext,
    processes: int,
    selection: RuleSelection = EVERY_RULE,
    progress: Progress | None = None,
) -> list[RuleResult]:
    """Every rule on `context`, on `processes` forked workers; results in the rules' order."""
    run = _Run(rules, context, selection, progress, RuleQueue(rules), {}, [])
    gc.freeze()  # a worker's garbage collection must not write to (so copy) the parent's pages
    try:
        for _ in range(processes):
            _add_worker(run)
        while len(run.results) < len(rules):
            if any(worker.rule is not None for worker in run.workers):
                _collect(run)
            else:  # no worker could be started
                _run_here(run)
    finally:
        _stop(run.workers)
        gc.unfreeze()
    return [run.results[number] for number in range(len(rules))]


def _add_worker(run: _Run) -> None:
    """A new worker, given the next rule; when the system refuses the process, the workers
    there are run the rules left (or, with none, this process does)."""
    try:
        worker = _start(run)
    except OSError as error:
        run.refused = f"{type(error).__name__}: {error}"
        return
    _hand_out(run, worker)


def _start(run: _Run) -> _Worker:
    fork = multiprocessing.get_context("fork")
    ours, theirs = fork.Pipe()
    others = [worker.conn for worker in run.workers]
    process = fork.Process(
        target=serve,
        args=(theirs, others, run.rules, run.context, run.selection),
        name="trialguard-rules",
        daemon=True,
    )
    try:
        process.start()
    finally:
        theirs.close()  # the worker's end: once the worker is gone, reading ours ends at once
    worker = _Worker(process, ours)
    run.workers.append(worker)
    return worker


def _hand_out(run: _Run, worker: _Worker) -> None:
    """The next rule to an idle worker, if a rule is left."""
    others = {other.family for other in run.workers if other is not worker}
    taken = run.waiting.take(worker.family, others)
    worker.rule = None if taken is None else taken[0]
    if taken is None:
        return
    worker.family = taken[1]
    # a worker that died after its last rule is found dead, with this rule, by the next wait
    with contextlib.suppress(OSError):
        worker.conn.send(worker.rule)


def _collect(run: _Run) -> None:
    """Wait for a worker to finish its rule or die, then take what it gave back."""
    busy = [worker for worker in run.workers if worker.rule is not None]
    ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
    for worker in busy:
        if worker.conn in ready:
            _receive(run, worker)
        elif worker.process.sentinel in ready:
            _buried(run, worker)


def _receive(run: _Run, worker: _Worker) -> None:
    try:
        number, result = pickle.loads(worker.conn.recv_bytes())  # as the worker's `pickled` made it
    except (EOFError, OSError):  # it died before or while sending
        _buried(run, worker)
        return
    _finished(run, number, result)
    _hand_out(run, worker)


def _buried(run: _Run, worker: _Worker) -> None:
    """A worker that died: its rule ends in error; a new worker takes the rules left."""
    assert worker.rule is not None
    worker.process.join()
    worker.conn.close()
    run.workers.remove(worker)
    _finished(run, worker.rule, died(run.rules[worker.rule], worker.process.exitcode))
    if run.waiting:
        _add_worker(run)


def _run_here(run: _Run) -> None:
    """The rules left, in this process: no worker process could be started."""
    run.context.study.notices.append(
        f"the rules ran in one process: the system refused a worker process ({run.refused})"
    )
    while (taken := run.waiting.take(None, set())) is not None:
        number = taken[0]
        _finished(run, number, run_rule(run.rules[number], run.context, run.selection))


def _finished(run: _Run, number: int, result: RuleResult) -> None:
    run.results[number] = result
    if run.progress:
        run.progress(len(run.results), len(run.rules), run.rules[number].rule.id)


def died(rule: LoadedRule, exitcode: int | None) -> RuleResult:
    """The result of a rule whose worker process stopped before giving it back."""
    if exitcode is not None and exitcode < 0:
        how = f"was killed ({signal.Signals(-exitcode).name}"
        how += ", as the system does when memory runs out)" if exitcode == -9 else ")"
    else:
        how = f"exited with code {exitcode}"
    reason = (
        f"the process running this rule {how} before the rule finished; the other rules ran "
        "(run with --jobs 1 to run every rule in one process)"
    )
    return RuleResult(rule_info(rule), Status.ERROR, reason=reason)


def _stop(workers: list[_Worker]) -> None:
    """Idle workers are told to stop; one still running a rule (the run was interrupted) is
    terminated."""
    for worker in workers:
        if worker.rule is None and worker.process.is_alive():
            with contextlib.suppress(OSError):  # it is gone already
                worker.conn.send(None)
        else:
            worker.process.terminate()
    for worker in workers:
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
