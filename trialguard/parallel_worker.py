"""The worker side of `trialguard.parallel`: a forked process that runs the rules whose numbers
come in on its pipe and sends each result back, pickled."""

from __future__ import annotations

import pickle
import signal
from collections.abc import Sequence
from multiprocessing.connection import Connection

from trialguard.findings import RuleResult, Status
from trialguard.runner import run_rule
from trialguard.selection import RuleSelection
from trialguard.spec.loader import LoadedRule
from trialguard.validators.context import StudyContext


def serve(
    conn: Connection,
    others: list[Connection],
    rules: Sequence[LoadedRule],
    context: StudyContext,
    selection: RuleSelection,
) -> None:
    """A worker: run each rule whose number comes in and send its result back, until told to
    stop (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C the parent stops its workers
    for other in others:  # the other workers' pipes, inherited: they must see their own ends
        other.close()
    while (number := _next_rule(conn)) is not None:
        result = run_rule(rules[number], context, selection)
        try:
            conn.send_bytes(pickled(number, result))
        except OSError:  # the parent is gone
            return


def _next_rule(conn: Connection) -> int | None:
    try:
        number = conn.recv()
    except (EOFError, OSError):  # the parent is gone
        return None
    return number if isinstance(number, int) else None


def pickled(number: int, result: RuleResult) -> bytes:
    """The rule's number and result as they go back; an error in place of a result that
    cannot be pickled."""
    try:
        return pickle.dumps((number, result), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a result that cannot cross the pipe must not stop the run
        reason = f"its result could not be passed back from its process ({_named(exc)})"
        error = RuleResult(result.rule, Status.ERROR, reason=reason)
        return pickle.dumps((number, error), protocol=pickle.HIGHEST_PROTOCOL)


def _named(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
