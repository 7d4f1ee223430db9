"""A spec's protocol facts (Day 0, DLT window, efficacy endpoints) as lines of text."""

from __future__ import annotations

from trialguard.spec.models import Endpoints, Instrument, Protocol


def protocol_lines(protocol: Protocol) -> list[str]:
    lines = []
    if protocol.day0 is not None:
        day0 = protocol.day0
        lines.append(f"Day 0: the EX record of {day0.extrt}{_assumed(day0.assumed)}")
    if protocol.dlt_window is not None:
        window = protocol.dlt_window
        lines.append(
            f"DLT window: Day {window.first_day} to Day {window.last_day}{_assumed(window.assumed)}"
        )
    if protocol.endpoints is not None:
        lines += _endpoint_lines(protocol.endpoints)
    return lines


def _endpoint_lines(endpoints: Endpoints) -> list[str]:
    visit, disease = endpoints.visit, endpoints.disease
    lines = [
        f"Disease: MH records of MHCAT = {disease.category}{_assumed(disease.assumed)}",
        f"Endpoint visit: {visit.name}, Day {visit.first_day} to Day {visit.last_day}"
        f"{_assumed(visit.assumed)}; baseline on or before Day {endpoints.baseline_last_day}",
    ]
    return lines + [_instrument_line(i) for i in endpoints.instruments]


def _instrument_line(instrument: Instrument) -> str:
    p, rule = instrument.dataset, instrument.responder
    measure = "improvement from baseline" if rule.measure == "improvement" else "score"
    return (
        f"  {instrument.disease}: {instrument.name} in {p} ({p}CAT {instrument.category}, "
        f"score {p}TESTCD {instrument.score}); responder {rule.testcd}: {measure} "
        f"{rule.operator} {rule.threshold:g}{_assumed(instrument.assumed)}"
    )


def _assumed(assumed: bool) -> str:
    return " [assumed]" if assumed else ""
