"""The documentation: README.md stays a short front page that starts with the two set-up
commands, and every relative link of README.md and the docs' pages names a file that exists.
The site itself is built with warnings as errors by .ci/run (its `== docs` step), not here."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
SET_UP = [
    "# trialguard",
    "",
    "```sh",
    "python3 -m venv .venv && .venv/bin/python -m pip install -e . && .venv/bin/trialguard validate"
    " sample_data/resolution/defects --spec resolution --html reports/resolution.html"
    " --json reports/resolution.json --fail-on never",
    'python3 -m venv .venv && .venv/bin/python -m pip install -e ".[test,gx]"'
    " && .venv/bin/python -m pytest",
    "```",
]
FENCED_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1", flags=re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", flags=re.S)
LINK_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def test_the_readme_is_short_and_starts_with_the_two_set_up_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 200
    assert lines[: len(SET_UP)] == SET_UP


def test_the_readme_test_command_is_the_one_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == SET_UP[4]


def generated_pages() -> set[Path]:
    """The pages each build writes (docs/generated_pages.py): not kept in git, so a link to
    one is good when the build writes it."""
    spec = importlib.util.spec_from_file_location("generated_pages", DOCS / "generated_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {(module.GENERATED / name).resolve() for name in module.PAGES}


def written_pages() -> list[Path]:
    """The docs' pages kept in git."""
    generated = generated_pages()
    return [page for page in sorted(DOCS.rglob("*.md")) if page.resolve() not in generated]


def markdown_pages() -> list[Path]:
    return [README, *written_pages()]


def relative_links(page: Path) -> list[str]:
    """The targets of the page's Markdown links that name a file, outside code."""
    text = CODE_SPAN.sub("", FENCED_CODE.sub("", page.read_text(encoding="utf-8")))
    targets = (target.split("#", 1)[0] for target in LINK_TARGET.findall(text))
    return [t for t in targets if t and not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def test_link_finder_sees_links_but_not_code():
    page = DOCS / "concepts.md"
    assert "rule-kinds.md" in relative_links(page)
    assert "ci.md" in relative_links(page)


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_names_a_file_that_exists(page):
    known = generated_pages()
    targets = ((page.parent / t).resolve() for t in relative_links(page))
    broken = [t for t in targets if not t.is_file() and t not in known]
    assert broken == [], f"{page.relative_to(ROOT)}: no such file {broken}"


def test_the_readme_links_every_page_of_the_docs():
    linked = {(README.parent / t).resolve() for t in relative_links(README)}
    pages = {page.resolve() for page in written_pages()} | generated_pages()
    assert pages - linked == set()
