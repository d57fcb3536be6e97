"""Loader for the curated vocabulary files shipped in this package (built by ``bench/build_vocab.py``).

Reading package data through :mod:`importlib.resources` is the only IO here; results are cached so parsers can call
these functions per document at no cost. Keys are lower-cased and whitespace-folded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class DrugEntry:
    """One drug synonym: its canonical (generic where the registry gave one) name and its kind."""

    synonym: str
    canonical: str
    kind: str


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _rows(name: str) -> list[list[str]]:
    """The data rows of one vocabulary file: comment lines and the column header dropped."""
    text = resources.files("trial_pipeline.vocab").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


@cache
def version() -> str:
    """The version header of the vocabulary (from ``drugs.tsv``)."""
    text = resources.files("trial_pipeline.vocab").joinpath("drugs.tsv").read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    return first.removeprefix("# version:").strip()


@cache
def drugs() -> dict[str, DrugEntry]:
    """Drug synonyms (code, brand and generic names) keyed by their folded spelling."""
    return {_key(r[0]): DrugEntry(r[0], r[1], r[2]) for r in _rows("drugs.tsv") if len(r) >= 3}


@cache
def conditions() -> dict[str, str]:
    """Condition terms keyed by folded spelling, valued by their registry display form."""
    table = {_key(r[0]): r[0] for r in _rows("conditions.tsv") if r}
    # Abbreviation expansions are condition terms too, even when no registry record spells them out alone.
    for expansion in abbreviations().values():
        table.setdefault(_key(expansion), expansion)
    return table


@cache
def abbreviations() -> dict[str, str]:
    """Condition abbreviations (case-sensitive, e.g. ``AML``) -> expansion (``Acute Myeloid Leukemia``)."""
    return {r[0]: r[1] for r in _rows("abbreviations.tsv") if len(r) >= 2}


@cache
def countries() -> dict[str, str]:
    """Country names keyed by folded spelling."""
    return {_key(r[0]): r[0] for r in _rows("countries.tsv") if r}


@cache
def intervention_heads() -> dict[str, str]:
    """Last words of registry intervention names ("training", "stent"; "-therapy" for an ending) -> their type."""
    return {r[0]: r[1] for r in _rows("intervention_heads.tsv") if len(r) >= 2}


@cache
def drug_stems() -> tuple[str, ...]:
    """INN stems that registry generic names confirm ("mab", "tinib"), longest first."""
    return tuple(sorted((r[0] for r in _rows("drug_stems.tsv") if r), key=len, reverse=True))


@cache
def common_words() -> frozenset[str]:
    """Ordinary words of registry prose (lower case), drug names excepted."""
    return frozenset(r[0] for r in _rows("common_words.tsv") if r)
