"""Dispatch: every document gets an outcome, whatever its bytes; detection is by content, never by name."""

from __future__ import annotations

import codecs

import pytest

from tests.conftest import FIXTURES
from trial_pipeline.models import ParseStatus, SourceFormat
from trial_pipeline.parsers.registry import decode, parse_document

XML = (FIXTURES / "ctgov" / "NCT00490022.xml").read_bytes()
JSON = (FIXTURES / "ctgov" / "NCT03418623.json").read_bytes()


@pytest.mark.parametrize(
    ("name", "data", "fmt", "status", "reason"),
    [
        # Format comes from content: an XML record saved with a .txt name is still XML.
        ("record.txt", XML, SourceFormat.CTGOV_XML, ParseStatus.PARSED, None),
        ("study.xml", JSON, SourceFormat.CTGOV_JSON, ParseStatus.PARSED, None),
        ("empty.json", b"", SourceFormat.UNKNOWN, ParseStatus.FAILED, "empty file"),
        ("blank.txt", b"  \n\t ", SourceFormat.UNKNOWN, ParseStatus.FAILED, "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), SourceFormat.UNKNOWN,
         ParseStatus.FAILED, "binary content"),
        ("numbers.json", b"[1, 2, 3]", SourceFormat.UNKNOWN, ParseStatus.FAILED, "no reader recognises"),
        ("truncated.xml", XML[: len(XML) // 2], SourceFormat.CTGOV_XML, ParseStatus.FAILED, "malformed XML"),
    ],
)  # fmt: skip
def test_parse_document(name: str, data: bytes, fmt: SourceFormat, status: ParseStatus, reason: str | None) -> None:
    outcome = parse_document(name, data)
    assert (outcome.source_format, outcome.status) == (fmt, status)
    if reason is None:
        assert outcome.error_message is None
        assert outcome.parsed is not None and len(outcome.parsed.trials) == 1
    else:
        assert outcome.error_message is not None and reason in outcome.error_message


@pytest.mark.parametrize(
    ("data", "text", "problem"),
    [
        ("Größe ≥ 18".encode(), "Größe ≥ 18", None),
        (codecs.BOM_UTF8 + b"abc", "abc", None),
        (codecs.BOM_UTF16_LE + "µg/kg".encode("utf-16-le"), "µg/kg", None),
        # Latin-1 / Windows-1252 text is read, and the document says so.
        ("café 5 µg".encode("cp1252"), "café 5 µg", "not UTF-8: decoded as Windows-1252"),
        (b"\x00\x01\x02\x03binary", None, "binary content (not text)"),
    ],
)
def test_decode(data: bytes, text: str | None, problem: str | None) -> None:
    assert decode(data) == (text, problem)


def test_a_reader_bug_costs_one_document_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from trial_pipeline.parsers import ctgov_xml

    def explode(self: object, document: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(ctgov_xml.CtgovXmlReader, "parse", explode)
    outcome = parse_document("a.xml", XML)
    assert outcome.status == ParseStatus.FAILED
    assert outcome.error_message == "internal error in CtgovXmlReader: KeyError('boom')"
