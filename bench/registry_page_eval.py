"""Per-field agreement of the registry-page reader with the source XML of the pages it reads.

Reads the committed fixture pages (``tests/fixtures/registry_pages``) and, with ``--corpus-sample N``, also
N more legacy XML records rendered on the fly in both page styles; prints, per field, how many pages agree
with the values read from the XML. For fields that list values (arms, interventions, outcomes) it also prints,
value by value, the share of the XML's values the page yields exactly (found) and the share of the values read
that are the XML's (right). A value is keyed by what it belongs to: an arm's description by its label, an
outcome's time frame by its measure, an intervention's type by its arm and name.
``python -m bench.registry_page_eval [--corpus-sample 300]``.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from tests.fixtures import render_pages
from trial_pipeline.models import Document
from trial_pipeline.parsers.registry_page import RegistryPageReader

ROOT = Path(__file__).resolve().parents[1]


def fixture_pages(render: ModuleType, pages_dir: Path) -> Iterator[tuple[str, str, str, bytes]]:
    """(name, style, page text, source XML) for every committed fixture page."""
    for page in sorted(pages_dir.glob("*.txt")):
        nct_id, style, _ = page.name.split(".")
        yield page.name, style, page.read_text(encoding="utf-8"), (pages_dir / f"{nct_id}.xml").read_bytes()


def corpus_pages(render: ModuleType, corpus: Path, n: int, seed: int = 11) -> Iterator[tuple[str, str, str, bytes]]:
    """(name, style, page text, source XML) for ``n`` corpus records rendered in both styles."""
    rows = list(csv.DictReader((corpus / "manifest.csv").open()))
    for row in random.Random(seed).sample(rows, min(n, len(rows))):
        xml = (corpus / row["path"]).read_bytes()
        facts = render.study_facts(xml)
        yield f"{row['nct_id']}.medpath", "medpath", render.render_medpath(facts), xml
        yield f"{row['nct_id']}.mirror", "mirror", render.render_mirror(facts), xml


#: The list fields counted value by value, each with the field its values are keyed by.
KEYED_BY = {
    "arm_labels": None,
    "arm_descriptions": "arm_labels",
    "intervention_pairs": None,
    "intervention_types": "intervention_pairs",
    "outcome_measures": None,
    "outcome_time_frames": "outcome_measures",
    "outcome_descriptions": "outcome_measures",
}


def keyed_values(fields: dict[str, object], name: str) -> Counter[object]:
    """The values of list field ``name``, each paired with its key (see :data:`KEYED_BY`), as a multiset."""
    values = fields.get(name, ())
    assert isinstance(values, tuple)
    key = KEYED_BY[name]
    keys = fields.get(key, ()) if key else values
    assert isinstance(keys, tuple)
    return Counter(zip(keys, values, strict=False)) if key else Counter(values)


def agreement(
    render: ModuleType, pages: Iterable[tuple[str, str, str, bytes]]
) -> tuple[dict[str, list[str]], int, dict[str, tuple[int, int, int]]]:
    """Per field, the names of the pages that disagree with their XML; the number of pages read; and per list
    field, (values the XML states, values read, values read that the XML states)."""
    reader = RegistryPageReader()
    misses: dict[str, list[str]] = {}
    counts: dict[str, tuple[int, int, int]] = {}
    total = 0
    for name, style, text, xml in pages:
        total += 1
        document = Document(document_id=name, source_path=name, data=text.encode(), text=text)
        expected = render.expected_fields(render.study_facts(xml), style)
        observed = render.observed_fields(reader.parse(document)) if reader.accepts(document) else {}
        for field_name, value in expected.items():
            misses.setdefault(field_name, [])
            if observed.get(field_name) != value:
                misses[field_name].append(name)
        for field_name in KEYED_BY:
            want, got = keyed_values(expected, field_name), keyed_values(observed, field_name)
            stated, read, right = counts.get(field_name, (0, 0, 0))
            counts[field_name] = (stated + want.total(), read + got.total(), right + (want & got).total())
    return misses, total, counts


def main() -> None:
    """Print the per-field agreement table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ctgov-legacy-xml"
    )
    parser.add_argument("--corpus-sample", type=int, default=0, help="corpus records to render (3000: all of them)")
    parser.add_argument("--seed", type=int, default=11, help="random seed of the corpus sample (the tests use 11)")
    parser.add_argument("--show", type=int, default=3, help="page names listed per disagreeing field")
    parser.add_argument("--style", choices=("medpath", "mirror"), help="only pages of this style")
    args = parser.parse_args()
    render = render_pages
    pages: list[tuple[str, str, str, bytes]] = list(fixture_pages(render, ROOT / "tests/fixtures/registry_pages"))
    if args.corpus_sample:
        pages += list(corpus_pages(render, args.corpus, args.corpus_sample, args.seed))
    if args.style:
        pages = [p for p in pages if p[1] == args.style]
    misses, total, counts = agreement(render, pages)
    print(f"{'field':<26}{'agree':>8}{'pages':>8}{'rate':>9}")
    for field_name, missed in misses.items():
        rate = 100.0 * (total - len(missed)) / total if total else 0.0
        print(f"{field_name:<26}{total - len(missed):>8}{total:>8}{rate:>8.1f}%  {' '.join(missed[: args.show])}")
    print(f"\n{'values of list fields':<26}{'stated':>8}{'read':>8}{'found':>9}{'right':>9}")
    for field_name, (stated, read, right) in counts.items():
        found, correct = (100.0 * right / n if n else 100.0 for n in (stated, read))
        print(f"{field_name:<26}{stated:>8}{read:>8}{found:>8.1f}%{correct:>8.1f}%")


if __name__ == "__main__":
    main()
