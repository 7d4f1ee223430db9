"""The 3+3 replay on hand-built escalations (levels DL1 < DL2 < DL3, DLT window Day 0-28)."""

from datetime import date, timedelta

from conftest import check, hits, make_dl, make_dm, make_ex

DOSES = {"DL1": 10, "DL2": 20, "DL3": 30}
PARAMS = {"levels": ["DL1", "DL2", "DL3"], "doses": DOSES, "data_cut": "2026-12-31"}


class Trial:
    """Subjects added cohort by cohort: `dose(level, day0, dlt_day=None)`."""

    def __init__(self):
        self.dm, self.ex, self.dl = [], [], []

    def dose(self, level, day0, dlt_day=None, given=None):
        n = len(self.dm) + 1
        usubjid = f"S1-{n:03d}"
        self.dm.append({"USUBJID": usubjid, "ACTARMCD": f"{level}-NOLD"})
        self.ex.append(
            {
                "USUBJID": usubjid,
                "EXTRT": "PRODUCT",
                "EXSTDTC": day0.isoformat(),
                "EXENDTC": day0.isoformat(),
                "EXDOSE": str(given or DOSES[level]),
            }
        )
        if dlt_day is not None:
            onset = (day0 + timedelta(days=dlt_day)).isoformat()
            self.dl.append({"USUBJID": usubjid, "DLAESEQ": "1", "DLSTDTC": onset})
        return usubjid

    def cohort(self, level, start, size=3, dlts=()):
        return [
            self.dose(level, start + timedelta(days=7 * k), 5 if k in dlts else None)
            for k in range(size)
        ]

    def replay(self, **params):
        datasets = [make_dm(*self.dm), make_ex(*self.ex), make_dl(*self.dl)]
        return check("escalation_3plus3", *datasets, params=PARAMS | params)


def decisions(result):
    return [(row["level"], row["decision"], row["decision_date"]) for row in result.table]


def flagged(result):
    return sorted(
        (f.usubjid, f.values["problem"] if "problem" in f.values else f.message)
        for f in result.findings
    )


START = date(2025, 1, 6)


def test_clean_escalation_to_an_mtd():
    t = Trial()
    t.cohort("DL1", START)  # 0/3: escalate after Jan 20 + 28
    t.cohort("DL2", date(2025, 2, 20), size=6, dlts=(0,))  # 1/3 -> 6, 1/6: escalate
    t.cohort("DL3", date(2025, 5, 1), dlts=(0, 1))  # 2/3: stop on the second DLT
    result = t.replay()
    assert result.status == "passed"
    assert decisions(result) == [
        ("DL1", "escalate", "2025-02-17"),
        ("DL2", "escalate", "2025-04-24"),
        ("DL3", "stop", "2025-05-13"),
    ]
    assert result.notes == ["ladder all: MTD is DL2 (DL3 had 2 or more DLTs)"]


def test_one_dlt_in_three_expands_the_level_to_six():
    t = Trial()
    t.cohort("DL1", START, size=3, dlts=(1,))
    result = t.replay()
    assert decisions(result)[0] == ("DL1", "expand to 6", None)
    assert result.notes == ["ladder all: escalation not finished: DL1 is expanding to 6"]


def test_dosing_the_next_level_inside_the_window_of_the_level_below_is_premature():
    t = Trial()
    t.cohort("DL1", START)
    early = t.dose("DL2", date(2025, 2, 10))  # DL1's last window closes on Feb 17
    result = t.replay()
    assert hits(result) == [("EX", 4, early)]
    assert "before the level below had cleared" in result.findings[0].message


def test_escalating_after_two_dlts_is_a_finding():
    t = Trial()
    t.cohort("DL1", START, dlts=(0, 2))  # second DLT on Jan 25: stop
    after = t.cohort("DL2", date(2025, 3, 3))
    result = t.replay()
    assert decisions(result)[0] == ("DL1", "stop", "2025-01-25")
    assert {f.usubjid for f in result.findings} == set(after)
    assert all("2 or more subjects with a DLT" in f.message for f in result.findings)
    no_mtd = "ladder all: no MTD among the planned levels: DL1 already had 2 or more DLTs"
    assert result.notes == [no_mtd]


