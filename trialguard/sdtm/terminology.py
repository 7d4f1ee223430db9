"""The codelists trialguard bundles for the variables it checks, and the terms each allows.

Closed (non-extensible) codelists are bundled complete, as in CDISC CT 2025-03-25;
extensible ones (UNIT, ROUTE, FRM, FREQ, ARMNULRS) hold their common terms only, so
an unknown term there is a notice that asks for the study's full release (`--ct`).
Some variables allow a subset of their codelist (DTHFL: Y or null; AESER and the
seriousness criteria: Y or N): those subsets are the IG's, whatever the release.
"""

from __future__ import annotations

from dataclasses import dataclass

SPONSOR = "sponsor"  # the code of a list no CDISC release holds (toxicity grades)
BUNDLED_RELEASE = "2025-03-25"  # the CDISC CT release the closed codelists were checked against


@dataclass(frozen=True)
class Codelist:
    """A codelist as one variable uses it: `name` is what the variable metadata names."""

    name: str
    code: str  # NCI C-code of the CDISC codelist, or SPONSOR
    extensible: bool
    terms: frozenset[str]
    subset_of_codelist: bool = False  # the IG allows only these terms of the codelist
    extra_terms: frozenset[str] = frozenset()  # IG-sanctioned values outside the codelist

    @property
    def from_release(self) -> bool:
        """Whether a CT release's terms replace the bundled ones."""
        return self.code != SPONSOR and not self.subset_of_codelist


def _codelist(
    name: str, code: str, extensible: bool, terms: str, subset: bool = False, extra: str = ""
) -> Codelist:
    def split(text: str) -> frozenset[str]:
        return frozenset(t.strip() for t in text.split("|") if t.strip())

    return Codelist(name, code, extensible, split(terms) | split(extra), subset, split(extra))


CODELISTS: dict[str, Codelist] = {
    c.name: c
    for c in [
        _codelist("SEX", "C66731", False, "F|INTERSEX|M|U"),
        _codelist("AGEU", "C66781", False, "YEARS|MONTHS|WEEKS|DAYS|HOURS"),
        _codelist(
            "RACE",
            "C74457",
            False,
            "AMERICAN INDIAN OR ALASKA NATIVE|ASIAN|BLACK OR AFRICAN AMERICAN|"
            "NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER|WHITE|NOT REPORTED|OTHER|UNKNOWN",
            extra="MULTIPLE",  # not in the codelist, but SDTMIG DM assumptions prescribe it
        ),
        _codelist(
            "ETHNIC",
            "C66790",
            False,
            "HISPANIC OR LATINO|NOT HISPANIC OR LATINO|NOT REPORTED|UNKNOWN",
        ),
        _codelist(
            "ARMNULRS",
            "C142179",
            True,
            "SCREEN FAILURE|NOT ASSIGNED|ASSIGNED, NOT TREATED|UNPLANNED TREATMENT",
        ),
        _codelist("NY", "C66742", False, "Y|N|U|NA"),
        _codelist("NY_Y", "C66742", False, "Y", subset=True),  # "Y" or null only (DTHFL)
        _codelist("NY_YN", "C66742", False, "Y|N", subset=True),  # AESER, criteria: Y or N
        _codelist("ND", "C66789", False, "NOT DONE"),  # --STAT
        _codelist("AESEV", "C66769", False, "MILD|MODERATE|SEVERE"),
        _codelist(
            "OUT",
            "C66768",
            False,
            "RECOVERED/RESOLVED|RECOVERING/RESOLVING|NOT RECOVERED/NOT RESOLVED|"
            "RECOVERED/RESOLVED WITH SEQUELAE|FATAL|UNKNOWN",
        ),
        _codelist(
            "ACN",
            "C66767",
            False,
            "DRUG WITHDRAWN|DRUG INTERRUPTED|DOSE REDUCED|DOSE RATE REDUCED|DOSE INCREASED|"
            "DOSE NOT CHANGED|NOT APPLICABLE|UNKNOWN",
        ),
        _codelist(
            "STENRF",  # --STRF, --ENRF, --STRTPT, --ENRTPT
            "C66728",
            False,
            "AFTER|BEFORE|BEFORE/DURING|COINCIDENT|DURING|DURING/AFTER|ONGOING|UNKNOWN",
        ),
        _codelist("TOXGR", SPONSOR, False, "1|2|3|4|5"),
        _codelist("DLTOXGR", SPONSOR, False, "3|4|5"),
        _codelist(
            "ROUTE",
            "C66729",
            True,
            "INTRAVENOUS|INTRAVENOUS DRIP|INTRAVENOUS BOLUS|SUBCUTANEOUS|ORAL|INTRAMUSCULAR|"
            "INTRATHECAL|TRANSDERMAL|TOPICAL|RESPIRATORY (INHALATION)|INTRADERMAL|NASAL|RECTAL|"
            "SUBLINGUAL|"
            "CUTANEOUS|INTRAVESICAL|INTRA-ARTERIAL|INTRAOCULAR|OPHTHALMIC|VAGINAL|"
            "AURICULAR (OTIC)|NOT APPLICABLE|UNKNOWN",
        ),
        _codelist(
            "FRM",
            "C66726",
            True,
            "SUSPENSION|INJECTION, SUSPENSION|INJECTION, SOLUTION|INJECTION, SOLUTION, CONCENTRATE|"
            "INJECTION, POWDER, FOR SOLUTION|INJECTION, POWDER, LYOPHILIZED, FOR SOLUTION|"
            "INJECTION|SOLUTION|TABLET|CAPSULE|PATCH|CREAM|OINTMENT|POWDER|SPRAY",
        ),
        _codelist(
            "FREQ",
            "C71113",
            True,
            "ONCE|QD|BID|TID|QID|QOD|EVERY WEEK|EVERY 2 WEEKS|EVERY 4 WEEKS|CONTINUOUS|PRN|"
            "QAM|QHS|QM|Q3H|Q4H|Q6H|Q8H|Q12H|TWICE|UNKNOWN",
        ),
        _codelist(
            "UNIT",
            "C71620",
            True,
            "mg/m2|mg/kg|ug/kg|mg|g|ug|mL|L|IU|kg|cm|m2|%|Therapeutic Cells|"
            "10^3 Therapeutic Cells|10^5 Therapeutic Cells|10^6 Therapeutic Cells|"
            "10^9 Therapeutic Cells|Therapeutic Cells/m2|/kg|10^5/kg|10^7/kg|"
            "TABLET|CAPSULE|PUFF|VIAL|SPRAY|gtt|tsp|Tbsp|mEq|ng|oz|mmol|U",
        ),
    ]
}
