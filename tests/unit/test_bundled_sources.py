"""Bundled specs cite the trials' documents, never the project's own files."""

from __future__ import annotations

import re

import pytest

from trialguard.spec.catalogue import bundled_specs
from trialguard.spec.loader import load_spec
from trialguard.spec.models import SpecFile

INTERNAL = [
    re.compile(r"protocols\.md", re.I),
    re.compile(r"\bseeds?\s*\d", re.I),  # "seed 001", "seeds 000, 001"
    re.compile(r"\b[\w-]+\.(?:md|txt|ya?ml|py|json|csv|xpt)\b", re.I),  # a file name
    re.compile(r"(?:^|\s)(?:\.{0,2}/|~/)?(?:[\w.-]+/)+[\w.-]+\.\w+"),  # a path with folders
]
TRIALS = {
    "resolution": "NCT07085104",
    "wu-cart-007": "NCT04984356",
    "ab-101": "NCT06991114",
}


def protocol_texts(spec: SpecFile) -> list[str]:
    protocol = spec.protocol
    texts = [v.source for v in (protocol.day0, protocol.dlt_window) if v is not None]
    if protocol.endpoints is not None:
        endpoints = protocol.endpoints
        parts = [endpoints.disease, endpoints.visit, *endpoints.instruments]
        texts += [part.source for part in parts]
    return texts


def spec_texts(spec: SpecFile) -> list[str]:
    texts = protocol_texts(spec)
    for rule in spec.rules:
        texts += [rule.source] + ([rule.assumption] if rule.assumption else [])
    return texts


@pytest.mark.parametrize("spec", bundled_specs(), ids=lambda s: s.id)
def test_no_source_or_note_names_an_internal_file(spec):
    named = [(t, p.pattern) for t in spec_texts(spec) for p in INTERNAL if p.search(t)]
    assert named == []


@pytest.mark.parametrize("spec_id", [s.id for s in bundled_specs()])
def test_no_loaded_rule_names_an_internal_file(spec_id):
    for loaded in load_spec(spec_id).rules:
        for text in (loaded.rule.source, loaded.rule.assumption or ""):
            assert not any(p.search(text) for p in INTERNAL), (loaded.rule.id, text)


@pytest.mark.parametrize("spec_id, registry_id", TRIALS.items())
def test_the_trial_is_cited_by_its_registry_id(spec_id, registry_id):
    spec = load_spec(spec_id)
    assert registry_id in spec.protocol.day0.source


@pytest.mark.parametrize(
    "text",
    ["protocols.md §1", "seed 001: adults", "seeds 000, 001", "see shared/protocols.md", "x.yaml"],
)
def test_the_patterns_catch_internal_names(text):
    assert any(p.search(text) for p in INTERNAL)


@pytest.mark.parametrize(
    "text", ["ACR/EULAR criteria", "MTD and/or MAD", "10^6 cells/kg", "SDTMIG 3.4 §4.1.5"]
)
def test_the_patterns_spare_ordinary_citations(text):
    assert not any(p.search(text) for p in INTERNAL)
