"""Format detection and dispatch: bytes in, a :class:`ParseOutcome` out, whatever the bytes are.

Readers are tried in priority order, specific before generic (structured registry formats, then registry
pages, then prose). ``parse_document`` never raises: a document no reader accepts, or that its reader
cannot read, comes back FAILED with the reason, so it still gets its ``documents`` row.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

from trial_pipeline.models import Document, ParsedDocument, ParseStatus, SourceFormat
from trial_pipeline.parsers.base import ParseError, Reader
from trial_pipeline.parsers.ctgov_json import CtgovJsonReader
from trial_pipeline.parsers.ctgov_xml import CtgovXmlReader
from trial_pipeline.parsers.narrative import NarrativeReader
from trial_pipeline.parsers.registry_page import RegistryPageReader
from trial_pipeline.privacy import scrub, scrub_parsed

#: Bumped whenever a reader's output changes, so cached parses are redone (see issue 7).
PARSER_VERSION = "13"

# Specific before generic: structured records, then labelled registry pages, then any prose.
READERS: tuple[Reader, ...] = (CtgovXmlReader(), CtgovJsonReader(), RegistryPageReader(), NarrativeReader())

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Share of control bytes above which a file is taken as binary, not text.
_BINARY_SHARE = 0.10
_SNIFF = 8192
# C0 control bytes other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """What became of one document: its format, status, reason and records (empty when FAILED)."""

    source_format: SourceFormat
    status: ParseStatus
    error_message: str | None
    parsed: ParsedDocument | None


def document_id_for(data: bytes) -> tuple[str, str]:
    """``(document_id, content_sha256)``: the ID is the first 16 hex digits of the content hash."""
    digest = hashlib.sha256(data).hexdigest()
    return digest[:16], digest


def decode(data: bytes) -> tuple[str | None, str | None]:
    """``(text, problem)``: text from a BOM, else UTF-8, else Windows-1252; None for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), None
            except UnicodeDecodeError as exc:
                return None, f"invalid {encoding} after its byte-order mark: {exc.reason} at byte {exc.start}"
    head = data[:_SNIFF]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and (b"\x00" in head or controls / len(head) > _BINARY_SHARE):
        return None, "binary content (not text)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        # Windows-1252 maps every byte but five; the rest are decoded as Latin-1 so nothing is lost.
        return data.decode("cp1252", errors="replace"), "not UTF-8: decoded as Windows-1252"


def detect(document: Document) -> Reader | None:
    """The first reader, in priority order, that accepts the document's content."""
    for reader in READERS:
        if reader.accepts(document):
            return reader
    return None


def parse_document(source_path: str, data: bytes) -> ParseOutcome:
    """Decode, detect and parse one document; any failure becomes a FAILED outcome with its reason.

    Contact details are removed here, before the outcome is cached, staged, published or logged.
    """
    outcome = _read(source_path, data)
    return ParseOutcome(
        outcome.source_format,
        outcome.status,
        scrub(outcome.error_message) if outcome.error_message else None,
        scrub_parsed(outcome.parsed) if outcome.parsed else None,
    )


def _read(source_path: str, data: bytes) -> ParseOutcome:
    document_id, _ = document_id_for(data)
    if not data.strip():
        return ParseOutcome(SourceFormat.UNKNOWN, ParseStatus.FAILED, "empty file", None)
    text, problem = decode(data)
    if text is None:
        return ParseOutcome(SourceFormat.UNKNOWN, ParseStatus.FAILED, problem, None)
    document = Document(document_id=document_id, source_path=source_path, data=data, text=text)
    reader = detect(document)
    if reader is None:
        return ParseOutcome(SourceFormat.UNKNOWN, ParseStatus.FAILED, "no reader recognises this content", None)
    try:
        parsed = reader.parse(document)
    except ParseError as exc:
        return ParseOutcome(reader.source_format, ParseStatus.FAILED, str(exc) or type(exc).__name__, None)
    except (RecursionError, MemoryError) as exc:
        return ParseOutcome(
            reader.source_format, ParseStatus.FAILED, f"document too complex: {type(exc).__name__}", None
        )
    except Exception as exc:  # noqa: BLE001 - a reader bug must cost one document, never the run.
        return ParseOutcome(
            reader.source_format, ParseStatus.FAILED, f"internal error in {type(reader).__name__}: {exc!r}", None
        )
    messages = [*([problem] if problem else []), *parsed.problems]
    return ParseOutcome(parsed.source_format, parsed.status, "; ".join(messages) or None, parsed)
