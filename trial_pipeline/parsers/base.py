"""The reader protocol every parser module implements, and the error they raise."""

from __future__ import annotations

from typing import Protocol

from trial_pipeline.models import Document, ParsedDocument, SourceFormat


class ParseError(Exception):
    """A document a reader accepted but cannot read; the message becomes ``documents.error_message``."""


class Reader(Protocol):
    """One document format: ``accepts`` looks at content (never the file name), ``parse`` reads it whole.

    Both are pure: no filesystem, no network, no global state. ``parse`` raises :class:`ParseError` for a
    document it cannot read rather than returning half-guessed records.
    """

    source_format: SourceFormat

    def accepts(self, document: Document) -> bool:
        """Whether this reader recognises the document's content."""
        ...

    def parse(self, document: Document) -> ParsedDocument:
        """Read the document into records."""
        ...
