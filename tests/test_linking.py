"""Linking trial records across documents: shared registry IDs, then acronyms, then a strict attribute match."""

from __future__ import annotations

import pytest

from trial_pipeline.linking import link_trials
from trial_pipeline.models import TrialRecord


def trial(trial_id: str, **kw: object) -> TrialRecord:
    return TrialRecord(document_id="d-" + trial_id, trial_id=trial_id, **kw)  # type: ignore[arg-type]


CASES = [
    # A news acronym-only record and a registry record carrying the acronym: one trial, keyed by the NCT ID.
    (
        [trial("ACRONYM:KOMET-001", acronym="KOMET-001"), trial("NCT04067336", other_ids=("KOMET-001",))],
        {"ACRONYM:KOMET-001": "NCT04067336", "NCT04067336": "NCT04067336"},
    ),
    # A shared EudraCT number links an ISRCTN-keyed record to an NCT-keyed one.
    (
        [trial("ISRCTN12345678", other_ids=("2019-001234-56",)), trial("NCT01234567", other_ids=("2019-001234-56",))],
        {"ISRCTN12345678": "NCT01234567", "NCT01234567": "NCT01234567"},
    ),
    # Acronym match is case-insensitive.
    (
        [trial("ACRONYM:Orchid-2", acronym="Orchid-2"), trial("NCT22222222", acronym="ORCHID-2")],
        {"ACRONYM:Orchid-2": "NCT22222222", "NCT22222222": "NCT22222222"},
    ),
    # One acronym reused by two registered trials: ambiguous, so it links nothing (not even the acronym-only one).
    (
        [trial("NCT11111111", acronym="ALPHA"), trial("NCT22222222", acronym="ALPHA"), trial("ACRONYM:ALPHA")],
        {"NCT11111111": "NCT11111111", "NCT22222222": "NCT22222222", "ACRONYM:ALPHA": "ACRONYM:ALPHA"},
    ),
    # Transitive: A-B share an ID, B-C share an acronym.
    (
        [
            trial("TP-AAAA", other_ids=("2015-001234-12",)),
            trial("2015-001234-12", acronym="BETA-3"),
            trial("ACRONYM:BETA-3", acronym="BETA-3"),
        ],
        {"TP-AAAA": "2015-001234-12", "2015-001234-12": "2015-001234-12", "ACRONYM:BETA-3": "2015-001234-12"},
    ),
    # Nothing shared: every trial is its own.
    ([trial("NCT11111111"), trial("TP-BBBB")], {"NCT11111111": "NCT11111111", "TP-BBBB": "TP-BBBB"}),
]


@pytest.mark.parametrize(("trials", "expected"), CASES)
def test_link_by_identifiers(trials: list[TrialRecord], expected: dict[str, str]) -> None:
    assert link_trials(trials) == expected


SPONSOR = "Acme Bio"
AML = ("Acute Myeloid Leukemia",)

ATTRIBUTE_CASES = [
    # Same sponsor, conditions and drugs, no IDs: linked (smallest derived key is canonical).
    (
        [trial("TP-1", lead_sponsor=SPONSOR, conditions=AML), trial("TP-2", lead_sponsor="acme bio", conditions=AML)],
        {"TP-1": ["drugamab"], "TP-2": ["Drugamab"]},
        {"TP-1": "TP-1", "TP-2": "TP-1"},
    ),
    # A different drug set: not linked.
    (
        [trial("TP-1", lead_sponsor=SPONSOR, conditions=AML), trial("TP-2", lead_sponsor=SPONSOR, conditions=AML)],
        {"TP-1": ["drugamab"], "TP-2": ["drugamab", "cytarabine"]},
        {"TP-1": "TP-1", "TP-2": "TP-2"},
    ),
    # A missing sponsor is not agreement: not linked.
    (
        [trial("TP-1", conditions=AML), trial("TP-2", lead_sponsor=SPONSOR, conditions=AML)],
        {"TP-1": ["drugamab"], "TP-2": ["drugamab"]},
        {"TP-1": "TP-1", "TP-2": "TP-2"},
    ),
    # Two registered trials of the same sponsor, drug and disease stay apart.
    (
        [
            trial("NCT11111111", lead_sponsor=SPONSOR, conditions=AML),
            trial("NCT22222222", lead_sponsor=SPONSOR, conditions=AML),
        ],
        {"NCT11111111": ["drugamab"], "NCT22222222": ["drugamab"]},
        {"NCT11111111": "NCT11111111", "NCT22222222": "NCT22222222"},
    ),
]


@pytest.mark.parametrize(("trials", "drugs", "expected"), ATTRIBUTE_CASES)
def test_link_by_attributes(trials: list[TrialRecord], drugs: dict[str, list[str]], expected: dict[str, str]) -> None:
    assert link_trials(trials, drugs) == expected


def test_without_drugs_attributes_do_not_link() -> None:
    # Rule 3 needs the interventions; without them only identifiers link.
    trials = [trial("TP-1", lead_sponsor=SPONSOR, conditions=AML), trial("TP-2", lead_sponsor=SPONSOR, conditions=AML)]
    assert link_trials(trials) == {"TP-1": "TP-1", "TP-2": "TP-2"}
