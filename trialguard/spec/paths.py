"""Where specs are found: the bundled ones (package data), ./specs, and files named on the
command line."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from trialguard.errors import SpecError

SPEC_SUFFIXES = (".yaml", ".yml")


def bundled_specs_folder() -> Path:
    """The specs shipped inside the package (package data, found through importlib.resources)."""
    folder = files("trialguard") / "specs"
    if not isinstance(folder, Path):  # a zipped install: the loader needs real files
        raise SpecError(str(folder), "the bundled specs are not files on disk (zipped install?)")
    return folder


def bundled_spec_paths() -> list[Path]:
    """Every bundled spec file, sorted by name."""
    folder = bundled_specs_folder()
    return sorted(p for p in folder.iterdir() if p.suffix in SPEC_SUFFIXES)


def resolve_spec_path(name_or_file: str, relative_to: Path | None = None) -> Path:
    """A path to an existing file, or a spec name looked up (case-insensitively, .yaml or .yml)
    beside the extending spec, in ./specs, then among the bundled specs."""
    given = Path(name_or_file)
    if given.suffix.lower() in SPEC_SUFFIXES or given.is_file():
        candidate = (relative_to / given) if relative_to and not given.is_absolute() else given
        if candidate.is_file():
            return candidate
        raise SpecError(name_or_file, "no such spec file")
    folders = [relative_to] if relative_to else []
    folders += [Path.cwd() / "specs", bundled_specs_folder()]
    for folder in folders:
        found = _named_in(folder, name_or_file)
        if found is not None:
            return found
    known = ", ".join(p.stem for p in bundled_spec_paths())
    raise SpecError(
        name_or_file,
        f"no spec of that name (bundled specs: {known}; `trialguard specs` lists them, "
        "or give the path to a YAML file)",
    )


def _named_in(folder: Path, name: str) -> Path | None:
    """The spec file `name`.yaml or `name`.yml in `folder`, whatever the case of either."""
    if not folder.is_dir():
        return None
    wanted = {f"{name}{suffix}".lower() for suffix in SPEC_SUFFIXES}
    return next((p for p in sorted(folder.iterdir()) if p.name.lower() in wanted), None)
