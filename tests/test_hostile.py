"""A hostile raw corpus, generated in tmp: every file must cost at most itself, with a clear reason, quickly.

Empty, binary, truncated XML/JSON, external entities pointing at a local secret, entity bombs, deep JSON,
broken encodings, a 30 MB file, odd names, non-record JSON, HTML with scripts, and lines built to make a
regex backtrack. Readers are timed one document at a time (``parse_document`` only); the folder then goes
through the real CLI, which must give every file its ``documents`` row and still publish the good ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES
from trial_pipeline.cli import main
from trial_pipeline.ingest import iter_parsed, scan_raw
from trial_pipeline.models import Document, ParseStatus
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.constraints import extract_constraints
from trial_pipeline.parsers.criteria import split_criteria
from trial_pipeline.parsers.registry import READERS, document_id_for, parse_document
from trial_pipeline.settings import DEFAULT_MAX_DOCUMENT_BYTES, PathsResource

#: A token written into a local "secret" file; no output of the pipeline may ever contain it.
SECRET_TOKEN = "SECRET-" + uuid.uuid4().hex
HUGE_BYTES = 30 * 1024 * 1024
#: Generous sanity bound per document on a loaded 2-core box; real documents take milliseconds.
MAX_SECONDS = 2.0
#: The byte limit the CLI run is given through TRIAL_PIPELINE_MAX_DOCUMENT_BYTES.
CLI_LIMIT = 1_000_000

GOOD_XML = FIXTURES / "ctgov" / "NCT00490022.xml"
GOOD_JSON = FIXTURES / "ctgov" / "NCT03418623.json"

_DTD_PAD = "<!-- <clinical_study> " + "x" * 20000 + " -->"
_LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def _xxe(secret: Path, pad: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE clinical_study [{pad}<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<clinical_study><id_info><nct_id>NCT09999901</nct_id></id_info>"
        "<brief_title>&xxe;</brief_title><brief_summary><textblock>&xxe;</textblock></brief_summary>"
        "</clinical_study>\n"
    ).encode()


def _parameter_entity(secret: Path) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE clinical_study [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n'
        "<clinical_study><id_info><nct_id>NCT09999902</nct_id></id_info><brief_title>&p;</brief_title>"
        "</clinical_study>\n"
    ).encode()


def _external_dtd(secret: Path) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE clinical_study SYSTEM "file://{secret}">\n'
        "<clinical_study><id_info><nct_id>NCT09999903</nct_id></id_info><brief_title>External DTD</brief_title>"
        "</clinical_study>\n"
    ).encode()


def _billion_laughs(pad: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE clinical_study [{pad}{_LAUGHS}]>\n'
        "<clinical_study><id_info><nct_id>NCT09999904</nct_id></id_info><brief_title>&lol9;</brief_title>"
        "</clinical_study>\n"
    ).encode()


def registry_xml(nct: str, title: str, description: str) -> bytes:
    """The good fixture record under another NCT ID, with its own title prefix and brief summary."""
    text = GOOD_XML.read_text(encoding="utf-8").replace("NCT00490022", nct)
    start = text.index("<brief_summary>")
    end = text.index("</brief_summary>", start)
    text = text[:start] + f"<brief_summary>\n    <textblock>\n      {description}\n    </textblock>\n  " + text[end:]
    return text.replace("<brief_title>", f"<brief_title>{title} ", 1).encode()


def _nested_json(depth: int) -> bytes:
    return ('{"protocolSection": ' + '{"a": [' * depth + "1" + "]}" * depth + "}").encode()


#: Lines built to make a careless regex backtrack: long runs of what patterns repeat over, then a mismatch.
#: 10,000 characters is enough: a quadratic pattern over such a run takes seconds, a linear one milliseconds.
BACKTRACK_LINES = (
    "1" * 10000 + "x",
    "1." * 5000 + "x",
    "- " * 5000 + "x",
    "a" * 10000 + "!",
    "(" * 2500 + "1" * 2500,
    " " * 10000 + "x",
    "Inclusion criteria: " + "age >= 18 and " * 1000 + "!",
    "≥" * 5000 + "1",
    "1 x 10^" * 1500,
    "a@" * 5000 + "b",
    "a." * 5000 + "@",
    "+1 " * 5000,
    "\t" * 10000,
    "1-" * 5000 + "x",
    "Tel: " + "1 " * 5000,
    "NCT" * 5000,
    "ANC " + "≥ 1.5 " * 2000 + "x 10^9/L",
    "* " * 5000 + "x",
    "1) " * 3000,
    "Age " + "18 to " * 2000 + "years",
)
BACKTRACK_TEXT = "\n".join(BACKTRACK_LINES) + "\n"

#: name -> (content, expected fragment of error_message when the document must FAIL; None when it may parse)
EXPECTED: dict[str, str | None] = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "garbage.bin": "binary content",
    "truncated.xml": "malformed XML",
    "truncated.json": "malformed JSON",
    "xxe.xml": "declares entities",
    "xxe_padded.xml": "declares entities",
    "xxe_parameter.xml": "declares entities",
    "xxe_external_dtd.xml": None,
    "billion_laughs.xml": "declares entities",
    "billion_laughs_padded.xml": "declares entities",
    "deep.json": "nested deeper",
    "huge_integer.json": "malformed JSON",
    "invalid_utf8.txt": "not UTF-8",
    "latin1.txt": "not UTF-8",
    "utf16_bom.xml": None,
    "utf16_bom_broken.txt": "invalid utf-16",
    "huge.txt": "over the limit",
    "medium.txt": "over the limit of 1000000",
    "name with spaces é ü 日本.txt": None,
    "numbers.json": "no reader recognises",
    "script.html": "no reader recognises",
    "backtrack.txt": "no reader recognises",
    "good/NCT09999910.xml": None,
    "good/NCT03418623 v2.json": None,
}
#: Files the CLI run refuses by size (never handed to a reader).
TOO_BIG = {"huge.txt", "medium.txt"}


def build(root: Path, secret_dir: Path) -> None:
    """Write the hostile corpus under ``root`` and the secret file in ``secret_dir`` (outside ``root``)."""
    secret = secret_dir / "secret.txt"
    secret.write_text(f"{SECRET_TOKEN}\n", encoding="utf-8")
    good_xml = GOOD_XML.read_bytes()
    prose = b"Study of drug X in patients with cancer. The trial enrolls adults. "
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n",
        "garbage.bin": bytes((i * 7919 + 13) % 256 for i in range(50_000)),
        "truncated.xml": good_xml[: len(good_xml) // 2],
        "truncated.json": GOOD_JSON.read_bytes()[:5000],
        "xxe.xml": _xxe(secret),
        "xxe_padded.xml": _xxe(secret, _DTD_PAD),
        "xxe_parameter.xml": _parameter_entity(secret),
        "xxe_external_dtd.xml": _external_dtd(secret),
        "billion_laughs.xml": _billion_laughs(),
        "billion_laughs_padded.xml": _billion_laughs(_DTD_PAD),
        "deep.json": _nested_json(100_000),
        "huge_integer.json": b'{"protocolSection": {"enrollment": ' + b"9" * 20000 + b"}}",
        "invalid_utf8.txt": (prose + b"\xff\xfe\xc3\x28 end.\n") * 5,
        "latin1.txt": "Étude de phase II du médicament X chez des patients âgés, à Zürich.\n".encode("latin-1"),
        "utf16_bom.xml": registry_xml("NCT09999905", "UTF-16", "Saved as UTF-16.").decode().encode("utf-16"),
        "utf16_bom_broken.txt": b"\xff\xfe" + b"a\x00" * 11 + b"\x00\xd8",
        "medium.txt": prose * (CLI_LIMIT // len(prose) + 10),
        "name with spaces é ü 日本.txt": b"A phase 3 trial (NCT09999906) of pembrolizumab in melanoma has started.\n",
        "numbers.json": json.dumps(list(range(1000))).encode(),
        "script.html": (
            b"<html><head><script>alert('x'); while(true){}</script></head>"
            b"<body><h1>Trial</h1><script src='http://evil.example/x.js'></script></body></html>"
        ),
        "backtrack.txt": BACKTRACK_TEXT.encode(),
        "good/NCT09999910.xml": registry_xml("NCT09999910", "Good neighbour", "A good record beside hostile ones."),
        "good/NCT03418623 v2.json": GOOD_JSON.read_bytes(),
    }
    assert set(files) | {"huge.txt"} == set(EXPECTED)
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    chunk = b"Patients received 10 mg of drug X daily in the trial. " * 1000
    with (root / "huge.txt").open("wb") as handle:
        for _ in range(HUGE_BYTES // len(chunk) + 1):
            handle.write(chunk)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile_raw")
    build(root, tmp_path_factory.mktemp("secret"))
    return root


def _timed(source_path: str, data: bytes) -> tuple[float, object]:
    start = time.perf_counter()
    outcome = parse_document(source_path, data)
    return time.perf_counter() - start, outcome


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - TOO_BIG))
def test_each_hostile_document_parses_or_fails_with_its_reason_quickly(hostile: Path, name: str) -> None:
    data = (hostile / name).read_bytes()
    seconds, outcome = _timed(name, data)
    assert seconds < MAX_SECONDS, f"{name} took {seconds:.2f}s"
    assert isinstance(outcome.status, ParseStatus)  # type: ignore[attr-defined]
    expected = EXPECTED[name]
    message = outcome.error_message or ""  # type: ignore[attr-defined]
    if expected is not None:
        assert expected.lower() in message.lower(), message
    if outcome.status is ParseStatus.FAILED:  # type: ignore[attr-defined]
        assert message, f"{name} failed without a reason"
    assert SECRET_TOKEN not in repr(outcome)


def test_records_saved_as_utf16_with_a_bom_are_read(hostile: Path) -> None:
    outcome = parse_document("utf16_bom.xml", (hostile / "utf16_bom.xml").read_bytes())
    assert outcome.status is ParseStatus.PARSED, outcome.error_message
    assert outcome.parsed is not None and outcome.parsed.trials[0].nct_id == "NCT09999905"


def test_an_external_dtd_is_never_loaded(hostile: Path) -> None:
    outcome = parse_document("x.xml", (hostile / "xxe_external_dtd.xml").read_bytes())
    assert outcome.parsed is not None and outcome.parsed.trials[0].brief_title == "External DTD"
    assert SECRET_TOKEN not in repr(outcome)


def test_every_reader_and_the_criteria_splitter_survive_backtracking_bait() -> None:
    data = BACKTRACK_TEXT.encode()
    document = Document(document_id=document_id_for(data)[0], source_path="bait.txt", data=data, text=BACKTRACK_TEXT)
    for reader in READERS:
        start = time.perf_counter()
        reader.accepts(document)
        with contextlib.suppress(ParseError):
            reader.parse(document)
        seconds = time.perf_counter() - start
        assert seconds < MAX_SECONDS, f"{type(reader).__name__} took {seconds:.2f}s"
    for line in BACKTRACK_LINES:
        start = time.perf_counter()
        criteria = split_criteria(line, document_id="d", trial_id="t")
        extract_constraints(criteria, source_text=line)
        extract_constraints(criteria)
        seconds = time.perf_counter() - start
        assert seconds < MAX_SECONDS, f"criteria of {line[:30]!r}... took {seconds:.2f}s"


def test_bait_inside_real_records_is_read_quickly() -> None:
    # The same lines as the eligibility text of a registry record: the criteria path of the XML reader.
    text = GOOD_XML.read_text(encoding="utf-8")
    start = text.index("<criteria>")
    end = text.index("</criteria>", start)
    bait = BACKTRACK_TEXT.replace("&", "&amp;").replace("<", "&lt;")
    record = text[:start] + f"<criteria><textblock>{bait}</textblock>" + text[end:]
    seconds, outcome = _timed("bait.xml", record.encode())
    assert seconds < MAX_SECONDS
    assert outcome.status is not ParseStatus.FAILED, outcome.error_message  # type: ignore[attr-defined]


def test_the_document_size_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAL_PIPELINE_MAX_DOCUMENT_BYTES", raising=False)
    assert PathsResource().document_byte_limit == DEFAULT_MAX_DOCUMENT_BYTES < HUGE_BYTES
    monkeypatch.setenv("TRIAL_PIPELINE_MAX_DOCUMENT_BYTES", "12345")
    assert PathsResource().document_byte_limit == 12345
    assert PathsResource(max_document_bytes=99).document_byte_limit == 99


def test_links_are_listed_but_never_followed_outside_the_raw_directory(tmp_path: Path) -> None:
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    (raw / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET_TOKEN} in NCT09999907\n", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "NCT09999911.xml").write_bytes(registry_xml("NCT09999911", "Linked dir", "Not listed."))
    (raw / "sub" / "NCT09999910.xml").write_bytes(registry_xml("NCT09999910", "Good", "A good record."))
    (raw / "secret_link.txt").symlink_to(outside / "secret.txt")
    (raw / "inside_link.xml").symlink_to(raw / "sub" / "NCT09999910.xml")
    (raw / "dir_link").symlink_to(outside / "folder", target_is_directory=True)
    (raw / "later.txt").write_text("A phase 2 trial (NCT09999912) of drug X.\n", encoding="utf-8")
    entries = scan_raw(raw)
    # Each folder's files first, then its subfolders; a link to a folder is not followed.
    assert [e.source_path for e in entries] == [
        "inside_link.xml",
        "later.txt",
        "secret_link.txt",
        "sub/NCT09999910.xml",
    ]
    assert [e.outside_link for e in entries] == [False, False, True, False]
    assert entries[2].size_bytes == 0 and entries[0].content_sha256 == entries[3].content_sha256
    # A file swapped for a link to the secret after it was listed is refused when it is opened.
    (raw / "later.txt").unlink()
    (raw / "later.txt").symlink_to(outside / "secret.txt")
    outcomes = {e.source_path: o for e, o in iter_parsed(entries, raw, max_bytes=1 << 20)}
    link_refusal = "symbolic link pointing outside the raw directory; not followed"
    assert {p: (o.parse_status, o.error_message) for p, o in outcomes.items() if o.parse_status == "FAILED"} == {
        "later.txt": ("FAILED", link_refusal),
        "secret_link.txt": ("FAILED", link_refusal),
    }
    assert outcomes["inside_link.xml"].parse_status == outcomes["sub/NCT09999910.xml"].parse_status == "PARSED"
    assert SECRET_TOKEN not in repr(outcomes)


def _strings(value: object) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def test_the_cli_gives_every_hostile_file_its_row_and_publishes_the_good_ones(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRIAL_PIPELINE_MAX_DOCUMENT_BYTES", str(CLI_LIMIT))
    warehouse = tmp_path / "warehouse"
    assert main(["run", "--raw", str(hostile), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    out, err = capfd.readouterr()
    assert SECRET_TOKEN not in out + err

    on_disk = {p.relative_to(hostile).as_posix() for p in hostile.rglob("*") if p.is_file()}
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT source_path, parse_status, error_message FROM documents").fetchall()
        documents = {path: (status, message) for path, status, message in rows}
        assert set(documents) == on_disk and len(rows) == len(on_disk)
        for name, expected in EXPECTED.items():
            status, message = documents[name]
            if status == "FAILED":
                assert message, name
            if expected is not None:
                assert expected.lower() in (message or "").lower(), (name, message)
        trials = {t for (t,) in con.execute("SELECT trial_id FROM trials").fetchall()}
        assert {"NCT09999910", "NCT03418623", "NCT09999905"} <= trials
        # The secret never reaches any table.
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            content = _strings(con.execute(f'SELECT * FROM "{table}"').fetchall())
            assert SECRET_TOKEN not in content, table
    finally:
        con.close()
    for parquet in (warehouse / "parquet").glob("*.parquet"):
        assert SECRET_TOKEN not in _strings(pq.read_table(parquet).to_pylist()), parquet.name
    # Nor any file the pipeline wrote (staging frames, caches, snapshots).
    token = SECRET_TOKEN.encode()
    for dirpath, _, filenames in os.walk(warehouse):
        for filename in filenames:
            path = Path(dirpath) / filename
            if not path.is_symlink():
                assert token not in path.read_bytes(), path


# --- SQL is never built from data -------------------------------------------------------------------------

#: Names an f-string SQL statement may interpolate besides ``_quote(...)``, each reviewed: ``columns`` in
#: publish._insert is built only from ``_quote``-d schema names and their SQL types.
_REVIEWED_NAMES = {"columns"}
_SQL_CALLS = {"execute", "executemany", "sql", "query"}


def _sql_problems(path: Path) -> list[str]:
    import ast

    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        if node.func.attr not in _SQL_CALLS:
            continue
        statement = node.args[0]
        where = f"{path.name}:{node.lineno}"
        if isinstance(statement, ast.JoinedStr):
            for part in statement.values:
                if not isinstance(part, ast.FormattedValue):
                    continue
                value = part.value
                quoted = isinstance(value, ast.Call) and getattr(value.func, "id", None) == "_quote"
                reviewed = isinstance(value, ast.Name) and value.id in _REVIEWED_NAMES
                if not (quoted or reviewed):
                    problems.append(f"{where}: interpolates {ast.unparse(value)}")
        elif isinstance(statement, ast.BinOp) or (
            isinstance(statement, ast.Call) and getattr(statement.func, "attr", None) == "format"
        ):
            problems.append(f"{where}: statement built by concatenation or .format()")
    return problems


def test_sql_statements_interpolate_only_quoted_schema_names() -> None:
    package = Path(__file__).resolve().parents[1] / "trial_pipeline"
    sources = sorted(package.rglob("*.py"))
    assert any("execute(" in p.read_text(encoding="utf-8") for p in sources)
    problems = [problem for path in sources for problem in _sql_problems(path)]
    assert not problems, problems
