"""How MedPath's glued "Group / Intervention / Description" rows are cut when the page lists no interventions."""

from __future__ import annotations

import pytest

from trial_pipeline.parsers.medpath_arms import read_arm_table
from trial_pipeline.parsers.page_text import cased_words

Arm = tuple[str, tuple[str, ...], str | None]
# A description that the rows share, starting with a sentence.
_SHARED = "The regimen varies according to the underlying cause of the anemia.Patients rest."
# Fourteen interventions of one arm, more than the old bound on the names a row chains.
_FOURTEEN = (
    "filgrastim", "asparaginase", "cyclophosphamide", "cytarabine", "daunorubicin", "dexamethasone", "etoposide",
    "mercaptopurine", "mesna", "methotrexate", "prednisone", "thioguanine", "thiotepa", "vincristine",
)  # fmt: skip


def _read(rows: list[str], free: list[str], *, observational: bool = False) -> list[Arm]:
    """Each arm as (label, names, description), with the page's words built as the registry page reader builds them:
    from the free text outside the table, and the phrases from the whole page."""
    cased = cased_words(free)
    words = frozenset(w.lower() for w in cased)
    arms, interventions = read_arm_table(rows, [], [*free, *rows], words, cased, observational=observational)
    return [
        (label, tuple(name for arm, name, _, _ in interventions if arm == label), description)
        for label, _, description in arms
    ]


