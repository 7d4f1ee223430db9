"""`export-gx`: one GX suite per dataset, loadable by GX, carrying each rule's metadata; the
same spec gives the same bytes; every rule not exported is in the manifest with its reason."""

from __future__ import annotations

import json

import great_expectations as gx
from conftest import CT_2025

from trialguard.cli import main
from trialguard.gx.export import MANIFEST, export_suites
from trialguard.spec.loader import load_spec
from trialguard.standards import DEFAULT_STANDARDS, export_standards


def exported(tmp_path, spec="resolution", **options):
    loaded = load_spec(spec)
    standards = export_standards(
        loaded.terminology.ct_release, options.pop("ig", None), options.pop("ct", None)
    )
    return loaded, export_suites(loaded, tmp_path, standards, **options)


def test_the_same_spec_exports_byte_identical_files(tmp_path):
    assert main(["export-gx", "--spec", "resolution", "--out", str(tmp_path / "a")]) == 0
    assert main(["export-gx", "--spec", "resolution", "--out", str(tmp_path / "b")]) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert first == second
    assert set(first) == {"dm.json", "ex.json", "ae.json", "dl.json", MANIFEST}


def test_each_suite_loads_in_gx_with_its_expectations_unchanged(tmp_path):
    _, written = exported(tmp_path)
    for name, path in written.suites.items():
        data = json.loads(path.read_text(encoding="utf-8"))
        suite = gx.ExpectationSuite(**data)
        assert len(suite.expectations) == len(data["expectations"]) > 0, name
        again = suite.to_json_dict()["expectations"]
        for original, loaded in zip(data["expectations"], again, strict=True):
            assert loaded["type"] == original["type"]
            assert loaded["kwargs"] == original["kwargs"]
            assert loaded["meta"] == original["meta"]
            assert loaded["severity"] == original["severity"]


def test_every_expectation_names_its_rule_kind_severity_and_spec(tmp_path):
    spec, written = exported(tmp_path)
    rules = {r.rule.id: r.rule for r in spec.rules}
    for path in written.suites.values():
        for expectation in json.loads(path.read_text())["expectations"]:
            meta = expectation["meta"]["trialguard"]
            rule = rules[meta["rule"]]
            assert (meta["kind"], meta["severity"]) == (rule.kind, rule.severity.value)
            assert meta["spec"] == {
                "id": "resolution",
                "version": spec.version,
                "sha256": spec.sha256,
            }
            assert "approximate" not in meta


def test_the_manifest_accounts_for_every_rule_of_the_spec(tmp_path):
    spec, written = exported(tmp_path)
    manifest = json.loads(written.manifest.read_text())
    exported_ids = [e["rule"] for e in manifest["exported"]]
    skipped = {e["rule"]: e["why"] for e in manifest["not_exported"]}
    assert sorted(exported_ids + list(skipped)) == sorted(r.rule.id for r in spec.rules)
    assert set(exported_ids) == {
        "SD-REQ-VAR", "SD-EXP-VAR", "SD-REQ-VAL", "SD-CT", "SD-CT-SUBSET", "SD-TEXT",
        "SD-DOMAIN", "SD-STUDYID", "SD-KEY", "SD-SUBJ", "CT-INF-IV", "RES-AGE",
    }  # fmt: skip
    assert "--approximate" in skipped["SD-DTC"] and "2025-02-30" in skipped["SD-DTC"]
    assert "--ct" in skipped["SD-CT-EXT"]
    assert skipped["RES-ESC"].startswith("no built-in GX expectation states it")
    assert "transfer stage" in skipped["TRANSFER-MANIFEST"]


def test_approximate_kinds_only_when_asked_and_marked_so(tmp_path):
    _, written = exported(tmp_path, approximate=True)
    approximate = {e["rule"]: e["approximate"] for e in written.exported if "approximate" in e}
    assert set(approximate) == {"SD-DTC", "SD-NUM", "SD-LEN"}
    ae = json.loads(written.suites["AE"].read_text())["expectations"]
    dates = [e for e in ae if e["meta"]["trialguard"]["rule"] == "SD-DTC"]
    assert {e["kwargs"]["column"] for e in dates} == {"AESTDTC", "AEENDTC"}
    assert all("2025-02-30" in e["meta"]["trialguard"]["approximate"] for e in dates)


def test_a_full_ct_release_exports_the_extensible_codelists_against_it(tmp_path):
    _, written = exported(tmp_path, ct=CT_2025)
    rules = {e["rule"] for e in written.exported}
    assert "SD-CT-EXT" in rules and "SD-CT-SUBSET" not in rules
    ex = json.loads(written.suites["EX"].read_text())["expectations"]
    route = next(
        e for e in ex
        if e["meta"]["trialguard"]["rule"] == "SD-CT-EXT" and e["kwargs"]["column"] == "EXROUTE"
    )  # fmt: skip
    assert len(route["kwargs"]["value_set"]) > 100  # the full ROUTE codelist, not the common terms
    assert "CDISC CT 2025-03-25" in json.loads(written.manifest.read_text())["ct"]


def test_an_sdtmig_3_2_export_leaves_out_what_3_2_does_not_have(tmp_path):
    _, written = exported(tmp_path, ig="3.2")
    dm = json.loads(written.suites["DM"].read_text())["expectations"]
    assert "ARMNRS" not in {e["kwargs"].get("column") for e in dm}
    skipped = {e["rule"]: e["why"] for e in written.not_exported}
    assert "SDTMIG 3.3, 3.4 only" in skipped["SD-SCRNFAIL"]


def test_sponsor_terms_of_the_spec_join_the_codelist(tmp_path):
    spec = load_spec("resolution")
    sponsor = spec.terminology.sponsor_terms
    assert sponsor, "the resolution spec declares sponsor terms (UNIT)"
    written = export_suites(spec, tmp_path, DEFAULT_STANDARDS)
    codelist, terms = next(iter(sponsor.items()))
    sets = [
        set(e["kwargs"]["value_set"])
        for path in written.suites.values()
        for e in json.loads(path.read_text())["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
        and isinstance(e["kwargs"]["value_set"], list)
    ]
    assert any(set(terms) <= s for s in sets), codelist


def test_export_needs_no_great_expectations(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, trialguard.cli as c; c.main(['export-gx', '--spec', 'resolution', '--out', "
        f"{str(tmp_path)!r}]); print('great_expectations' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
