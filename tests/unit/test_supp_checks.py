"""SUPP-- records against their parent: supp_parent and supp_qnam_unique."""

from conftest import STUDY, check, dataset, hits, make_ae, make_dm, subject


def supp(name: str, *rows: dict):
    base = {"STUDYID": STUDY, "RDOMAIN": name[4:], "QLABEL": "Flag", "QVAL": "Y", "QORIG": "CRF"}
    return dataset(name, [base | row for row in rows])


def qualifier(n: int, idvar: str = "AESEQ", value: str = "1", qnam: str = "AETRTEM") -> dict:
    return {"USUBJID": subject(n), "IDVAR": idvar, "IDVARVAL": value, "QNAM": qnam}


def test_supp_parent_passes_records_that_point_at_a_parent_record():
    ae = make_ae({"USUBJID": subject(1)}, {"USUBJID": subject(1)})
    suppae = supp("SUPPAE", qualifier(1, value="1"), qualifier(1, value="2.0"))
    suppdm = supp("SUPPDM", {"USUBJID": subject(1), "IDVAR": "", "IDVARVAL": "", "QNAM": "X"})
    dm = make_dm({"USUBJID": subject(1)})
    assert check("supp_parent", dm, ae, suppae, suppdm).status == "passed"


def test_supp_parent_names_each_kind_of_broken_pointer():
    ae = make_ae({"USUBJID": subject(1)})
    suppae = supp(
        "SUPPAE",
        qualifier(1, value="1"),
        qualifier(2, value="1"),  # no AE record of subject 2
        qualifier(1, idvar="AEXYZ"),  # no such AE variable
        qualifier(1, value="7"),  # no AE record with AESEQ 7
        qualifier(1) | {"RDOMAIN": "CM"},  # SUPPAE's RDOMAIN must be AE
    )
    result = check("supp_parent", ae, suppae)
    assert hits(result) == [("SUPPAE", r, subject(2 if r == 2 else 1)) for r in (2, 3, 4, 5)]
    problems = {f.record: f.message for f in result.findings}
    assert problems[2].endswith("USUBJID has no AE record")
    assert problems[3].endswith("IDVAR is not a variable of AE")
    assert problems[4].endswith("no AE record of the subject has IDVAR = IDVARVAL")
    assert problems[5].endswith("RDOMAIN is not AE")


def test_supp_parent_without_its_parent_dataset_flags_every_record():
    result = check("supp_parent", make_dm({"USUBJID": subject(1)}), supp("SUPPAE", qualifier(1)))
    assert [f.message for f in result.findings] == [
        "SUPPAE record points at no parent record: the parent dataset AE is not in the transfer"
    ]


def test_supp_parent_compares_a_text_idvar_as_text():
    ae = make_ae({"USUBJID": subject(1), "AESPID": "E04"})
    ok, wrong = qualifier(1, idvar="AESPID", value="E04"), qualifier(1, idvar="AESPID", value="E4")
    assert hits(check("supp_parent", ae, supp("SUPPAE", ok, wrong))) == [("SUPPAE", 2, subject(1))]


def test_supp_parent_does_not_run_without_a_supp_dataset():
    result = check("supp_parent", make_dm({"USUBJID": subject(1)}))
    assert (result.status, result.reason) == ("not_run", "no SUPP-- dataset supplied")


def test_supp_qnam_unique_flags_every_copy_of_a_repeated_qualifier():
    suppae = supp(
        "SUPPAE",
        qualifier(1, value="1"),
        qualifier(1, value="1"),
        qualifier(1, value="2"),
        qualifier(1, value="1", qnam="AEOTHER"),
    )
    assert hits(check("supp_qnam_unique", suppae)) == [
        ("SUPPAE", 1, subject(1)),
        ("SUPPAE", 2, subject(1)),
    ]


def test_conformance_metadata_lists_a_dataset_trialguard_cannot_check():
    ta = dataset("TA", [{"STUDYID": STUDY, "DOMAIN": "TA", "ARMCD": "A"}] * 3)
    result = check("conformance_metadata", make_dm({"USUBJID": subject(1)}), ta, supp("SUPPDM"))
    assert [f.message for f in result.findings] == [
        "no conformance metadata for TA: its 3 records were read and counted, and no "
        "conformance rule checked them"
    ]


def test_an_unreadable_supp_dataset_leaves_the_rule_not_run_saying_so():
    from trialguard.readers.study import Unreadable

    result = check("supp_parent", make_dm({"USUBJID": subject(1)}), unreadable=[
        Unreadable("SUPPAE", "suppae.xpt", "not an XPT file")])  # fmt: skip
    assert result.status == "not_run" and "SUPPAE could not be read" in result.reason


def test_supp_qnam_unique_compares_a_numeric_idvarval_as_a_number():
    suppae = supp("SUPPAE", qualifier(1, value="1"), qualifier(1, value="01"))
    assert hits(check("supp_qnam_unique", suppae)) == [
        ("SUPPAE", 1, subject(1)),
        ("SUPPAE", 2, subject(1)),
    ]


def test_an_empty_or_missing_rdomain_is_a_finding_and_the_other_datasets_are_checked():
    ae = make_ae({"USUBJID": subject(1)})
    suppqual = supp("SUPPQUAL", qualifier(1) | {"RDOMAIN": ""}, qualifier(1) | {"RDOMAIN": "AE"})
    suppae = supp("SUPPAE", qualifier(1, value="9"))
    suppae.frame = suppae.frame.drop(columns=["RDOMAIN"])
    suppdm = supp("SUPPDM", {"USUBJID": subject(1), "IDVAR": "", "IDVARVAL": "", "QNAM": "X"})
    result = check("supp_parent", ae, suppqual, suppae, suppdm)  # SUPPDM: no DM
    assert hits(result) == [
        ("SUPPAE", 1, subject(1)),
        ("SUPPDM", 1, subject(1)),
        ("SUPPQUAL", 1, subject(1)),
    ]
    problems = {f.domain: f.message for f in result.findings}
    assert problems["SUPPQUAL"].endswith("RDOMAIN is empty, so the parent dataset is not named")
    assert problems["SUPPAE"].endswith("RDOMAIN is empty, so the parent dataset is not named")
    assert problems["SUPPDM"].endswith("the parent dataset DM is not in the transfer")


def test_supp_qnam_unique_checks_the_datasets_that_have_qnam_and_names_the_others():
    suppae = supp("SUPPAE", qualifier(1), qualifier(1))
    suppdm = supp("SUPPDM", {"USUBJID": subject(1), "IDVAR": "", "IDVARVAL": ""})
    suppdm.frame = suppdm.frame.drop(columns=["QNAM"], errors="ignore")
    result = check("supp_qnam_unique", suppae, suppdm)
    assert hits(result) == [("SUPPAE", 1, subject(1)), ("SUPPAE", 2, subject(1))]
    assert result.notes == ["not checked: SUPPDM lacks QNAM"]
    alone = check("supp_qnam_unique", suppdm)
    assert (alone.status, alone.reason) == ("not_run", "SUPPDM lacks QNAM")
