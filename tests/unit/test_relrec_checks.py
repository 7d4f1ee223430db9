"""RELREC against the records it relates: relrec_records and relrec_types."""

from conftest import STUDY, check, dataset, hits, make_ae, subject


def relrec(*rows: dict):
    base = {"STUDYID": STUDY, "RELTYPE": "", "IDVARVAL": ""}
    return dataset("RELREC", [base | row for row in rows])


def link(n: int | None, rdomain: str, idvar: str, value: str, relid: str, **more) -> dict:
    usubjid = subject(n) if n is not None else ""
    return {"USUBJID": usubjid, "RDOMAIN": rdomain, "IDVAR": idvar, "IDVARVAL": value,
            "RELID": relid, **more}  # fmt: skip


def lab(name: str, *rows: tuple[int, str, str]):
    base = {"STUDYID": STUDY, "DOMAIN": "LB", "LBTESTCD": "ALT"}
    return dataset(
        name, [base | {"USUBJID": subject(n), "LBSEQ": s, "LBGRPID": g} for n, s, g in rows]
    )


def ae_with_link_ids():
    return make_ae({"USUBJID": subject(1), "AELNKID": "L1"}, {"USUBJID": subject(2)})


def test_relrec_records_passes_relationships_to_existing_records():
    lbch, lbhe = lab("LBCH", (1, "1", "G1")), lab("LBHE", (1, "2", "G2"))
    relations = relrec(
        link(1, "AE", "AESEQ", "1.0", "R1"),
        link(1, "LB", "LBSEQ", "2", "R1"),  # LBSEQ 2 is in LBHE, a split dataset of LB
        link(None, "AE", "AELNKID", "", "R2", RELTYPE="ONE"),
        link(None, "LB", "LBGRPID", "", "R2", RELTYPE="MANY"),
    )
    assert check("relrec_records", ae_with_link_ids(), lbch, lbhe, relations).status == "passed"


def test_relrec_records_names_each_record_that_does_not_exist():
    lbch = lab("LBCH", (1, "1", "G1"))
    relations = relrec(
        link(1, "", "AESEQ", "1", "R1"),
        link(1, "CM", "CMSEQ", "1", "R1"),
        link(3, "AE", "AESEQ", "1", "R2"),
        link(1, "AE", "AEXYZ", "1", "R2"),
        link(1, "AE", "AESEQ", "2", "R3"),  # subject 1 has AESEQ 1 only
        link(None, "AE", "AELNKID", "L9", "R4"),
        link(None, "LB", "LBGRPID", "G1", "R4"),
        link(2, "LB", "LBSEQ", "1", "R5"),  # subject 2 has no lab record
    )
    result = check("relrec_records", ae_with_link_ids(), lbch, relations)
    expected = [(1, 1), (2, 1), (3, 3), (4, 1), (5, 1), (6, None), (8, 2)]
    assert hits(result) == [("RELREC", r, subject(n) if n else None) for r, n in expected]
    problems = {f.record: f.message.split(": ", 1)[1] for f in result.findings}
    assert problems == {
        1: "RDOMAIN is empty, so the related dataset is not named",
        2: "the related dataset CM is not in the transfer",
        3: "USUBJID has no AE record",
        4: "IDVAR 'AEXYZ' is not a variable of AE",
        5: "no AE record of the subject has AESEQ = '2'",
        6: "no AE record has AELNKID = 'L9'",
        8: "USUBJID has no LB (LBCH) record",
    }


def test_relrec_records_does_not_run_without_relrec():
    result = check("relrec_records", ae_with_link_ids())
    assert (result.status, result.reason) == ("not_run", "RELREC not supplied")
    assert result.excused  # a transfer need not hold RELREC: not applicable


def test_relrec_types_passes_the_two_kinds_of_relationship():
    relations = relrec(
        link(1, "AE", "AESEQ", "1", "R1"),
        link(1, "CM", "CMSEQ", "3", "R1"),
        link(None, "AE", "AELNKID", "", "R1", RELTYPE="ONE"),
        link(None, "FA", "FALNKID", "", "R1", RELTYPE="MANY"),
    )
    assert check("relrec_types", relations).status == "passed"


def test_relrec_types_names_each_relationship_stated_against_the_sdtmig():
    relations = relrec(
        link(1, "AE", "AESEQ", "1", "R1", RELTYPE="ONE"),
        link(1, "CM", "CMSEQ", "3", "R1"),
        link(None, "AE", "AESEQ", "", "R2", RELTYPE="ONE"),
        link(None, "FA", "FALNKID", "L1", "R2", RELTYPE="MANY"),
        link(None, "AE", "AELNKID", "", "R3", RELTYPE="SOME"),
        link(None, "FA", "FALNKID", "", "R3", RELTYPE="MANY"),
        link(2, "AE", "AESEQ", "1", ""),
        link(2, "CM", "CMSEQ", "1", "R1"),  # R1 of subject 2 has no second record
    )
    result = check("relrec_types", relations)
    problems = [(f.record, f.message.split(": ", 1)[1]) for f in result.findings]
    assert problems == [
        (1, "RELTYPE 'ONE' is given for records of one subject"),
        (3, "IDVAR AESEQ: a --SEQ identifies records only within a subject, not a dataset"),
        (4, "IDVARVAL 'L1' is given in a relationship between datasets"),
        (5, "RELTYPE 'SOME' is not ONE or MANY in a relationship between datasets"),
        (7, "RELID is empty"),
        (8, "RELID 'R1' relates this record to no other"),
    ]
