import textwrap

import pytest

from trialguard.errors import SpecError
from trialguard.spec.loader import load_spec, rules_of_stage

HEADER = "id: t\nversion: '1'\ntitle: T\n"


def write(tmp_path, text, name="t.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def rule(**fields):
    base = {
        "id": "R-1",
        "kind": "age_range",
        "severity": "error",
        "description": "d",
        "source": "s",
        "params": "{min_age: 18}",
    }
    base.update(fields)
    return "  - " + "\n    ".join(f"{k}: {v}" for k, v in base.items()) + "\n"


def test_bundled_specs_load():
    spec = load_spec("resolution")
    ids = [r.rule.id for r in rules_of_stage(spec, "study")]
    assert "SD-CT" in ids and "RES-AGE" in ids and len(ids) == len(set(ids))
    assert spec.protocol.day0.extrt == "ALLO-329"
    assert load_spec("sdtm").protocol.day0 is None


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"kind": "no_such_kind"}, "unknown rule kind 'no_such_kind'"),
        ({"params": "{}"}, "min_age: missing"),
        ({"params": "{min_age: eighteen}"}, "min_age"),
        ({"params": "{min_age: 18, maximum: 70}"}, "maximum: unknown key"),
        ({"severity": "fatal"}, "severity"),
        ({"message": "'{AGE.__class__}'"}, "plain name"),
    ],
)
def test_malformed_rule_names_file_rule_and_problem(tmp_path, fields, problem):
    path = write(tmp_path, HEADER + "rules:\n" + rule(**fields))
    with pytest.raises(SpecError) as error:
        load_spec(path)
    text = str(error.value)
    assert "t.yaml" in text and "R-1" in text and problem in text


def test_parameter_errors_give_the_line(tmp_path):
    path = write(tmp_path, HEADER + "rules:\n" + rule(params="{min_age: x}"))
    with pytest.raises(SpecError, match=r"line \d+"):
        load_spec(path)


def test_duplicate_rule_id_is_refused(tmp_path):
    path = write(tmp_path, HEADER + "rules:\n" + rule() + rule())
    with pytest.raises(SpecError, match="R-1.*duplicate rule id"):
        load_spec(path)


@pytest.mark.parametrize(
    "text, problem",
    [("id: [unclosed", "not valid YAML"), ("- a\n- b\n", "YAML mapping"), ("", "YAML mapping")],
)
def test_not_a_spec_is_refused(tmp_path, text, problem):
    with pytest.raises(SpecError, match=problem):
        load_spec(write(tmp_path, text))


def test_unknown_spec_name_lists_the_bundled_ones():
    with pytest.raises(SpecError, match="resolution"):
        load_spec("no-such-trial")


def test_extends_merges_and_requires_override(tmp_path):
    write(tmp_path, HEADER.replace("id: t", "id: base") + "rules:\n" + rule(), name="base.yaml")
    child = HEADER + "extends: [base]\nrules:\n" + rule(params="{max_age: 65}")
    with pytest.raises(SpecError, match="override: true"):
        load_spec(write(tmp_path, child))
    child = HEADER + "extends: [base]\nrules:\n" + rule(params="{max_age: 65}", override="true")
    spec = load_spec(write(tmp_path, child))
    (loaded,) = rules_of_stage(spec, "study")
    assert loaded.params.min_age == 18 and loaded.params.max_age == 65
    assert loaded.origin == "base, overridden in t"


def test_override_without_base_is_refused(tmp_path):
    with pytest.raises(SpecError, match="no base spec"):
        load_spec(write(tmp_path, HEADER + "rules:\n" + rule(override="true")))


def test_extends_cycle_is_refused(tmp_path):
    write(tmp_path, HEADER.replace("id: t", "id: a") + "extends: [b]\n", name="a.yaml")
    write(tmp_path, HEADER.replace("id: t", "id: b") + "extends: [a]\n", name="b.yaml")
    with pytest.raises(SpecError, match="cycle"):
        load_spec(str(tmp_path / "a.yaml"))


def test_a_spec_name_matches_yaml_or_yml_in_any_case_in_the_specs_folder(tmp_path, monkeypatch):
    (tmp_path / "specs").mkdir()
    write(tmp_path / "specs", HEADER.replace("id: t", "id: trial") + "rules: []\n", "Trial.YML")
    monkeypatch.chdir(tmp_path)
    assert load_spec("trial").id == "trial" and load_spec("TRIAL").id == "trial"
    assert load_spec("Resolution").id == "resolution"  # bundled, in any case


def test_a_spec_may_extend_two_specs_that_share_a_base(tmp_path):
    spec = load_spec(write(tmp_path, HEADER + "extends: [cell-therapy, sdtm]\n"))
    ids = [r.rule.id for r in spec.rules]
    assert len(ids) == len(set(ids)) and "SD-REQ-VAR" in ids and "CT-INF-ONE" in ids


def test_requires_names_datasets_a_transfer_can_supply(tmp_path):
    spec = load_spec(write(tmp_path, HEADER + "requires: [dm, DLT]\n"))
    assert spec.requires == ("DM", "DL")
    with pytest.raises(SpecError, match="LB: a transfer can only supply DM, EX, AE, DL"):
        load_spec(write(tmp_path, HEADER + "requires: [DM, LB]\n", name="lb.yaml"))
