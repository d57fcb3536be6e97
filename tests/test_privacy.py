"""Personal contact details are never stored: phone numbers and e-mail addresses never reach a table or a log."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES, RAW
from tests.test_hostile import registry_xml
from trial_pipeline.cli import main
from trial_pipeline.models import ArmRecord, Document, ParsedDocument, ResultRecord, SourceFormat
from trial_pipeline.parsers.ctgov_xml import CtgovXmlReader
from trial_pipeline.parsers.registry import parse_document
from trial_pipeline.privacy import (
    _LABEL_WORD,
    REDACTED,
    _has_label_word,
    _may_hold_contact,
    contains_contact,
    scrub,
    scrub_parsed,
    scrub_records,
)

EMAILS = ("jane.doe@example.org", "study-nurse+trials@hospital.example.co.uk")
PHONES = ("(617) 555-0100", "617-555-0199", "+86 13008706320", "+44 (0)20 7946 0958")
# Loose detectors, independent of privacy.py: anything looking like an address or a run of 9+ phone digits.
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE_DIGITS = ("6175550100", "6175550199", "13008706320", "13809319379", "2079460958")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+86 13008706320", REDACTED),
        ("Contact: jane.doe@example.org.", f"Contact: {REDACTED}."),
        ("call (617) 555-0100 or 617.555.0199", f"call {REDACTED} or {REDACTED}"),
        ("1-800-662-7999", REDACTED),
        ("+44 (0)20 7946 0958", REDACTED),
        ("Tel: 010 1234 5678", f"Tel: {REDACTED}"),
        ("<phone>626-447-0064</phone>", f"<phone>{REDACTED}</phone>"),
        ("TEL: 010 1234 5678", f"TEL: {REDACTED}"),  # label in capitals (ASCII: read lower-cased)
        ("Téléphone Tel: 010 1234 5678", f"Téléphone Tel: {REDACTED}"),  # not ASCII: read ignoring case
        ("Mobıle 010 1234 5678", f"Mobıle {REDACTED}"),  # a dotless ı still reads as "mobile"
        ("(617) 555-0100", REDACTED),  # North American digits found from the separator back
    ],
)
def test_scrub_redacts_contacts(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NCT01234567",
        "EudraCT 2014-005181-30",
        "2014-005181-30",
        "2019-03-15",
        "March 15, 2019",
        "100 mg/m2 on days 1-5",
        "pembrolizumab 200 mg IV q3w",
        "ANC >= 1.5 x 10^9/L",
        "platelets ≥ 100 x 10⁹/L",
        "age 18-75 years",
        "Age 18 to 75",
        "+1.5 SD",
        "HbA1c +0.5%",
        "CD34+ cells 2.0 x 10^6/kg",
        "1 000 000 cells/kg",
        "ISRCTN12345678",
        "ChiCTR2000031234",
        "UMIN000012345",
        "doi:10.1016/j.ejca.2019.01.001",
        "bilirubin ≤ 1.5 × ULN; creatinine clearance ≥ 60 mL/min",
        "Phone interviews at weeks 4, 8 and 12",
        "version 2.1.3",
        "IP 192.168.100.100",
    ],
)
def test_scrub_keeps_identifiers_dates_doses_and_lab_values(text: str) -> None:
    assert scrub(text) == text


def test_scrub_records_changes_only_what_holds_contacts() -> None:
    records = (
        ArmRecord("d", "t", 1, "A", description="Nurse: 617-555-0100"),
        ArmRecord("d", "t", 2, "B +", description="Placebo"),
    )
    out = scrub_records(records)
    assert out[0].description == f"Nurse: {REDACTED}" and out[0].label == "A"
    assert out[1] is records[1]  # a clue ("+") but no contact: the record is kept as it was
    # Nothing anywhere in the table that a pattern needs: the table comes back as it was.
    assert scrub_records(records[1:]) == records[1:]


@pytest.mark.parametrize(
    "text",
    [
        "Tel: 010 1234 5678",
        "TELEPHONE 555",
        "tel",  # a label at the very start
        "hotel 010 1234 5678",  # inside a word: no label
        "x_tel 1",  # "_" is a word character
        "9tel 1",
        "a-tel 1",  # "-" is not
        "Faxed",
        "Mobile",
        "mob 1",  # a stem, not "mobile"
        "Mobıle 010",  # not ASCII: a dotless ı reads as i
        "MOBİLE 010",  # a dotted capital İ too
        "éTel 1",  # not ASCII: the gate takes "é" for a boundary, the regex does not
        "é tel 1",
        "intel inside",
        "",
    ],
)
def test_label_gate_finds_every_label_the_regex_finds(text: str) -> None:
    found = _LABEL_WORD.search(text) is not None
    assert _has_label_word(text) or not found
    if text.isascii():  # read exactly
        assert _has_label_word(text) == found


@pytest.mark.parametrize(
    "text",
    [*EMAILS, *PHONES, "1-800-662-7999", "617.555.0199", "(617)555-0100", "Tel: 010 1234 5678", "Fax 555-0100"],
)
def test_contact_gate_passes_every_contact(text: str) -> None:
    # The gates may only skip texts scrub leaves alone: anything scrub redacts passes them, alone or joined.
    assert scrub(text) != text
    assert _may_hold_contact(text)
    assert _may_hold_contact(f"no contact here\n{text}\n2014-005181-30")


@pytest.mark.parametrize(
    "text",
    ["EudraCT 2014-005181-30", "HER2+ disease", "+1.5 SD", "hotel stay", "12.5 (3.1) mg/dL", "2019-03-15"],
)
def test_contact_gate_skips_texts_without_a_contact(text: str) -> None:
    assert not _may_hold_contact(text)


def test_scrub_parsed_reads_every_table_and_keeps_a_clean_document_as_it_is() -> None:
    row = ResultRecord("d", "t", 1, "Score", group_label="Arm A", value_raw="12.5", time_frame="Week 12")
    clean = ParsedDocument(SourceFormat.CTGOV_XML, results=(row,) * 3, arms=(ArmRecord("d", "t", 1, "A"),))
    assert scrub_parsed(clean) is clean
    leaky = ParsedDocument(SourceFormat.CTGOV_XML, results=(row, ResultRecord("d", "t", 2, "Call 617-555-0100")))
    out = scrub_parsed(leaky)
    assert out.results[0] is row and out.results[1].measure == f"Call {REDACTED}"


def test_scrub_is_linear_on_hostile_input() -> None:
    baits = ("a" * 200_000 + "@", "a." * 100_000, "+1 " * 70_000, "1-" * 100_000, "Tel: " + "1 " * 100_000)
    for bait in (*baits, "hotel " * 100_000, "(617)" * 100_000):
        start = time.perf_counter()
        scrub(bait)
        assert time.perf_counter() - start < 2.0


def _raw_with_contacts(root: Path) -> None:
    description = f"Questions: {EMAILS[0]} or call {PHONES[0]}. Coordinator {EMAILS[1]}, {PHONES[3]}."
    record = registry_xml("NCT09999930", f"Call {PHONES[1]}", description).decode()
    criterion = f"Contact the study nurse at {EMAILS[0]} or {PHONES[1]} before screening"
    record = record.replace(
        "<criteria>\n      <textblock>", f"<criteria>\n      <textblock>\n        - {criterion}\n", 1
    )
    (root / "registry").mkdir()
    (root / "registry" / "NCT09999930.xml").write_text(record, encoding="utf-8")
    shutil.copy(RAW / "003_f1b628404261852c.txt", root / "003_f1b628404261852c.txt")
    shutil.copy(FIXTURES / "ctgov" / "NCT03418623.json", root / "NCT03418623.json")
    (root / "news.txt").write_text(
        "A phase 3 trial (NCT09999931) of pembrolizumab in melanoma has started. Patients can call "
        f"{PHONES[0]} or write to {EMAILS[0]}; in China +86 13008706320.\n",
        encoding="utf-8",
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _leaks(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    found = [m.group(0) for m in _EMAIL_LIKE.finditer(text)]
    found += [d for d in _PHONE_DIGITS if d in digits]
    if contains_contact(text):
        found.append(text)
    return found


def test_no_phone_or_email_reaches_any_table_parquet_file_or_log(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _raw_with_contacts(raw)
    # The readers do pick the contacts up: without the scrub they would be stored.
    data = (raw / "registry" / "NCT09999930.xml").read_bytes()
    before = CtgovXmlReader().parse(Document("0" * 16, "x.xml", data, data.decode()))
    assert EMAILS[0] in repr(before) and PHONES[1] in repr(before)
    # parse_document scrubs before anything downstream (cache, staging, warehouse, logs) sees the records.
    assert not _leaks(repr(parse_document("x.xml", data)))

    warehouse = tmp_path / "warehouse"
    assert main(["run", "--raw", str(raw), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    out, err = capfd.readouterr()
    logs = out + err + caplog.text
    assert not _leaks(logs), _leaks(logs)

    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type IN ('VARCHAR', 'VARCHAR[]') ORDER BY ALL"
        ).fetchall()
        assert {t for t, _ in columns} >= {"trials", "arms", "criteria", "documents", "quarantine"}
        scanned = 0
        for table, column in columns:
            sql = f'SELECT "{column}" FROM "{table}"'  # names from information_schema, not from data
            for (value,) in con.execute(sql).fetchall():
                for text in _strings(value):
                    scanned += 1
                    assert not _leaks(text), (table, column, text)
        assert scanned > 100
        redacted = con.execute("SELECT count(*) FROM criteria WHERE text LIKE '%[redacted]%'").fetchone()
        assert redacted == (1,)
        summary = con.execute("SELECT brief_summary FROM trials WHERE trial_id = 'NCT09999930'").fetchone()
        assert summary is not None and summary[0].count(REDACTED) == 4
    finally:
        con.close()
    for parquet in (warehouse / "parquet").glob("*.parquet"):
        for row in pq.read_table(parquet).to_pylist():
            for text in _strings(list(row.values())):
                assert not _leaks(text), (parquet.name, text)
    # Nor any working file the pipeline keeps: parse cache, staged frames, snapshots.
    for path in warehouse.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(e.encode() in content for e in EMAILS), path
            assert not any(p.encode() in content for p in PHONES), path
