"""CDISC controlled terminology (2024 package) for the variables trialguard checks.

Extensible codelists list the common terms only; a value outside them is reported
as an unknown term, unless the spec declares it a sponsor term.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Codelist:
    name: str
    code: str
    extensible: bool
    terms: frozenset[str]


def _codelist(name: str, code: str, extensible: bool, terms: str) -> Codelist:
    return Codelist(name, code, extensible, frozenset(t.strip() for t in terms.split("|")))


CODELISTS: dict[str, Codelist] = {
    c.name: c
    for c in [
        _codelist("SEX", "C66731", False, "F|M|U|UNDIFFERENTIATED"),
        _codelist("AGEU", "C66781", False, "YEARS|MONTHS|WEEKS|DAYS|HOURS"),
        _codelist(
            "RACE",
            "C74457",
            False,
            "AMERICAN INDIAN OR ALASKA NATIVE|ASIAN|BLACK OR AFRICAN AMERICAN|"
            "NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER|WHITE|NOT REPORTED|OTHER|UNKNOWN|"
            "MULTIPLE",  # not in the codelist, but SDTMIG DM assumptions prescribe it
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
        _codelist("NY_Y", "C66742", False, "Y"),  # flags that take "Y" or null only
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
        _codelist("TOXGR", "sponsor", False, "1|2|3|4|5"),
        _codelist("DLTOXGR", "sponsor", False, "3|4|5"),
        _codelist(
            "ROUTE",
            "C66729",
            True,
            "INTRAVENOUS|INTRAVENOUS DRIP|INTRAVENOUS BOLUS|SUBCUTANEOUS|ORAL|INTRAMUSCULAR|"
            "INTRATHECAL|TRANSDERMAL|TOPICAL|INHALATION|INTRADERMAL|NASAL|RECTAL|SUBLINGUAL|"
            "CUTANEOUS|INTRAVESICAL|INTRA-ARTERIAL|INTRAOCULAR|NOT APPLICABLE|UNKNOWN",
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
            "ONCE|QD|BID|TID|QID|QOD|EVERY WEEK|EVERY 2 WEEKS|EVERY 4 WEEKS|CONTINUOUS|PRN|UNKNOWN",
        ),
        _codelist(
            "UNIT",
            "C71620",
            True,
            "mg/m2|mg/kg|ug/kg|mg|g|ug|mL|L|IU|kg|cm|m2|%|Therapeutic Cells|"
            "10^3 Therapeutic Cells|10^5 Therapeutic Cells|10^6 Therapeutic Cells|"
            "10^9 Therapeutic Cells|Therapeutic Cells/m2|/kg|10^5/kg|10^7/kg",
        ),
    ]
}
