"""Corpus evaluation of the criteria splitter and the constraint extractor (run by hand, prints numbers).

1. Splitter, on the 3,000 legacy CT.gov XML records: for textblocks laid out as lists, compare the number of
   criteria rows with the number of items a reader sees (list markers at line starts, not counting a marker
   that only continues a hard-wrapped line). Reports the share within 10% and the share exact.
2. Constraints, on the Leaf Clinical Trials corpus (gold brat annotations): precision and recall of AGE and
   lab-value constraints against the gold ``Eq-Comparison`` spans attached to ``Age`` and to lab
   ``Observation`` events. A prediction is correct when it overlaps a gold span of the same variable.

Usage: ``python bench/criteria_eval.py [--shared PATH] [--limit N] [--show N]``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

from trial_pipeline.parsers.constraints import _MENTION, _MENTION_NAMES, extract_constraints
from trial_pipeline.parsers.criteria import split_criteria

LAB_VARIABLES = frozenset(
    {
        "ANC", "PLATELETS", "HEMOGLOBIN", "WBC", "BILIRUBIN", "CREATININE", "CREATININE_CLEARANCE", "ALT", "AST",
        "TRANSAMINASES", "HBV_DNA", "BLASTS",
    }
)  # fmt: skip
_READER_MARKER = re.compile(r"(?:[-*•·o]|\d{1,2}[.)]|[a-zA-Z][.)]|\(\w{1,3}\))[ \t]")


def reader_count(text: str) -> tuple[int, bool]:
    """List items a reader sees, and whether the text is laid out as a list.

    Items are marker lines, except a marker that lands on the continuation of a hard wrap. The text counts as
    a list when it has at least three items and every paragraph that is not a header (a line ending in ":"
    or an inclusion/exclusion title) starts with a marker, so that markers are all a reader counts.
    """
    count = 0
    prev_len = 0
    prev_blank = True
    plain_paragraphs = 0
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            prev_blank = True
            continue
        stripped = line.lstrip()
        if _READER_MARKER.match(stripped) and (prev_blank or prev_len < 75):
            count += 1
        elif prev_blank and not stripped.endswith(":") and not _TITLE.match(stripped):
            plain_paragraphs += 1
        prev_len = len(line)
        prev_blank = False
    return count, count >= 3 and plain_paragraphs == 0


_TITLE = re.compile(r"[*_#\s]{0,4}(?:key\s+)?(?:inclusion|exclusion)\s+criteria", re.IGNORECASE)


def eval_splitter(shared: Path, limit: int | None, show: int) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    files = sorted((shared / "corpus" / "ctgov-legacy-xml").glob("*/*.xml"))[:limit]
    listed = within = exact = 0
    mixed = mixed_within = 0
    worst: list[tuple[float, str, int, int]] = []
    for path in files:
        root = etree.parse(str(path), parser).getroot()
        node = root.find("eligibility/criteria/textblock")
        if node is None or not node.text:
            continue
        text = node.text
        expected, is_list = reader_count(text)
        if expected < 3:
            continue
        got = len(split_criteria(text, document_id=path.stem, trial_id=path.stem))
        ok = abs(got - expected) <= 0.1 * expected
        if not is_list:
            # Markers plus unmarked paragraphs: a reader's count is not just the markers; reported apart.
            mixed += 1
            mixed_within += ok
            continue
        listed += 1
        exact += got == expected
        within += ok
        worst.append((abs(got - expected) / expected, path.stem, expected, got))
    print(f"[splitter] legacy XML laid out as lists: {listed} of {len(files)} records")
    if listed:
        print(f"[splitter] within 10%: {within / listed:.1%}   exact: {exact / listed:.1%}")
    if mixed:
        print(
            f"[splitter] (markers mixed with unmarked paragraphs: {mixed} records, rows within 10% of the"
            f" marker count: {mixed_within / mixed:.1%})"
        )
    for ratio, stem, expected, got in sorted(worst, reverse=True)[:show]:
        print(f"    {stem}: reader {expected}, rows {got} ({ratio:.0%})")


def _brat(path: Path) -> tuple[dict[str, tuple[str, int, int, str]], dict[str, tuple[str, list[tuple[str, str]]]]]:
    """Text-bound spans by id, and events as (trigger type, [(role, id), ...]) with the trigger as ``_trigger``."""
    spans: dict[str, tuple[str, int, int, str]] = {}
    events: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            head = parts[1].split(" ")
            if ";" in parts[1]:
                continue  # discontinuous span
            spans[parts[0]] = (head[0], int(head[1]), int(head[2]), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            args = parts[1].split()
            trigger = args[0].split(":")
            roles = [("_trigger", trigger[1])]
            roles += [(a.split(":", 1)[0], a.split(":", 1)[1]) for a in args[1:] if ":" in a]
            events[parts[0]] = (trigger[0], roles)
    return spans, events


def _lab_variable(name: str) -> str | None:
    m = _MENTION.search(name)
    if m is None:
        return None
    variable = _MENTION_NAMES[m.lastgroup or ""]
    return variable if variable in LAB_VARIABLES else None


def gold_constraints(ann: Path) -> list[tuple[str, int, int]]:
    """Gold (variable, start, end) of the Eq-Comparison attached to Age and to lab Observation events."""
    spans, events = _brat(ann)
    gold: list[tuple[str, int, int]] = []
    for kind, roles in events.values():
        filters = [v for k, v in roles if k.rstrip("0123456789") == "Numeric-Filter"]
        names = [v for k, v in roles if k == "Name" and v in spans]
        if kind == "Age":
            variable: str | None = "AGE"
        elif kind == "Observation" and names:
            variable = _lab_variable(spans[names[0]][3])
        else:
            continue
        if variable is None:
            continue
        for ref in filters:
            trigger = dict(events[ref][1]).get("_trigger") if ref in events else None
            if trigger in spans:
                _, s, e, _ = spans[trigger]
                gold.append((variable, s, e))
    return gold


def eval_constraints(shared: Path, limit: int | None, show: int) -> None:
    anns = sorted((shared / "corpus" / "lct-eligibility-criteria" / "ner" / "nic").glob("batch*/*.ann"))[:limit]
    tp_pred = n_pred = tp_gold = n_gold = 0
    per_var: Counter[str] = Counter()
    per_var_tp: Counter[str] = Counter()
    misses: list[str] = []
    wrong: list[str] = []
    for ann in anns:
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        gold = gold_constraints(ann)
        criteria = split_criteria(text, document_id=ann.stem, trial_id=ann.stem)
        preds = [
            c
            for c in extract_constraints(criteria, source_text=text)
            if c.variable == "AGE" or c.variable in LAB_VARIABLES
        ]
        n_pred += len(preds)
        n_gold += len(gold)
        for c in preds:
            assert c.char_start is not None and c.char_end is not None
            per_var[c.variable] += 1
            if any(v == c.variable and s < c.char_end and c.char_start < e for v, s, e in gold):
                tp_pred += 1
                per_var_tp[c.variable] += 1
            else:
                reading = f"{c.variable} {c.operator} {c.value_low}-{c.value_high} {c.unit}"
                wrong.append(f"{ann.stem} {reading}: {c.span_text!r}")
        for v, s, e in gold:
            if any(c.variable == v and s < (c.char_end or 0) and (c.char_start or 0) < e for c in preds):
                tp_gold += 1
            else:
                line_start = text.rfind("\n", 0, s) + 1
                line_end = text.find("\n", e)
                misses.append(f"{ann.stem} {v} {text[s:e]!r} in {text[line_start:line_end][:140]!r}")
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    print(f"[constraints] LCT documents: {len(anns)}; gold AGE+lab comparisons: {n_gold}; predicted: {n_pred}")
    print(f"[constraints] precision {precision:.3f}   recall {recall:.3f}")
    for variable in sorted(per_var):
        print(f"    {variable}: predicted {per_var[variable]}, overlapping gold {per_var_tp[variable]}")
    if show:
        print("  unmatched predictions:")
        for line in wrong[:show]:
            print("    " + line)
        print("  missed gold:")
        for line in misses[:show]:
            print("    " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files of each corpus")
    parser.add_argument("--show", type=int, default=10, help="examples of disagreements to print")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"corpus not found under {args.shared}", file=sys.stderr)
        return 2
    eval_splitter(args.shared, args.limit, args.show)
    eval_constraints(args.shared, args.limit, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
