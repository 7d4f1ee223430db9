"""The registry, the rule kinds page of the docs and the bundled specs agree."""

import re

from conftest import ROOT

from trialguard.validators.catalogue import all_kinds

RULE_KINDS_PAGE = ROOT / "docs" / "rule-kinds.md"


def test_the_docs_list_every_registered_kind_and_no_other():
    table = RULE_KINDS_PAGE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))
    assert listed == set(all_kinds())


def test_the_docs_list_the_parameters_of_every_kind():
    page = RULE_KINDS_PAGE.read_text(encoding="utf-8")
    for kind, entry in all_kinds().items():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{kind}` |"))
        for name in entry.params.model_fields:
            assert f"`{name}`" in row, (kind, name)


def test_every_kind_has_a_module_and_function_of_its_name():
    for kind, entry in all_kinds().items():
        assert entry.function.__name__ == f"check_{kind}"
        assert entry.function.__module__.rsplit(".", 1)[1] == kind


def test_every_check_function_is_annotated_with_its_context_params_and_outcome():
    import typing

    for kind, entry in all_kinds().items():
        hints = typing.get_type_hints(entry.function)
        assert hints["params"] is entry.params, kind
        assert hints["return"].__name__ == "Outcome", kind
        expected = "StudyContext" if entry.stage == "study" else "TransferContext"
        assert hints["context"].__name__ == expected, kind


def test_trialguard_rules_lists_the_transfer_and_waiver_rules():
    from trialguard.spec.loader import load_spec

    spec = load_spec("resolution")
    later = {r.rule.id: r.check.stage for r in spec.rules if r.check.stage != "study"}
    assert later == {
        "TRANSFER-MANIFEST": "transfer",
        "TRANSFER-REMOVED-SUBJECT": "transfer",
        "TRANSFER-REMOVED-RECORD": "transfer",
        "WAIVER-EXPIRED": "waivers",
        "WAIVER-UNUSED": "waivers",
    }
