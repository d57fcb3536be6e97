"""Link trial records from different documents that describe the same trial.

Pure: records in, a mapping out. Three rules, most certain first:

1. a shared registry ID (NCT, EudraCT, ISRCTN, ...) in ``trial_id``, ``nct_id`` or ``other_ids``;
2. a shared study acronym (``KOMET-001``), compared case-insensitively;
3. for trials with neither in common, the same lead sponsor AND the same conditions AND the same interventions
   (the caller passes a trial's intervention names in ``drugs_by_trial``). All three must be present and agree:
   a wrong merge is worse than a missed one, so no partial or fuzzy match links.

Two groups that carry different NCT IDs are never merged, and a key (acronym, signature) shared by several
registered trials links nothing: an acronym can be reused by unrelated trials, an NCT ID cannot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from trial_pipeline.models import TrialRecord

_NCT = re.compile(r"^NCT\d{8}$")
_ACRONYM_PREFIX = "ACRONYM:"
_LETTER = re.compile(r"[A-Za-z]")
# Registry ID shapes (kept in step with the narrative reader's); anything else in other_ids is an acronym or an
# organisation's own study number.
_REGISTRY_ID = re.compile(
    r"^(?:NCT\d{8}|20\d{2}-\d{6}-\d{2}|20\d{2}-5\d{5}-\d{2}-\d{2}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR-?[A-Z0-9-]{8,16}|"
    r"JapicCTI-?\d{6}|jRCT[a-z]?\d{10}|UMIN\d{9}|CTRI/\d{4}/\d{2,3}/\d{6}|DRKS\d{8}|KCT\d{7}|PACTR\d{15})$"
)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _registry_ids(trial: TrialRecord) -> set[str]:
    ids = {trial.trial_id, *(trial.other_ids or ())}
    if trial.nct_id:
        ids.add(trial.nct_id)
    return {i for i in ids if _REGISTRY_ID.match(i)}


def _acronyms(trial: TrialRecord) -> set[str]:
    out = {_norm(trial.acronym)} if trial.acronym else set()
    if trial.trial_id.startswith(_ACRONYM_PREFIX):
        out.add(_norm(trial.trial_id[len(_ACRONYM_PREFIX) :]))
    out.update(_norm(i) for i in trial.other_ids if not _REGISTRY_ID.match(i) and _LETTER.search(i))
    return out


def _rank(trial_id: str) -> tuple[int, str]:
    """Which id is canonical in a group: an NCT ID, else another registry ID, else an acronym key, else derived."""
    if _NCT.match(trial_id):
        return 0, trial_id
    if _REGISTRY_ID.match(trial_id):
        return 1, trial_id
    if trial_id.startswith(_ACRONYM_PREFIX):
        return 2, trial_id
    return 3, trial_id


def link_trials(
    trials: Sequence[TrialRecord], drugs_by_trial: Mapping[str, Sequence[str]] | None = None
) -> dict[str, str]:
    """Map each input ``trial_id`` to the canonical ``trial_id`` of the group it belongs to.

    The canonical id is the group's NCT ID when it has one, else another registry ID, else an acronym key, else
    the smallest derived key. ``drugs_by_trial`` (trial_id -> intervention names) enables rule 3; without it only
    identifiers link.
    """
    ids = sorted({t.trial_id for t in trials})
    parent = {i: i for i in ids}
    ncts: dict[str, set[str]] = {i: set() for i in ids}
    for t in trials:
        if _NCT.match(t.trial_id):
            ncts[t.trial_id].add(t.trial_id)
        if t.nct_id:
            ncts[t.trial_id].add(t.nct_id)

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or (ncts[ra] and ncts[rb] and ncts[ra] != ncts[rb]):
            return
        keep, drop = sorted((ra, rb), key=_rank)
        parent[drop] = keep
        ncts[keep] |= ncts[drop]

    def link_by(keys_of: dict[str, set[str]]) -> None:
        holders: dict[str, list[str]] = {}
        for trial_id in ids:
            for key in sorted(keys_of.get(trial_id, ())):
                holders.setdefault(key, []).append(trial_id)
        for members in holders.values():
            # A key held by groups with different NCT IDs is ambiguous (a reused acronym): link nothing by it
            # rather than pick one of them.
            registered = {frozenset(ncts[find(m)]) for m in members if ncts[find(m)]}
            if len(registered) > 1:
                continue
            for other in members[1:]:
                union(members[0], other)

    reg: dict[str, set[str]] = {}
    acr: dict[str, set[str]] = {}
    for t in trials:
        reg.setdefault(t.trial_id, set()).update(_registry_ids(t))
        acr.setdefault(t.trial_id, set()).update(_acronyms(t))
    link_by(reg)
    link_by(acr)

    if drugs_by_trial:
        # A signature must be the same in full; only trials that have no registry ID of their own are linked this
        # way, so two registered trials with the same sponsor, drug and disease stay apart.
        signature: dict[str, set[str]] = {}
        for t in trials:
            drugs = drugs_by_trial.get(t.trial_id) or ()
            if reg[t.trial_id] or not (t.lead_sponsor and t.conditions and drugs):
                continue
            key = "|".join(
                (
                    _norm(t.lead_sponsor),
                    ";".join(sorted({_norm(c) for c in t.conditions})),
                    ";".join(sorted({_norm(d) for d in drugs})),
                )
            )
            signature.setdefault(t.trial_id, set()).add(key)
        link_by(signature)

    return {i: find(i) for i in ids}