@pytest.mark.parametrize(
    ("rows", "free", "observational", "expected"),
    [
        # The name twice, then a lower-case description: the second copy ends where the description starts.
        (["filgrastimfilgrastimas prescribed by physician"], ["Patients receive filgrastim as prescribed."], False,
         [("filgrastim", ("filgrastim",), "as prescribed by physician")]),
        # A sentence the rows share is the start of their descriptions, not a name.
        ([f"busulfanbusulfan{_SHARED}", f"melphalanmelphalan{_SHARED}"], ["Patients receive busulfan or melphalan."],
         False, [("busulfan", ("busulfan",), _SHARED), ("melphalan", ("melphalan",), _SHARED)]),
        # A capital standing alone, glued to a capitalised word: "Amphotericin B|Ambisome".
        (["<26 weeksAmpicillinAmphotericin BAmbisomeSubjects <26 weeks gestational age",
          "26-29 weeksAmpicillinAmphotericin BAmbisomeSubjects 26-29 weeks gestational age"],
         ["Antibiotics given to infants."], True,
         [("<26 weeks", ("Ampicillin", "Amphotericin B", "Ambisome"), "Subjects <26 weeks gestational age"),
          ("26-29 weeks", ("Ampicillin", "Amphotericin B", "Ambisome"), "Subjects 26-29 weeks gestational age")]),
        # An interventional arm nearly always gives an intervention: the label does not swallow it.
        (["Lymph node samplingconventional surgeryPatients undergo pulmonary resection."],
         ["Lymph node sampling during surgery."], False,
         [("Lymph node sampling", ("conventional surgery",), "Patients undergo pulmonary resection.")]),
        # No cut inside a Roman numeral ("Phase I|I").
        (["Phase I - 8 mg/kg cohortdaclizumab8 mg/kg daclizumab on day 1",
          "Phase II - 8 mg/kg cohortdaclizumab8 mg/kg daclizumab on day 1"], ["Daclizumab in patients."], False,
         [("Phase I - 8 mg/kg cohort", ("daclizumab",), "8 mg/kg daclizumab on day 1"),
          ("Phase II - 8 mg/kg cohort", ("daclizumab",), "8 mg/kg daclizumab on day 1")]),
        # Letters in order glued to lower case that starts no word of the page are the labels.
        (["Amefloquine", "Bplacebo"], ["Mefloquine versus placebo."], False,
         [("A", ("mefloquine",), None), ("B", ("placebo",), None)]),
        # A phrase of the page and words it does not write, up to a seam: "doxorubicin hydrochloride".
        (["Doxorubicin + topotecandoxorubicin hydrochloridetopotecan hydrochloridePatients receive doxorubicin IV."],
         ["Doxorubicin and topotecan in treating patients."], False,
         [("Doxorubicin + topotecan", ("doxorubicin hydrochloride", "topotecan hydrochloride"),
           "Patients receive doxorubicin IV.")]),
        # A run of glued lower-case names is split into the table's words from the end of the label's ordinal.
        (["Arm Ipaclitaxelcarboplatinmotexafin gadoliniumPatients receive paclitaxel and carboplatin."],
         ["Motexafin gadolinium in treating patients."], False,
         [("Arm I", ("paclitaxel", "carboplatin", "motexafin gadolinium"),
           "Patients receive paclitaxel and carboplatin.")]),
        # Guard (the old reading was right too): a row that ends with its label again ends in its description.
        (["80 mg/kg AAT inhaledAerosolized, human, plasma-derived Alpha-1 Antitrypsin80 mg/kg AAT inhaled",
          "Placebo inhaledAerosolized, human, plasma-derived Alpha-1 AntitrypsinPlacebo inhaled"],
         ["Inhaled alpha-1 antitrypsin."], False,
         [("80 mg/kg AAT inhaled", ("Aerosolized, human, plasma-derived Alpha-1 Antitrypsin",), "80 mg/kg AAT inhaled"),
          ("Placebo inhaled", ("Aerosolized, human, plasma-derived Alpha-1 Antitrypsin",), "Placebo inhaled")]),
        # A long word of the page parts from a word it does not write glued before it ("sulfate|dacarbazine")...
        (["Arm Ibleomycin sulfatedacarbazinedoxorubicin hydrochloridePatients receive bleomycin, dacarbazine and "
          "doxorubicin."], ["Bleomycin, dacarbazine and doxorubicin in treating patients."], False,
         [("Arm I", ("bleomycin sulfate", "dacarbazine", "doxorubicin hydrochloride"),
           "Patients receive bleomycin, dacarbazine and doxorubicin.")]),
        # ...but a short one stays inside it ("trihydrate", not "trihyd|rate").
        (["Treatmentamifostine trihydrateirinotecandoxorubicinPatients receive irinotecan and doxorubicin."],
         ["Amifostine, irinotecan and doxorubicin at a fixed rate."], False,
         [("Treatment", ("amifostine trihydrate", "irinotecan", "doxorubicin"),
           "Patients receive irinotecan and doxorubicin.")]),
        # At equal support the description starts at the plainer boundary, after the glued names.
        (["Treatment (bromodeoxyuridine)bromodeoxyuridineconventional surgerylaboratory biomarker analysisPatients "
          "receive broxuridine IV."], ["Bromodeoxyuridine in treating patients with surgery."], False,
         [("Treatment (bromodeoxyuridine)",
           ("bromodeoxyuridine", "conventional surgery", "laboratory biomarker analysis"),
           "Patients receive broxuridine IV.")]),
        # A phrase of the page and an aside in brackets make one name: the label does not swallow it.
        (["AF-CBTAbuse-focused cognitive behavioral therapy (AF-CBT)Participants will receive abuse-focused cognitive "
          "behavioral therapy"], ["Abuse-focused cognitive behavioral therapy for children."], False,
         [("AF-CBT", ("Abuse-focused cognitive behavioral therapy (AF-CBT)",),
           "Participants will receive abuse-focused cognitive behavioral therapy")]),
        # Guard (the old reading was right too): a label holds a letter or digit, so "." is no label before a name.
        ([".Arm IV (combination chemotherapy)cyclophosphamidecytarabinePatients receive cyclophosphamide and "
          "cytarabine."], ["Arm IV is given combination chemotherapy with cyclophosphamide and cytarabine."], False,
         [(".Arm IV (combination chemotherapy)", ("cyclophosphamide", "cytarabine"),
           "Patients receive cyclophosphamide and cytarabine.")]),
        # A name closes the brackets it opens: "3D-CRT", not "3D-CRTClinical stages ... ([Gleason -6]".
        (["Group 13D-CRTClinical stages T1b-c with PSA + ([Gleason -6]x10) is low. Escalating doses of radiation.",
          "Group 23D-CRTClinical stages T2 with PSA + ([Gleason -6]x10)>15. Escalating doses of radiation."],
         ["Three dimensional conformal radiation therapy (3D-CRT)."], False,
         [("Group 1", ("3D-CRT",), "Clinical stages T1b-c with PSA + ([Gleason -6]x10) is low. Escalating doses of "
           "radiation."),
          ("Group 2", ("3D-CRT",), "Clinical stages T2 with PSA + ([Gleason -6]x10)>15. Escalating doses of "
           "radiation.")]),
        # A word seam that cuts a word the page does not write ("control part|icipants") does not end a name the
        # page never writes out: the name runs on to the plain boundary in the same token.
        (["Enrollment InterventionVocational counseling interventionReading materials for control participantsThe "
          "intervention consists of training sessions.", "Usual CareStandard of care"],
         ["Vocational counseling intervention for clients who take part in the program."], False,
         [("Enrollment Intervention",
           ("Vocational counseling intervention", "Reading materials for control participants"),
           "The intervention consists of training sessions."), ("Usual Care", ("Standard of care",), None)]),
        # Lower-case names glued together that the page never writes apart part where ordinary words of registry
        # prose cover the glued run whole ("assessment|laboratory").
        (["Arm I (CAI)carboxyamidotriazolequality-of-life assessmentlaboratory biomarker analysisPatients receive oral "
          "carboxyamidotriazole daily.",
          "Arm II (placebo)placeboquality-of-life assessmentlaboratory biomarker analysisPatients receive oral placebo "
          "daily"], ["Carboxyamidotriazole compared with placebo in treating patients: quality of life."], False,
         [("Arm I (CAI)", ("carboxyamidotriazole", "quality-of-life assessment", "laboratory biomarker analysis"),
           "Patients receive oral carboxyamidotriazole daily."),
          ("Arm II (placebo)", ("placebo", "quality-of-life assessment", "laboratory biomarker analysis"),
           "Patients receive oral placebo daily")]),
        # No intervention name ends in punctuation that leaves it open, and no description starts with one: the
        # page's phrase "Stage I FH Wilms" is no name before "' tumor".
        (["Stratum 1dactinomycinvincristine sulfateStage I FH Wilms' tumor: Patients receive dactinomycin and "
          "vincristine."], ["Children with stage I FH Wilms' tumor receive dactinomycin and vincristine."], False,
         [("Stratum 1", ("dactinomycin", "vincristine sulfate"),
           "Stage I FH Wilms' tumor: Patients receive dactinomycin and vincristine.")]),
        # A name the page writes that ends in a number may be glued to a description that starts with one.
        (["1DIO-902150mg DIO-902 + 10mg atorvastatin", "2DIO-902300mg DIO-902 + atorvastatin placebo"],
         ["A study of DIO-902 in combination with atorvastatin."], False,
         [("1", ("DIO-902",), "150mg DIO-902 + 10mg atorvastatin"),
          ("2", ("DIO-902",), "300mg DIO-902 + atorvastatin placebo")]),
        # Two capitals glued to a word the page writes end an acronym: "Nodal RT|doxorubicin", not "R|Tdoxorubicin".
        (["Nodal RTstandard subtotal nodal irradiationsubtotal nodal irradiation will consist of mantle fields.",
          "Chemotherapy + Nodal RTdoxorubicin hydrochloridevinblastinestandard subtotal nodal irradiation3 cycles of "
          "chemotherapy (doxorubicin and vinblastine) before irradiation."],
         ["Doxorubicin and vinblastine before radiation therapy in treating patients with Hodgkin's disease."], False,
         [("Nodal RT", ("standard subtotal nodal irradiation",), "subtotal nodal irradiation will consist of mantle "
           "fields."),
          ("Chemotherapy + Nodal RT",
           ("doxorubicin hydrochloride", "vinblastine", "standard subtotal nodal irradiation"),
           "3 cycles of chemotherapy (doxorubicin and vinblastine) before irradiation.")]),
        # A description opening glued on ("analysis|Patients receive") ends the names before it, though the page
        # never writes the last name and no seam starts it.
        (["TreatmentBMS-214662laboratory biomarker analysisPatients receive BMS-214662 IV over 1 hour."],
         ["BMS-214662 in treating patients with solid tumors."], False,
         [("Treatment", ("BMS-214662", "laboratory biomarker analysis"),
           "Patients receive BMS-214662 IV over 1 hour.")]),
        # A label is written with spaces: it does not span words glued together ("tissue|mutation analysis").
        (["Samples of tumor and normal tissuemutation analysistumor replication error analysisSamples of tumor and "
          "normal tissue are obtained from patients."], ["Genetic mutations in tumor tissue samples."], False,
         [("Samples of tumor and normal tissue", ("mutation analysis", "tumor replication error analysis"),
           "Samples of tumor and normal tissue are obtained from patients.")]),
        # An arm may give more than twelve interventions (the registry's arms give up to 17): each is read apart.
        (["Arm I" + "".join(_FOURTEEN) + "Patients receive combination chemotherapy."],
         ["Combination chemotherapy with " + ", ".join(_FOURTEEN) + " in treating children."], False,
         [("Arm I", _FOURTEEN, "Patients receive combination chemotherapy.")]),
        # A label that ends in the word for an arm ends there when lower case that continues no word is glued on.
        (["Treatment Armbevacizumabgemcitabineconventional surgeryradiation therapyConcurrent gemcitabine, "
          "bevacizumab, and radiation therapy"],
         ["Bevacizumab, gemcitabine and radiation therapy before surgery in treating patients."], False,
         [("Treatment Arm", ("bevacizumab", "gemcitabine", "conventional surgery", "radiation therapy"),
           "Concurrent gemcitabine, bevacizumab, and radiation therapy")]),
        # A label that is a number glued to a lower-case word ends before the word, even in a table of one row.
        (["1multidisciplinary laparoscopyQuestionnairesAll women who had undergone excision were selected."],
         ["Quality of life after surgery for endometriosis."], False,
         [("1", ("multidisciplinary laparoscopy", "Questionnaires"),
           "All women who had undergone excision were selected.")]),
        # Guard (the old reading was right too): "Armstrong" is a word, not the word for an arm glued to a name.
        (["Armstrong protocolsurgeryAll patients undergo surgery."], ["Surgery in patients."], False,
         [("Armstrong protocol", ("surgery",), "All patients undergo surgery.")]),
        # A glued run that the page's words do not cover parts into a word of registry prose and a long stretch that
        # no word covers ("citrate|adjuvant therapy").
        (["Observation +/- tamoxifen for 5 yearstamoxifen citrateadjuvant therapyObservation +/- tamoxifen 20 mg per "
          "day for 5 years"], ["Radiation therapy with or without tamoxifen in treating women with breast cancer."],
         False, [("Observation +/- tamoxifen for 5 years", ("tamoxifen citrate", "adjuvant therapy"),
                  "Observation +/- tamoxifen 20 mg per day for 5 years")]),
        # A name, like a label, does not span words glued together ("hydrochloride|valspodar").
        (["Arm Ietoposidemitoxantrone hydrochloridevalspodarPatients undergo induction therapy consisting of etoposide "
          "IV."], ["Combination chemotherapy with or without PSC 833 in treating patients with leukemia."], False,
         [("Arm I", ("etoposide", "mitoxantrone hydrochloride", "valspodar"),
           "Patients undergo induction therapy consisting of etoposide IV.")]),
        # An acronym glued to a capitalised word of prose is a cell boundary ("MRI|Healthy volunteers").
        (["Healthy Volunteers and PatientsMRIHealthy volunteers and patients age 18 and older."],
         ["Magnetic resonance imaging of the brain in healthy volunteers and patients."], False,
         [("Healthy Volunteers and Patients", ("MRI",), "Healthy volunteers and patients age 18 and older.")]),
        # No name starts with punctuation that continues a cell: ", continuous infusion ..." is no name.
        (["Arm A (Hyper-FHX)fluorouracilhydroxyureasurgical procedureradiation therapyConcomitant chemoradiotherapy "
          "consisting of hydroxyurea (PO, BID, x 6days), continuous infusion 5-fluorouracil (IV, x 5days), "
          "hyperfractionated radiation."],
         ["Chemoradiotherapy with fluorouracil and hydroxyurea before surgery in treating patients with head and neck "
          "cancer: radiation therapy."], False,
         [("Arm A (Hyper-FHX)", ("fluorouracil", "hydroxyurea", "surgical procedure", "radiation therapy"),
           "Concomitant chemoradiotherapy consisting of hydroxyurea (PO, BID, x 6days), continuous infusion "
           "5-fluorouracil (IV, x 5days), hyperfractionated radiation.")]),
        # A number and its capitalised unit are one cell: "2|Gy/fx" is no boundary.
        (["1RadiotherapyRadiotherapy (+cisplatin to stage 3+4)",
          "2ZalutumumabRadiotherapy 66-68 Gy, 2Gy/fx, 6 fx/week + Zalutumumab 8 mg/kg every week"],
         ["Zalutumumab with radiotherapy in head and neck cancer."], False,
         [("1", ("Radiotherapy",), "Radiotherapy (+cisplatin to stage 3+4)"),
          ("2", ("Zalutumumab",), "Radiotherapy 66-68 Gy, 2Gy/fx, 6 fx/week + Zalutumumab 8 mg/kg every week")]),
        # An acronym the page writes is no place for a cut, short as it is ("L|OX"): the label is "LOX".
        (["LOXResuscitationLow saturation group of premature infants",
          "HOXResuscitationHOX group of premature infants"],
         ["Resuscitation of premature infants with oxygen saturation targets (LOX or HOX)."], False,
         [("LOX", ("Resuscitation",), "Low saturation group of premature infants"),
          ("HOX", ("Resuscitation",), "HOX group of premature infants")]),
        # A label of the usual shape may end a longer label, its ordinal glued to lower case ("arm I|mercaptopurine").
        (["Post-consolidation therapy arm ImercaptopurinemethotrexatetretinoinPatients receive oral tretinoin, "
          "mercaptopurine and methotrexate.",
          "Post-consolidation therapy arm IIPatients receive no further chemotherapy."],
         ["Tretinoin, mercaptopurine and methotrexate in treating patients with leukemia."], False,
         [("Post-consolidation therapy arm I", ("mercaptopurine", "methotrexate", "tretinoin"),
           "Patients receive oral tretinoin, mercaptopurine and methotrexate."),
          ("Post-consolidation therapy arm II", (), "Patients receive no further chemotherapy.")]),
        # A description's verb joined to a name by a hyphen is part of the name ("IL-2-treated"), not its prose.
        (["TreatmentmelphalanIL-2-treated autologous lymphocytesPatients receive melphalan IV on day -2."],
         ["Melphalan and lymphocytes in treating patients with myeloma."], False,
         [("Treatment", ("melphalan", "IL-2-treated autologous lymphocytes"),
           "Patients receive melphalan IV on day -2.")]),
        # A description may start with its arm's label again: "Group 1A - With or ...", not a name "Group 1".
        (["Group 1AFilgrastimCladribineCyclosporineCytarabine (Ara-C)IdarubicinMethylprednisolonePeripheral Blood Stem "
          "Cell TransplantationGroup 1A - With or Without Remission: Ara-C IV over 2 hours.",
          "Group 1BFilgrastimCyclosporineCytarabine (Ara-C)Fludarabine PhosphateIdarubicinMethylprednisolonePeripheral "
          "Blood Stem Cell TransplantationGroup 1B: No previous fludarabine therapy."],
         ["Colony stimulating factors such as filgrastim may help. Peripheral stem cell transplantation plus "
          "chemotherapy."], False,
         [("Group 1A", ("Filgrastim", "Cladribine", "Cyclosporine", "Cytarabine (Ara-C)", "Idarubicin",
                        "Methylprednisolone", "Peripheral Blood Stem Cell Transplantation"),
           "Group 1A - With or Without Remission: Ara-C IV over 2 hours."),
          ("Group 1B", ("Filgrastim", "Cyclosporine", "Cytarabine (Ara-C)", "Fludarabine Phosphate", "Idarubicin",
                        "Methylprednisolone", "Peripheral Blood Stem Cell Transplantation"),
           "Group 1B: No previous fludarabine therapy.")]),
    ],
)  # fmt: skip
def test_read_arm_table_unlisted(rows: list[str], free: list[str], observational: bool, expected: list[Arm]) -> None:
    assert _read(rows, free, observational=observational) == expected
