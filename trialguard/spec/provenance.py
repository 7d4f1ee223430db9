"""Where a rule's source and assumed note come from: the spec that set the values in effect.

A rule's own `source`, `assumed` and `assumption` describe the rule and its parameters.  An
override that sets parameters (or says `assumed` / `assumption`) states them afresh; one that
only changes, say, the severity keeps the base's note.  A rule that also reads a protocol value
(the DLT window, the efficacy endpoints) rests on that value as well: it is assumed when the
value is, and when a spec later in the chain than the rule's own sets the value, that spec's
source is added to the rule's, so a report cites where the value in effect comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trialguard.spec.models import Endpoints, Protocol, Rule, Window

# The protocol values each check kind reads, beyond Day 0 (which nearly every check reads).
READS: dict[str, tuple[str, ...]] = {
    "dlt_window": ("dlt_window",),
    "unreported_dlt": ("dlt_window",),
    "escalation_3plus3": ("dlt_window",),  # a cohort completes its DLT window before the next
    "primary_diagnosis": ("endpoints",),
    "endpoint_assessed": ("endpoints",),
    "endpoint_values": ("endpoints",),
    "endpoint_responder": ("endpoints",),
    "das28_recomputed": ("endpoints",),
}


@dataclass(frozen=True)
class ValueSource:
    """One protocol value as set by a spec of the chain."""

    label: str  # e.g. "DLT window Day 0 to Day 28"
    source: str
    note: str  # what of it is assumed, "" when nothing is
    set_at: int  # position in the chain (bases first) of the spec that set it


def restates_provenance(override: Rule) -> bool:
    """An override that sets parameters or says `assumed`/`assumption` replaces the base's
    assumed note (the note was about the base's values)."""
    return bool(override.params) or bool({"assumed", "assumption"} & override.model_fields_set)


def protocol_sources(protocols: Sequence[Protocol]) -> dict[str, ValueSource]:
    """The DLT window and endpoints in effect, each with the position of the spec setting it."""
    values: dict[str, ValueSource] = {}
    for at, protocol in enumerate(protocols):
        if protocol.dlt_window is not None:
            values["dlt_window"] = _window_source(protocol.dlt_window, at)
        if protocol.endpoints is not None:
            values["endpoints"] = _endpoints_source(protocol.endpoints, at)
    return values


def with_protocol_sources(
    rule: Rule, kind: str, own_at: int, values: dict[str, ValueSource]
) -> Rule:
    """The rule with the provenance of the protocol values its kind reads folded in."""
    read = [values[key] for key in READS.get(kind, ()) if key in values]
    later = [value for value in read if value.set_at > own_at]
    notes = [value.note for value in read if value.note]
    if not later and not notes:
        return rule
    own_note = [_sentence(rule.assumption)] if rule.assumed and rule.assumption else []
    return rule.model_copy(
        update={
            "source": "; ".join([rule.source] + [f"{v.label}: {v.source}" for v in later]),
            "assumed": rule.assumed or bool(notes),
            "assumption": " ".join(own_note + notes) or None,
        }
    )


def _window_source(window: Window, at: int) -> ValueSource:
    label = f"DLT window Day {window.first_day} to Day {window.last_day}"
    note = _sentence(f"The {label} is assumed: {window.source}") if window.assumed else ""
    return ValueSource(label, window.source, note, at)


def _endpoints_source(endpoints: Endpoints, at: int) -> ValueSource:
    disease, visit, instruments = endpoints.disease, endpoints.visit, endpoints.instruments
    assumed = []
    if disease.assumed:
        assumed.append(f"the disease is the MH record with MHCAT = {disease.category}")
    if visit.assumed:
        assumed.append(f"{visit.name} is Day {visit.first_day} to Day {visit.last_day}")
    if names := [i.name for i in instruments if i.assumed]:
        assumed.append(f"the records of {', '.join(names)} (their --CAT and test codes)")
    note = f"Assumed conventions of the efficacy endpoint: {'; '.join(assumed)}." if assumed else ""
    sources = [disease.source, visit.source, *(i.source for i in instruments)]
    return ValueSource("efficacy endpoints", "; ".join(dict.fromkeys(sources)), note, at)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."
