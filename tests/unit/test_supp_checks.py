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
    assert problems[3].endswith("IDVAR 'AEXYZ' is not a variable of AE")
    assert problems[4].endswith("no AE record of the subject has AESEQ = '7'")
    assert problems[5].endswith("RDOMAIN 'CM' is not AE")


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
    tx = dataset("TX", [{"STUDYID": STUDY, "DOMAIN": "TX", "TXPARMCD": "SPGRPCD"}] * 3)
    zb = dataset("ZB", [{"STUDYID": STUDY, "DOMAIN": "ZB", "ZBTESTCD": "X"}])
    dm = make_dm({"USUBJID": subject(1)})
    result = check("conformance_metadata", dm, ta, tx, zb, supp("SUPPDM"))
    assert [f.message for f in result.findings] == [
        "no conformance metadata for TX: its 3 records were read and counted, and no "
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


def lab(name: str, *rows: tuple[int, str]) -> object:
    """A lab dataset (LB or a split of it) with (subject, LBSEQ) records."""
    base = {"STUDYID": STUDY, "DOMAIN": "LB", "LBTESTCD": "ALT"}
    return dataset(name, [base | {"USUBJID": subject(n), "LBSEQ": seq} for n, seq in rows])


def lb_qualifier(n: int, value: str, rdomain: str = "LB") -> dict:
    return qualifier(n, idvar="LBSEQ", value=value, qnam="LBCLSIG") | {"RDOMAIN": rdomain}


def test_supp_parent_of_a_split_dataset_looks_in_that_split_dataset_only():
    lbch, lbhe = lab("LBCH", (1, "1")), lab("LBHE", (1, "2"))
    supplbch = supp(
        "SUPPLBCH",
        lb_qualifier(1, "1"),
        lb_qualifier(1, "1", rdomain="LBCH"),  # RDOMAIN is the domain, LB
        lb_qualifier(1, "2"),  # LBSEQ 2 is an LBHE record, not LBCH's
    )
    result = check("supp_parent", lbch, lbhe, supplbch)
    assert hits(result) == [("SUPPLBCH", 2, subject(1)), ("SUPPLBCH", 3, subject(1))]
    problems = {f.record: f.message.split(": ", 1)[1] for f in result.findings}
    assert problems == {
        2: "RDOMAIN 'LBCH' is not LB",
        3: "no LBCH record of the subject has LBSEQ = '2'",
    }


def test_supp_parent_of_a_domain_looks_across_its_split_datasets():
    lbch, lbhe = lab("LBCH", (1, "1")), lab("LBHE", (1, "2"))
    supplb = supp("SUPPLB", lb_qualifier(1, "1"), lb_qualifier(1, "2"), lb_qualifier(1, "3"))
    suppqual = supp("SUPPQUAL", lb_qualifier(1, "2"), lb_qualifier(2, "1"))
    result = check("supp_parent", lbch, lbhe, supplb, suppqual)
    assert hits(result) == [("SUPPLB", 3, subject(1)), ("SUPPQUAL", 2, subject(2))]
    assert sorted(f.message.split(": ", 1)[1] for f in result.findings) == [
        "USUBJID has no LB (LBCH, LBHE) record",
        "no LB (LBCH, LBHE) record of the subject has LBSEQ = '3'",
    ]


def test_supp_parent_flags_incomplete_pointers():
    ae = make_ae({"USUBJID": subject(1)})
    dm = make_dm({"USUBJID": subject(1)})
    suppae = supp(
        "SUPPAE",
        qualifier(1, idvar="", value=""),  # only a DM qualifier may leave IDVAR empty
        qualifier(1, value=""),  # IDVAR without IDVARVAL
        qualifier(1, idvar=""),  # IDVARVAL without IDVAR
        qualifier(1) | {"USUBJID": ""},
        qualifier(1),
    )
    suppdm = supp("SUPPDM", {"USUBJID": subject(1), "IDVAR": "", "IDVARVAL": "", "QNAM": "X"})
    result = check("supp_parent", dm, ae, suppae, suppdm)
    assert [(f.record, f.message.split(": ", 1)[1]) for f in result.findings] == [
        (4, "USUBJID is empty, so the parent record is not named"),
        (2, "IDVAR 'AESEQ' is given and IDVARVAL is empty"),
        (3, "IDVARVAL '1' is given and IDVAR is empty"),
        (1, "IDVAR is empty, which only a qualifier of DM may leave (RDOMAIN 'AE')"),
    ]


def test_supp_qnam_name_flags_names_that_cannot_be_variables():
    names = ["AETRTEM", "_X1", "AESOSP12", "1TEST", "aetrtem", "AETRTEMXX", "AE-X", ""]
    suppae = supp("SUPPAE", *(qualifier(1, qnam=q) for q in names))
    suppae.frame.loc[8, "QNAM"] = None  # an empty QNAM is SD-REQ-VAL's
    assert [f.record for f in check("supp_qnam_name", suppae).findings] == [4, 5, 6, 7]


def test_supp_qnam_name_checks_a_split_dataset_and_names_one_without_qnam():
    supplbch = supp("SUPPLBCH", lb_qualifier(1, "1") | {"QNAM": "LB CLSIG"})
    suppdm = supp("SUPPDM", {"USUBJID": subject(1)})
    result = check("supp_qnam_name", supplbch, suppdm)
    assert hits(result) == [("SUPPLBCH", 1, subject(1))]
    assert result.notes == ["not checked: SUPPDM lacks QNAM"]


def test_supp_qlabel_flags_a_label_longer_than_40_characters():
    suppae = supp(
        "SUPPAE", qualifier(1) | {"QLABEL": "x" * 40}, qualifier(1) | {"QLABEL": "y" * 41}
    )
    result = check("supp_qlabel", suppae)
    assert [(f.record, f.message) for f in result.findings] == [
        (2, f"QLABEL '{'y' * 41}' of AETRTEM in SUPPAE has 41 characters, more than 40")
    ]


def test_supp_qnam_qlabel_flags_both_directions_of_a_broken_pairing():
    suppae = supp(
        "SUPPAE",
        qualifier(1, qnam="A") | {"QLABEL": "Label A"},
        qualifier(1, qnam="A") | {"QLABEL": "Label A2"},  # A has two labels
        qualifier(1, qnam="B") | {"QLABEL": "Label B"},
        qualifier(1, qnam="C") | {"QLABEL": "Label B"},  # Label B names two QNAMs
        qualifier(1, qnam="D") | {"QLABEL": "Label D"},
        qualifier(1, qnam="D") | {"QLABEL": "Label D"},
    )
    assert [f.record for f in check("supp_qnam_qlabel", suppae).findings] == [1, 2, 3, 4]


def test_supp_qnam_standard_flags_a_standard_variable_of_the_parent_domain():
    suppae = supp("SUPPAE", qualifier(1, qnam="AETRTEM"), qualifier(1, qnam="AESEV"))
    suppxx = supp("SUPPXX", qualifier(1, idvar="XXSEQ", qnam="XXSEQ") | {"RDOMAIN": "XX"})
    result = check("supp_qnam_standard", suppae, suppxx)
    assert [(f.domain, f.record, f.message) for f in result.findings] == [
        ("SUPPAE", 2, "QNAM AESEV of SUPPAE is a standard variable of AE, not a qualifier")
    ]
    assert result.notes == ["not checked: no SDTMIG metadata of XX"]
    alone = check("supp_qnam_standard", suppxx)
    assert (alone.status, alone.reason) == ("not_run", "no SDTMIG metadata of XX")


def test_supp_qnam_standard_judges_a_suppqual_record_by_its_rdomain():
    suppqual = supp(
        "SUPPQUAL",
        qualifier(1, qnam="AESEV") | {"RDOMAIN": "AE"},
        qualifier(1, qnam="DMDY") | {"RDOMAIN": "AE"},  # a DM variable, not AE's
    )
    assert [f.record for f in check("supp_qnam_standard", suppqual).findings] == [1]


def test_supp_parent_judges_no_record_of_a_domain_with_an_unreadable_split_dataset():
    from trialguard.readers.study import Unreadable

    lbch = lab("LBCH", (1, "1"))
    supplb = supp("SUPPLB", lb_qualifier(1, "7"))
    unreadable = [Unreadable("LBHE", "lbhe.xpt", "not an XPT file")]
    result = check("supp_parent", lbch, supplb, unreadable=unreadable)
    assert result.findings == []
    assert result.notes == ["LBHE was not checked by this rule: its file could not be read"]