def test_dosing_at_a_stopped_level_beyond_its_deciding_cohort_is_a_finding():
    t = Trial()
    t.cohort("DL1", START)  # 0/3: escalate on Feb 17
    t.cohort("DL2", date(2025, 3, 3), dlts=(0, 1))  # DLTs on Mar 8 and Mar 15: stop on Mar 15
    more = t.cohort("DL2", date(2025, 4, 7))  # further subjects at the stopped level
    t.cohort("DL1", date(2025, 4, 7))  # expanding the level below (the MTD candidate): allowed
    result = t.replay()
    assert decisions(result)[1] == ("DL2", "stop", "2025-03-15")
    # the third of the deciding cohort (dosed Mar 17) belongs to the cohort that decided
    assert [f.usubjid for f in result.findings] == more
    assert all("after this level had stopped" in f.message for f in result.findings)
    assert result.findings[0].values == {
        "EXSTDTC": "2025-04-07",
        "level": "DL2",
        "stopped_on": "2025-03-15",
    }


def test_a_skipped_level_is_a_finding():
    t = Trial()
    t.cohort("DL1", START)
    jumped = t.dose("DL3", date(2025, 3, 3))
    result = t.replay()
    assert hits(result) == [("EX", 4, jumped)]
    assert "skipped" in result.findings[0].message


def test_more_subjects_than_the_largest_cohort_is_a_finding():
    t = Trial()
    subjects = t.cohort("DL1", START, size=7)
    result = t.replay()
    assert [f.usubjid for f in result.findings] == [subjects[6]]
    assert "more subjects than the design allows (6)" in result.findings[0].message


def test_a_modified_design_may_allow_other_cohort_sizes():
    t = Trial()
    t.cohort("DL1", START, size=7)
    assert t.replay(cohort_sizes=[3, 6, 9]).status == "passed"


def test_the_dose_given_must_be_the_arms_level():
    t = Trial()
    t.cohort("DL1", START)
    wrong = t.dose("DL2", date(2025, 3, 3), given=30)
    result = t.replay()
    assert hits(result) == [("EX", 4, wrong)]
    assert "another level's dose" in result.findings[0].message


def test_separate_lymphodepletion_ladders_are_replayed_apart():
    t = Trial()
    t.cohort("DL1", START)
    for row in t.dm[:3]:
        row["ACTARMCD"] = "DL1-FC"
    t.cohort("DL1", date(2025, 1, 8))  # NOLD ladder, concurrent with FC: allowed
    result = t.replay(separate_ld_arms=True)
    assert result.status == "passed"
    assert {row["ladder"] for row in result.table} == {"FC", "NOLD"}


def test_subjects_whose_window_is_still_open_leave_the_level_pending():
    t = Trial()
    t.cohort("DL1", START)
    result = t.replay(data_cut="2025-02-01")
    assert decisions(result)[0] == ("DL1", "pending", None)


def test_records_dated_after_the_data_cut_are_a_note_per_dataset():
    t = Trial()
    t.cohort("DL1", START)  # Day 0s Jan 6, 13, 20; EX dated after a cut of Jan 15: 1 record
    t.dl.append({"USUBJID": "S1-001", "DLAESEQ": "1", "DLSTDTC": "2025-01-16"})
    result = t.replay(data_cut="2025-01-15")
    cut = [n for n in result.notes if "after the data cut" in n]
    assert cut == [
        "DL: 1 record(s) dated after the data cut 2025-01-15 (DLSTDTC); the replay judges the "
        "study as of the cut",
        "DM: 3 record(s) dated after the data cut 2025-01-15 (RFSTDTC); the replay judges the "
        "study as of the cut",  # the hand-made DM's reference start is March 5
        "EX: 1 record(s) dated after the data cut 2025-01-15 (EXSTDTC, EXENDTC); the replay "
        "judges the study as of the cut",
    ]


def test_without_records_after_the_data_cut_there_is_no_such_note():
    t = Trial()
    t.cohort("DL1", START)
    assert not [n for n in t.replay().notes if "after the data cut" in n]
