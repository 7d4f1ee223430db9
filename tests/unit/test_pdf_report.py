"""The audit PDF: what it holds, that it fits A4 and Letter with nothing past the page edge, and
that it stays short however many findings the study has. Pages are read back with pypdfium2:
its text, and the box of every character drawn."""

from __future__ import annotations

import dataclasses
import time
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import EXTERNAL, PILOT, SAMPLES

from trialguard.findings import Finding, Status
from trialguard.pipeline import validate, validate_study
from trialguard.readers import read_study
from trialguard.report import Report
from trialguard.reporting.pdf import MARGIN, write_pdf
from trialguard.spec.loader import load_spec

NIHPO = EXTERNAL / "real" / "nihpo-synthtrial"  # 1,000 subjects, 5,577 findings
POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


@dataclasses.dataclass
class Pages:
    sizes: list[tuple[float, float]]
    texts: list[str]
    outside: list[str]  # characters whose box leaves the page's printable area

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def read_pages(path: Path) -> Pages:
    document = pdfium.PdfDocument(path)
    pages = Pages([], [], [])
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        pages.sizes.append((round(width, 2), round(height, 2)))
        pages.texts.append(text.get_text_range())
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char in "\r\n":  # the line ends pdfium adds between lines: not drawn
                continue
            left, bottom, right, top = text.get_charbox(index)
            # a page's own header and footer sit in the margin; nothing comes closer to the edge
            if left < MARGIN - 1 or right > width - MARGIN + 1 or bottom < 0 or top > height:
                pages.outside.append(char)
    document.close()
    return pages


@cache
def defects_report() -> Report:
    return validate_study(read_study([SAMPLES / "defects"]), load_spec("resolution"))


def test_the_sample_pdf_holds_the_verdict_the_inputs_hashes_and_every_failing_rule(tmp_path):
    report = defects_report()
    pages = read_pages(report.write_pdf(tmp_path / "audit.pdf"))
    text = pages.text
    assert "REJECT: findings at or above error (fail level: error)" in text
    assert f"{report.summary()['error']} errors" in text and report.run_id in text
    assert report.spec.sha256 in text
    for entry in report.inputs:
        assert f"SHA-256 {entry.sha256}" in text, entry.dataset
    failing = [r.rule.id for r in report.results if r.status is Status.FAILED]
    assert len(failing) > 10
    for rule_id in failing:
        assert f"{rule_id} \u00b7 " in text, rule_id  # the heading of its findings
    assert f"The full list of {len(report.findings()):,} findings is in the run's JSON" in text
    assert pages.outside == []


def test_a_rule_lists_its_first_findings_and_counts_the_rest(tmp_path):
    report = defects_report()
    text = read_pages(write_pdf(report, tmp_path / "audit.pdf", per_rule=1)).text
    result = max(report.results, key=lambda r: len(r.findings))
    more = len(result.findings) - 1
    assert f"and {more:,} more finding(s) of {result.rule.id}: see the JSON report." in text


def many_findings(count: int, value: str = "TERM") -> Report:
    """The defects sample with `count` made-up AE findings under its first failing rule."""
    report = defects_report()
    index, result = next((i, r) for i, r in enumerate(report.results) if r.findings)
    made = [
        Finding(result.rule.id, result.rule.severity, "AE", f"S-{n % 97:03d}", n + 1,
                ("AETERM",), {"AETERM": f"{value} {n}"}, f"made-up finding {n}")
        for n in range(count)
    ]  # fmt: skip
    results = list(report.results)
    results[index] = dataclasses.replace(result, findings=made)
    return dataclasses.replace(report, results=results)


def test_thousands_of_findings_keep_the_pdf_short(tmp_path):
    short = read_pages(write_pdf(many_findings(10), tmp_path / "short.pdf"))
    long = read_pages(write_pdf(many_findings(20_000), tmp_path / "long.pdf"))
    assert len(long.sizes) == len(short.sizes)
    assert "and 19,995 more finding(s) of" in long.text


def test_long_values_and_messages_wrap_inside_the_page(tmp_path):
    word = "X" * 280  # one word longer than any column: broken inside it, never past the edge
    report = many_findings(3, value=word)
    result = next(r for r in report.results if r.findings)
    result.findings[0] = dataclasses.replace(result.findings[0], message=f"{word} {word}")
    for paper in POINTS:
        pages = read_pages(write_pdf(report, tmp_path / f"{paper}.pdf", paper=paper))
        assert pages.outside == [], paper
        assert word in "".join(pages.text.split())


def test_a_character_the_font_cannot_draw_is_written_as_its_code_point(tmp_path):
    report = many_findings(1, value="\u4e2d\u6587 \u202eevil")
    text = read_pages(write_pdf(report, tmp_path / "audit.pdf")).text
    assert "AETERM=[U+4E2D][U+6587] [U+202E]evil 0" in " ".join(text.split())


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_is_on_the_paper_asked_for(tmp_path, paper):
    pages = read_pages(defects_report().write_pdf(tmp_path / "audit.pdf", paper=paper))
    assert set(pages.sizes) == {POINTS[paper]}
    assert pages.texts[0].count("page 1 of") == 1


def test_an_unknown_paper_is_refused(tmp_path):
    with pytest.raises(ValueError, match="paper 'a3': choose one of a4, letter"):
        write_pdf(defects_report(), tmp_path / "audit.pdf", paper="a3")


def test_the_same_report_writes_the_same_bytes(tmp_path):
    report = defects_report()
    first = report.write_pdf(tmp_path / "1.pdf").read_bytes()
    assert report.write_pdf(tmp_path / "2.pdf").read_bytes() == first


@pytest.mark.skipif(not PILOT.is_dir(), reason="the CDISC pilot is not in shared/external")
def test_the_pilots_pdf_is_short_and_fits_a4_and_letter(tmp_path):
    report = validate([PILOT], "sdtm")
    assert len(report.findings()) > 2_000
    for paper in POINTS:
        pages = read_pages(report.write_pdf(tmp_path / f"{paper}.pdf", paper=paper))
        assert len(pages.sizes) <= 20, paper
        assert pages.outside == [], paper


@pytest.mark.skipif(not NIHPO.is_dir(), reason="the NIHPO study is not in shared/external/real")
def test_a_large_real_studys_pdf_renders_in_seconds(tmp_path):
    report = validate([NIHPO], "sdtm")
    assert len(report.findings()) > 5_000
    started = time.perf_counter()
    pages = read_pages(report.write_pdf(tmp_path / "audit.pdf"))
    assert time.perf_counter() - started < 10  # measured: about 0.5 s
    assert len(pages.sizes) <= 20 and pages.outside == []
