"""The standards a run judges the study by: the SDTMIG version and the CT release.

Both are named in every report with where they came from, so a reader knows which
IG and which terminology a "pass" means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trialguard.errors import InputError, UsageError
from trialguard.readers.define_metadata import Define, read_define
from trialguard.readers.entries import entry_problem
from trialguard.readers.study import Study
from trialguard.sdtm.ct_release import BUNDLED, CtRelease, load_ct_release
from trialguard.sdtm.ig_version import IG_MODELS, IgVersion, study_ig, ts_ig_version

DEFINE_NAME = "define.xml"


@dataclass(frozen=True)
class Standards:
    ig: IgVersion
    ct: CtRelease
    define: Define | None = None  # the study's define.xml, read: what the DEF- rules hold it to
    define_problem: str = ""  # why a define.xml found beside the datasets could not be used
    ct_note: str = ""  # how the CT release of the run relates to the one the define names


DEFAULT_STANDARDS = Standards(IgVersion("3.4", "default"), BUNDLED)


def given_ig(text: str | None) -> str | None:
    """The `--ig` value checked: one of the versions trialguard models."""
    if text is None:
        return None
    version = str(text).strip().removeprefix("SDTMIG").strip().lstrip("vV")
    if version not in IG_MODELS:
        raise UsageError(f"--ig must be one of {', '.join(IG_MODELS)}, not {text!r}")
    return version


def find_define(paths: Iterable[Path], given: Path | None) -> Path | None:
    """The define.xml given, else a regular file named define.xml in a folder of the transfer
    (a link out of the folder is not followed, as for datasets)."""
    if given is not None:
        if not given.is_file():
            raise UsageError(f"{given}: no such define.xml")
        return given
    for folder in (p for p in paths if p.is_dir()):
        found = [
            p
            for p in folder.iterdir()
            if p.name.lower() == DEFINE_NAME and entry_problem(p, folder) is None
        ]
        if found:
            return found[0]
    return None


def study_standards(
    study: Study,
    define: Path | None,
    ig: str | None,
    ct: CtRelease | None,
    pinned: str | None,
    define_given: bool = False,
) -> Standards:
    """The IG from TS, the define, --ig or the default; the CT given, else the bundled lists.

    A define.xml given with --define that cannot be read stops the run; one only found beside
    the datasets is noted and passed over."""
    ts = study.datasets.get("TS")
    define_value, unusable, metadata = None, "", None
    if define is not None:
        try:
            metadata = read_define(define)
            define_value = metadata.ig_version
        except InputError as error:
            if define_given:
                raise
            unusable = f"{define} was not used: {error.reason}"
    version = study_ig(
        ts_ig_version(ts.frame if ts else None), define_value, str(define) if define else None, ig
    )
    if unusable:
        note = "; ".join(n for n in (unusable, version.note) if n)
        version = IgVersion(version.version, version.source, note)
    release = ct or BUNDLED
    check_pinned_release(release, pinned)
    named_ct = list(metadata.ct_versions) if metadata else []
    return Standards(version, release, metadata, unusable, ct_note(release, named_ct))


def ct_note(release: CtRelease, named: list[str]) -> str:
    """What to know when the define.xml names CT releases and the run uses another one."""
    if not named or (not release.bundled and release.release in named):
        return ""
    stated = f"the define.xml names CDISC CT {', '.join(named)}"
    if release.bundled:
        return f"{stated}; judged with the bundled lists: give that release with --ct"
    return f"{stated}; the run uses CDISC CT {release.release}"


def check_pinned_release(release: CtRelease, pinned: str | None) -> None:
    """A spec that pins a CT release (terminology.ct_release) runs only with that release."""
    if pinned is not None and (release.bundled or release.release != pinned):
        raise UsageError(
            f"the spec pins CDISC CT {pinned} (terminology.ct_release), but the run uses "
            f"{release.title}: give that release with --ct FILE"
        )


def export_standards(pinned: str | None, ig: str | None, ct: str | Path | None) -> Standards:
    """The SDTMIG version and CT release an export is for (default 3.4 and the bundled lists);
    `pinned` is the CT release the spec names, if any."""
    version = given_ig(ig)
    release = load_ct_release(ct) if ct is not None else None
    check_pinned_release(release or BUNDLED, pinned)
    return Standards(
        IgVersion(version, "--ig") if version else DEFAULT_STANDARDS.ig, release or BUNDLED
    )
