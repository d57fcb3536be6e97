"""The narrative (prose) reader: classification, trials found, and the facts read for each.

The seed documents are third-party text, so they are read in place from ``../shared/seeds`` by tests marked
``corpus`` (skipped when absent). The short texts written here exercise each rule on wording that is not a seed's,
so the default run stays meaningful.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RAW
from trial_pipeline.models import Document, ParsedDocument, ParseStatus, SourceFormat
from trial_pipeline.parsers.narrative import NarrativeReader, classify, intervention_mentions

READER = NarrativeReader()
SEEDS = RAW
SEED_000 = "000_d57cdcb6a07189c1.txt"  # lay summary, NMS-03592088
SEED_002 = "002_6cae9ab800a0f02d.txt"  # news, ziftomenib / KOMET-001
SEED_004 = "004_aec11c9ea64f334d.txt"  # bare description, sorafenib + omacetaxine


def doc(text: str) -> Document:
    """A text as the reader sees it."""
    data = text.encode("utf-8")
    return Document(hashlib.sha256(data).hexdigest()[:16], "inline.txt", data, text)


def parse(text: str) -> ParsedDocument:
    return READER.parse(doc(text))


def seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed {path} not found (../shared absent)")
    return path.read_text(encoding="utf-8")


def fields(record: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(record, n) for n in names)


# --------------------------------------------------------------------------------------------------------------
# Seeds: exact values
# --------------------------------------------------------------------------------------------------------------

SEED_CLASSIFICATION = [
    # A plain-language explainer with "which means" glosses and a table of contents.
    (SEED_000, SourceFormat.LAY_SUMMARY),
    # A news story with quotes, a journal and the FDA.
    (SEED_002, SourceFormat.NEWS_ARTICLE),
    # A protocol description in the future tense.
    (SEED_004, SourceFormat.TRIAL_DESCRIPTION),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "expected"), SEED_CLASSIFICATION)
def test_seed_classification(name: str, expected: SourceFormat) -> None:
    text = seed(name)
    assert READER.accepts(doc(text))
    assert classify(text) is expected
    assert parse(text).source_format is expected


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["001_98cc620108e3f339.txt", "003_f1b628404261852c.txt"])
def test_registry_pages_are_not_ours(name: str) -> None:
    # Pages full of field labels ("Recruitment Status", "Inclusion Criteria") belong to the registry-page reader.
    assert not READER.accepts(doc(seed(name)))


TRIAL_FIELDS = (
    "trial_id", "nct_id", "other_ids", "acronym", "phases", "enrollment_count", "enrollment_type", "conditions",
    "countries",
)  # fmt: skip


@pytest.mark.corpus
def test_seed_000_trial() -> None:
    p = parse(seed(SEED_000))
    # No registry ID or acronym: one derived trial; Phase I and Phase II parts; conditions expanded and deduped.
    assert len(p.trials) == 1
    t = p.trials[0]
    assert t.trial_id.startswith("TP-")
    assert fields(t, TRIAL_FIELDS[1:]) == (
        None, (), None, ("PHASE1", "PHASE2"), None, None,
        ("Acute Myeloid Leukemia", "Chronic Myelomonocytic Leukemia"), (),
    )  # fmt: skip


@pytest.mark.corpus
def test_seed_000_interventions_exclude_prior_therapy() -> None:
    p = parse(seed(SEED_000))
    # venetoclax and gilteritinib are what patients "have not responded to": prior therapy, not interventions.
    # "It is classified as an inhibitor, specifically targeting ... FLT3, KIT, and CSF1R" follows the sentence that
    # names the drug: its class and targets.
    assert [(i.intervention_name, i.description, i.route, i.dose_value, i.frequency) for i in p.interventions] == [
        ("NMS-03592088", "inhibitor; targets FLT3, KIT, CSF1R", "ORAL", None, None)
    ]


@pytest.mark.corpus
def test_seed_000_outcomes() -> None:
    p = parse(seed(SEED_000))
    # Named as the text measures them; nothing says primary, so all are OTHER.
    assert [o.measure for o in p.outcomes] == [
        "safety", "tolerability", "adverse events", "toxicity", "remission rate", "survival rate",
        "maximum concentration", "response rate", "complete remission", "partial remission",
        "overall response rate", "overall survival", "event-free survival", "duration of response",
        "transfusion independence",
    ]  # fmt: skip
    assert {o.outcome_type for o in p.outcomes} == {"OTHER"}
    assert p.results == ()


@pytest.mark.corpus
def test_seed_002_trials() -> None:
    p = parse(seed(SEED_002))
    got = [fields(t, TRIAL_FIELDS) for t in p.trials]
    aml = "Acute Myeloid Leukemia"
    conditions = (aml, f"NPM1-mutated {aml}", f"KMT2A-rearranged {aml}")
    assert got == [
        # The trial the story is about: acronym only, 83 enrolled, four countries ("the U.S." included).
        ("ACRONYM:KOMET-001", None, ("KOMET-001",), "KOMET-001", ("PHASE2",), 83, "ACTUAL", conditions,
         ("France", "Italy", "Spain", "United States")),
        # Mentioned only: IDs, their phase and conditions from the sentence naming them.
        ("NCT06001788", "NCT06001788", (), None, ("PHASE1",), None, None, conditions, ()),
        ("NCT05735184", "NCT05735184", (), None, ("PHASE1",), None, None, conditions, ()),
    ]  # fmt: skip


@pytest.mark.corpus
def test_seed_002_intervention_and_result() -> None:
    p = parse(seed(SEED_002))
    names = ("trial_id", "intervention_name", "other_names", "description", "dose_value", "dose_unit", "route",
             "frequency")  # fmt: skip
    # KO-539 is ziftomenib's code name; "600 mg of ziftomenib" puts the dose before the name; "oral drug".
    assert [fields(i, names) for i in p.interventions] == [
        ("ACRONYM:KOMET-001", "ziftomenib", ("KO-539",), "menin inhibitor", 600.0, "mg", "ORAL", "ONCE_DAILY")
    ]
    r_names = ("trial_id", "measure", "group_label", "value", "unit", "numerator", "denominator")
    # Background statistics (30% of AML cases, median survival 6.1 months in general) are not results.
    assert [fields(r, r_names) for r in p.results] == [
        ("ACRONYM:KOMET-001", "complete remission", "NPM1-mutated", 35.0, "%", 7, 20)
    ]
    assert [(o.outcome_type, o.measure) for o in p.outcomes] == [("OTHER", "safety"), ("OTHER", "tolerability")]


@pytest.mark.corpus
def test_seed_004() -> None:
    p = parse(seed(SEED_004))
    assert len(p.trials) == 1
    t = p.trials[0]
    # "A total of 40 ... will be recruited": planned, so ESTIMATED; "R/R FLT3-ITD AML" keeps its subtype.
    assert fields(t, TRIAL_FIELDS[1:]) == (
        None, (), None, ("PHASE2",), 40, "ESTIMATED",
        ("Acute Myeloid Leukemia", "FLT3-ITD Acute Myeloid Leukemia"), (),
    )  # fmt: skip
    names = ("intervention_name", "other_names", "description", "dose_value", "dose_unit", "route", "frequency")
    assert [fields(i, names) for i in p.interventions] == [
        # "FLT3 inhibitors including sorafenib": the class the text puts it in.
        ("sorafenib", (), "FLT3 inhibitor", 400.0, "mg", None, "TWICE_DAILY"),
        # The abbreviation the text defines is an other name; the cycle schedule is kept as text.
        ("omacetaxine mepesuccinate", ("OM",), None, 1.5, "mg/m2", None, "daily for 7 days every 28 days"),
    ]
    # "20 patients with newly diagnosed and 20 with R/R FLT3-ITD AML": two cohorts.
    assert [(a.label, a.description) for a in p.arms] == [
        ("newly diagnosed", "20 patients"),
        ("R/R FLT3-ITD AML", "20 patients"),
    ]


# --------------------------------------------------------------------------------------------------------------
# Rules on texts written for these tests
# --------------------------------------------------------------------------------------------------------------

ABSTRACT = """Background: Relapsed multiple myeloma (MM) remains incurable.
Methods: In this phase 3 trial (NCT01234567; EudraCT 2019-001234-56) 312 patients were randomized to daratumumab
16 mg/kg intravenously weekly plus dexamethasone or dexamethasone alone. The primary endpoint was progression-free
survival; secondary endpoints included overall survival and overall response rate.
Results: The overall response rate was 62% in the daratumumab arm. Complete response: 21 of 150 patients (14%).
Conclusions: Daratumumab improved outcomes."""

NEWS = """BOSTON (GLOBE NEWSWIRE) -- Acme Bio, Inc. today announced that the first patient was dosed in the
ORCHID-2 study of AB-1234, an oral BCL-2 inhibitor, in chronic lymphocytic leukemia (CLL). The study will enroll
about 120 patients at sites in Germany, Canada and the UK. "We are pleased," said the CEO.
Patients previously treated with ibrutinib are eligible. AB-1234 is given orally at 200 mg once daily."""

LAY = """What is the study about? This study is looking at whether a new medicine called lumitinib helps people
with chronic myeloid leukemia (CML). CML is a type of blood cancer, which means the body makes too many white blood
cells. Your doctor will tell you how long you take the tablets. Researchers are measuring how many people have a
major molecular response and any side effects. The study is a phase II trial."""

DESCRIPTION = """This is a single-arm, open-label study. Eligible patients with diffuse large B-cell lymphoma will
receive rituximab 375 mg/m2 on day 1 of each 21-day cycle and zanubrutinib 160 mg twice daily. A total of 60
patients will be enrolled. Patients who are refractory to lenalidomide are eligible."""


CLASSIFY = [
    # Section headings Background/Methods/Results make an abstract.
    (ABSTRACT, SourceFormat.ABSTRACT),
    # Wire-service dateline, "announced", quotes.
    (NEWS, SourceFormat.NEWS_ARTICLE),
    # Plain-language glosses and second person.
    (LAY, SourceFormat.LAY_SUMMARY),
    # Future-tense protocol wording.
    (DESCRIPTION, SourceFormat.TRIAL_DESCRIPTION),
]


@pytest.mark.parametrize(("text", "expected"), CLASSIFY)
def test_classify(text: str, expected: SourceFormat) -> None:
    assert classify(text) is expected


ACCEPTS = [
    # Prose is accepted.
    (NEWS, True),
    # XML and JSON belong to their own readers.
    ("<clinical_study><brief_title>x</brief_title></clinical_study>", False),
    ('{"protocolSection": {}}', False),
    # A registry page: many label lines.
    ("Recruitment Status\nRecruiting\nStudy Type\nInterventional\nInclusion Criteria\n- adults\n" + LAY, False),
    # A bare list of words is not prose.
    ("AML\nCLL\nMDS\n", False),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTS)
def test_accepts(text: str, expected: bool) -> None:
    assert READER.accepts(doc(text)) is expected


def test_abstract_ids_merge_and_design() -> None:
    p = parse(ABSTRACT)
    # One NCT and one EudraCT number standing together are one trial, keyed by the NCT ID.
    assert [fields(t, ("trial_id", "other_ids", "phases", "enrollment_count", "conditions")) for t in p.trials] == [
        ("NCT01234567", ("2019-001234-56",), ("PHASE3",), 312, ("Multiple Myeloma",))
    ]
    names = ("intervention_name", "dose_value", "dose_unit", "route", "frequency")
    assert [fields(i, names) for i in p.interventions] == [
        ("daratumumab", 16.0, "mg/kg", "INTRAVENOUS", "WEEKLY"),
        ("dexamethasone", None, None, None, None),
    ]
    # Primary/secondary as the text states, per measure within one sentence.
    assert [(o.outcome_type, o.measure) for o in p.outcomes] == [
        ("PRIMARY", "progression-free survival"),
        ("SECONDARY", "overall survival"),
        ("SECONDARY", "overall response rate"),
    ]
    assert [fields(r, ("measure", "value", "unit", "numerator", "denominator")) for r in p.results] == [
        ("overall response rate", 62.0, "%", None, None),
        ("complete response", 14.0, "%", 21, 150),
    ]


def test_news_acronym_code_name_and_negation() -> None:
    p = parse(NEWS)
    t = p.trials[0]
    assert fields(t, ("trial_id", "acronym", "enrollment_count", "enrollment_type", "conditions", "countries")) == (
        "ACRONYM:ORCHID-2", "ORCHID-2", 120, "ESTIMATED", ("Chronic Lymphocytic Leukemia",),
        ("Germany", "Canada", "United Kingdom"),
    )  # fmt: skip
    names = ("intervention_name", "description", "dose_value", "dose_unit", "route", "frequency")
    # ibrutinib is prior therapy ("previously treated with"): not an intervention.
    assert [fields(i, names) for i in p.interventions] == [
        ("AB-1234", "oral BCL-2 inhibitor", 200.0, "mg", "ORAL", "ONCE_DAILY")
    ]


def test_lay_summary_rules() -> None:
    p = parse(LAY)
    t = p.trials[0]
    assert fields(t, ("phases", "conditions")) == (("PHASE2",), ("Chronic Myeloid Leukemia",))
    assert [i.intervention_name for i in p.interventions] == ["lumitinib"]
    assert [o.measure for o in p.outcomes] == ["major molecular response", "adverse events"]


def test_description_schedule_and_negation() -> None:
    p = parse(DESCRIPTION)
    names = ("intervention_name", "dose_value", "dose_unit", "frequency")
    # "on day 1 of each 21-day cycle" is a schedule kept as text; lenalidomide is refractory prior therapy.
    assert [fields(i, names) for i in p.interventions] == [
        ("rituximab", 375.0, "mg/m2", "on day 1 of each 21-day cycle"),
        ("zanubrutinib", 160.0, "mg", "TWICE_DAILY"),
    ]
    assert fields(p.trials[0], ("enrollment_count", "enrollment_type", "conditions")) == (
        60, "ESTIMATED", ("Diffuse Large B-Cell Lymphoma",),
    )  # fmt: skip


NEGATED = [
    # Refractory to a drug: prior therapy.
    "Patients with AML refractory to azacitidine will receive venetoclax 400 mg daily in this phase 2 study.",
    # Failed prior therapy.
    "This phase 2 study of venetoclax 400 mg daily enrols AML patients after failure of azacitidine.",
    # Not responded.
    "In this study, AML patients who have not responded to azacitidine receive venetoclax 400 mg daily.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_prior_therapy_is_not_an_intervention(text: str) -> None:
    assert [i.intervention_name for i in parse(text).interventions] == ["venetoclax"]


MULTI_TRIAL = """The company reported data from the ALPHA-01 trial (NCT11111111) of drugzumab in breast cancer.
Two further trials, NCT22222222 and NCT33333333, are phase 3 studies in lung cancer."""


def test_several_trials_adjacent_ids_merge_lists_do_not() -> None:
    p = parse(MULTI_TRIAL)
    got = [fields(t, ("trial_id", "other_ids", "phases")) for t in p.trials]
    # "ALPHA-01 trial (NCT11111111)" is one trial; "NCT22222222 and NCT33333333" are two.
    assert got == [
        ("NCT11111111", ("ALPHA-01",), ()),
        ("NCT22222222", (), ("PHASE3",)),
        ("NCT33333333", (), ("PHASE3",)),
    ]
    assert {i.trial_id for i in p.interventions} == {"NCT11111111"}


REGISTRY_IDS = [
    # Each registry's ID shape is recognised and becomes the trial id when there is no NCT ID.
    ("ISRCTN12345678", "ISRCTN12345678"),
    ("EudraCT 2015-001234-12", "2015-001234-12"),
    ("EU CT 2023-501234-12-00", "2023-501234-12-00"),
    ("ChiCTR2000012345", "ChiCTR2000012345"),
    ("ACTRN12619000123456", "ACTRN12619000123456"),
    ("jRCT2031190123", "jRCT2031190123"),
    ("JapicCTI-194567", "JapicCTI-194567"),
]


@pytest.mark.parametrize(("mention", "trial_id"), REGISTRY_IDS)
def test_registry_ids(mention: str, trial_id: str) -> None:
    text = f"The randomised study ({mention}) tests metformin 500 mg twice daily in patients with type 2 diabetes."
    assert parse(text).trials[0].trial_id == trial_id


def test_no_trial_is_partial_not_failed() -> None:
    # Market news about no trial: readable, nothing to record.
    p = parse("Shares of Acme rose 5% on Tuesday after the company said its quarterly revenue beat expectations.")
    assert p.trials == ()
    assert p.status is ParseStatus.PARTIAL


def test_background_statistics_are_not_results() -> None:
    text = (
        "In the BETA-002 study, 12 of 40 patients (30%) achieved complete remission with drugamab. "
        "NPM1 mutations are present in 30% of AML cases."
    )
    p = parse(text)
    assert [fields(r, ("measure", "value", "numerator", "denominator")) for r in p.results] == [
        ("complete remission", 30.0, 12, 40)
    ]


def test_hostile_text_is_fast() -> None:
    # Long runs of the characters the patterns look for must not make any regex backtrack.
    import time

    text = "Phase " + "1/" * 5000 + " trial " + "(" * 5000 + "A" * 5000 + " 5" * 5000 + "% of " * 2000
    start = time.perf_counter()
    READER.accepts(doc(text))
    parse("This study of drugamab in AML. " + text)
    assert time.perf_counter() - start < 10


def test_intervention_mentions_spans() -> None:
    text = "Patients refractory to azacitidine received venetoclax."
    assert [text[s:e] for s, e in intervention_mentions(text)] == ["venetoclax"]


@pytest.mark.corpus
@pytest.mark.slow
def test_real_prose_corpus_parses(corpus: Path) -> None:
    # Every real news item and ASCO abstract is read without error, and most name at least one trial.
    paths = sorted((corpus / "news-press-releases").rglob("*.md")) + sorted(
        (corpus / "asco2025-tps-abstracts").glob("TPS*.md")
    )
    with_trials = 0
    for path in paths:
        d = doc(path.read_text(encoding="utf-8", errors="replace"))
        if READER.accepts(d):
            with_trials += bool(READER.parse(d).trials)
    assert with_trials >= 0.9 * len(paths)


DRUG_CLASS = [
    # The sentence after the one naming the drug goes on with "It is ...": its class and the targets it lists.
    (
        "This phase 1 study tests ABX-101 in acute myeloid leukemia. ABX-101 is given orally once daily. It is "
        "classified as an inhibitor, targeting two kinases: FLT3 and AXL.",
        ("ABX-101", "inhibitor; targets FLT3, AXL", None, None, "ORAL", "ONCE_DAILY"),
    ),
    # The class standing before the name.
    (
        "The phase 2 trial will evaluate the MEK inhibitor zobratinib 30 mg twice daily in adults with "
        "neurofibromatosis.",
        ("zobratinib", "MEK inhibitor", 30.0, "mg", None, "TWICE_DAILY"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), DRUG_CLASS)
def test_drug_class_and_targets(text: str, expected: tuple[Any, ...]) -> None:
    names = ("intervention_name", "description", "dose_value", "dose_unit", "route", "frequency")
    assert [fields(i, names) for i in parse(text).interventions] == [expected]


def test_reference_list_is_not_the_article() -> None:
    # A cited paper names another trial, drug and dose: none of them is this article's.
    text = (
        "The BETA-02 study tested drugamab 10 mg/kg in breast cancer.\n\nReferences\n\n"
        "1. Smith J. A phase 3 trial of trastuzumab in 200 patients (NCT01234567). 2020.\n"
    )
    p = parse(text)
    assert [fields(t, ("trial_id", "phases", "conditions")) for t in p.trials] == [
        ("ACRONYM:BETA-02", (), ("Breast Cancer",))
    ]
    assert [(i.intervention_name, i.dose_value, i.dose_unit) for i in p.interventions] == [("drugamab", 10.0, "mg/kg")]


def test_unknown_drug_given_to_participants() -> None:
    # "receive milrinone" in two sentences makes a drug of a name the vocabulary lacks; "Given the rising threat"
    # is no administration.
    text = (
        "In this phase 2 study, patients with pulmonary hypertension receive milrinone or placebo. Infants on "
        "milrinone had shorter ventilation. Given the rising threat of resistance, the trial matters."
    )
    assert [i.intervention_name for i in parse(text).interventions] == ["placebo", "milrinone"]


def test_measured_substances_and_prior_therapy_compounds() -> None:
    # "serum insulin", "insulin resistance": measured, not given; "erlotinib-refractory": prior therapy;
    # "platinum-based" names a class, not cisplatin; "gemcitabine-carboplatin" is two drugs.
    p = parse(
        "In this phase 2 trial, adults with type 2 diabetes received metformin 500 mg twice daily; serum insulin and "
        "insulin resistance were measured. Gemcitabine-carboplatin was compared with platinum-based chemotherapy in "
        "patients who were erlotinib-refractory."
    )
    assert [i.intervention_name for i in p.interventions] == ["metformin", "gemcitabine", "carboplatin"]


def test_outcome_time_frames() -> None:
    # A time frame written onto a survival measure is kept; "24-week safety" is a phase, not a time frame.
    text = (
        "This phase 3 trial of drugamab in breast cancer. The primary endpoint is 2-year overall survival; secondary "
        "endpoints include progression-free survival at 6 months and 24-week safety."
    )
    assert [(o.outcome_type, o.measure, o.time_frame) for o in parse(text).outcomes] == [
        ("PRIMARY", "overall survival", "2 years"),
        ("SECONDARY", "progression-free survival", "6 months"),
        ("SECONDARY", "safety", None),
    ]


ISRCTN_RECORD = {
    "isrctn": "12345678",
    "trialDescription": {
        "title": "Milrinone for babies with lung hypertension",
        "plainEnglishSummary": "Background and study aims\nWe are doing a study to see whether milrinone helps babies "
        "with pulmonary hypertension. Babies in group 1 receive milrinone and babies in group 2 receive placebo.",
    },
}


def test_isrctn_record_is_read_through_its_lay_summary() -> None:
    import json

    d = doc(json.dumps(ISRCTN_RECORD))
    assert READER.accepts(d)
    p = READER.parse(d)
    assert p.source_format is SourceFormat.LAY_SUMMARY
    assert [fields(t, ("trial_id", "conditions")) for t in p.trials] == [
        ("ISRCTN12345678", ("Pulmonary Hypertension",))
    ]
    assert [i.intervention_name for i in p.interventions] == ["placebo", "milrinone"]


@pytest.mark.parametrize(
    "text",
    [
        # Other JSON is another reader's (or none's).
        '{"protocolSection": {}}',
        # An ISRCTN-shaped record without a summary has no prose to read.
        '{"isrctn": "12345678", "trialDescription": {}}',
        # Not JSON at all.
        "{not json",
    ],
)
def test_other_json_is_not_ours(text: str) -> None:
    assert not READER.accepts(doc(text))


@pytest.mark.corpus
def test_isrctn_corpus_records_name_their_trial(corpus: Path) -> None:
    # Every ISRCTN record of the multi-registry sample is read as a lay summary of its own trial.
    paths = sorted((corpus / "ctrdata-multiregistry" / "json" / "ISRCTN").glob("*.json"))
    assert len(paths) == 9
    for path in paths:
        p = READER.parse(doc(path.read_text(encoding="utf-8")))
        assert p.source_format is SourceFormat.LAY_SUMMARY
        assert p.trials[0].trial_id == f"ISRCTN{path.stem}"
