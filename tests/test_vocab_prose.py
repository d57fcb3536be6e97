"""The prose reader's vocabulary: the registry-built TSV files and the curated lists in ``vocab/prose_terms.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.build_vocab import build
from trial_pipeline.vocab import lexicon, prose_terms

VOCAB = Path(__file__).resolve().parents[1] / "trial_pipeline" / "vocab"

HEADS = [
    # Last words of registry intervention names, typed as most of those names are.
    ("training", "BEHAVIORAL"),
    ("surgery", "PROCEDURE"),
    ("stent", "DEVICE"),
    ("radiotherapy", "RADIATION"),
    ("vaccine", "BIOLOGICAL"),
    # A word ending: "immunotherapy", "chemotherapy", "psychotherapy" share no single type.
    ("-therapy", "OTHER"),
]


@pytest.mark.parametrize(("head", "kind"), HEADS)
def test_intervention_heads(head: str, kind: str) -> None:
    assert lexicon.intervention_heads()[head] == kind


@pytest.mark.parametrize(
    "word",
    # Assessments, dosing words and generic nouns end registry names without naming what is given.
    ["analysis", "questionnaire", "dose", "treatment", "control", "system"],
)
def test_non_intervention_heads_are_left_out(word: str) -> None:
    assert word not in lexicon.intervention_heads()


def test_drug_stems_and_common_words() -> None:
    # Longest stems first, so that the most specific stem decides; the old curated list is kept whole.
    stems = lexicon.drug_stems()
    assert stems == tuple(sorted(stems, key=len, reverse=True))
    assert {"mab", "tinib", "menib", "toclax", "pril", "estrant"} <= set(stems)
    common = lexicon.common_words()
    # Ordinary words of trial prose are in; drug names never are.
    assert {"patients", "exercise", "concept"} <= common
    assert not {"rituximab", "cisplatin", "venetoclax"} & common


def test_curated_lists_are_lower_case_where_matched_lower_case() -> None:
    # Lists matched against lower-cased words must hold lower-case words only.
    for name in (
        "FUNCTION_WORDS", "OBJECT_VERBS", "PARTICIPLE_MODIFIERS", "NOT_MODIFIERS", "NUMBER_WORDS", "GROUP_NOUNS",
        "NOT_ARM_LABELS", "ANALYTE_BEFORE", "ANALYTE_AFTER", "DRUG_CLASS_NOUNS", "GENERIC_CONDITIONS",
    ):  # fmt: skip
        words = getattr(prose_terms, name)
        assert all(w == w.lower() for w in words), name
    assert all(w == w.upper() for w in prose_terms.NOT_ACRONYMS)


@pytest.mark.corpus
@pytest.mark.slow
def test_vocabulary_is_rebuilt_from_registry_data(corpus: Path) -> None:
    # The shipped files are what bench/build_vocab.py makes from the registry records: nothing typed by hand.
    for name, rows in build(corpus).items():
        shipped = [
            line.split("\t")
            for line in (VOCAB / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        assert shipped == [list(r) for r in rows], name
