"""Per-field agreement of the registry-page reader with the source XML of the pages it reads.

Reads the committed fixture pages (``tests/fixtures/registry_pages``) and, with ``--corpus-sample N``, also
N more legacy XML records rendered on the fly in both page styles; prints, per field, how many pages agree
with the values read from the XML. ``python -m bench.registry_page_eval [--corpus-sample 300]``.
"""

from __future__ import annotations

import argparse
import csv
import random
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


def agreement(render: ModuleType, pages: Iterable[tuple[str, str, str, bytes]]) -> tuple[dict[str, list[str]], int]:
    """Per field, the names of the pages that disagree with their XML; and the number of pages read."""
    reader = RegistryPageReader()
    misses: dict[str, list[str]] = {}
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
    return misses, total


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
    misses, total = agreement(render, pages)
    print(f"{'field':<26}{'agree':>8}{'pages':>8}{'rate':>9}")
    for field_name, missed in misses.items():
        rate = 100.0 * (total - len(missed)) / total if total else 0.0
        print(f"{field_name:<26}{total - len(missed):>8}{total:>8}{rate:>8.1f}%  {' '.join(missed[: args.show])}")


if __name__ == "__main__":
    main()
