"""The lexicon as the installed packages give it: Debian's hunspell-en-med, the drug dictionary and ICD-10-CM."""

from __future__ import annotations

import pytest

from dictation_daemon.server.lexicon import load_medical_lexicon
from dictation_daemon.server.lexicon.retrieval import Slot
from dictation_daemon.server.lexicon.sources import (
    HUNSPELL_MEDICAL,
    diagnosis_words,
    disease_words,
    hunspell_words,
    prescribed_drug_names,
)

pytestmark = pytest.mark.engine


def test_the_lexicon_holds_medical_words_and_drugs_old_and_new() -> None:
    lexicon = load_medical_lexicon()
    assert len(lexicon) > 50_000
    for term in ("hemoptysis", "cholecystectomy", "lisinopril", "apixaban", "semaglutide", "tirzepatide"):
        assert term in lexicon, term


def test_common_english_words_are_not_terms() -> None:
    lexicon = load_medical_lexicon()
    for word in ("pain", "blood", "fever", "water", "patient"):
        assert word not in lexicon
    assert lexicon.is_english("listen") and not lexicon.is_english("lisinopril")
    assert not lexicon.is_english("levothroxine")


def test_proper_names_are_terms_only_where_a_diagnosis_or_a_prescription_uses_them(tmp_path) -> None:
    word_list = tmp_path / "medical.dic"
    word_list.write_text("5\nmelena\nMillenia\nRichmond/M\nCushing\nbrachial\nBrachial\n", encoding="utf-8")
    assert hunspell_words(word_list) == (["brachial", "melena"], ["cushing", "millenia", "richmond"])
    lexicon = load_medical_lexicon()
    assert "cushing" in lexicon and "melena" in lexicon
    assert "millenia" not in lexicon and "richmond" not in lexicon


def test_drug_names_are_the_prescribed_ones_without_foreign_spellings() -> None:
    names = set(prescribed_drug_names())
    assert {"apixaban", "atorvastatin", "eliquis"} <= names
    assert "vancomycinum" not in names and "vancomicina" not in names
    assert "atropinum" not in names and "paracetamolum" not in names  # Latin forms of other names
    assert {"valium", "nexium", "tiotropium"} <= names


def test_a_missing_word_list_is_skipped_with_a_warning(tmp_path, caplog) -> None:
    assert hunspell_words(tmp_path / "missing.dic") == ([], [])
    assert "hunspell-en-med" in caplog.text
    assert HUNSPELL_MEDICAL.name == "en_med_glut.dic"


def test_the_words_of_diagnoses_are_findings_and_drugs_stay_drugs() -> None:
    words = set(diagnosis_words())
    assert {"hematuria", "syncope", "nystagmus", "effusion", "heparin"} <= words
    lexicon = load_medical_lexicon()
    assert lexicon.slot_of("hematuria") is Slot.FINDING
    assert lexicon.slot_of("heparin") is Slot.DRUG  # named in a diagnosis, yet a drug
    assert lexicon.slot_of("aftertaste") is None  # a lexicon word no diagnosis uses


def test_the_rarer_words_of_diseases_are_terms_though_the_medical_word_list_leaves_them_out() -> None:
    """hunspell-en-med holds no word that an English dictionary has: "reflux" must come from ICD-10-CM."""
    words = disease_words()
    assert {"reflux", "effusion", "prostatic", "edema", "ileus"} <= words
    assert "displaced" not in words  # common enough for the model to spell
    assert "watercraft" not in words  # a word of injuries' external causes, no disease
    assert "dysplasias" not in words and "dysplasia" in words  # a plural adds nothing
    lexicon = load_medical_lexicon()
    assert "reflux" in lexicon and lexicon.slot_of("reflux") is Slot.FINDING


def test_procedures_are_findings_by_their_endings() -> None:
    """Diagnoses seldom name a procedure, yet a clinician names one where a finding goes ("scheduled for")."""
    lexicon = load_medical_lexicon()
    for procedure in ("bronchoscopy", "colonoscopy", "paracentesis", "cholecystectomy", "angiogram"):
        assert lexicon.slot_of(procedure) is Slot.FINDING, procedure


def test_the_pairs_of_words_diagnoses_write_together_respell_a_misheard_half() -> None:
    """ICD-10-CM writes "gastro-esophageal reflux": its hyphenated word is one word of the pair."""
    lexicon = load_medical_lexicon()
    assert lexicon.respelt_pairs("for gastroesophageal reflex.".split()) == ["for", "gastroesophageal", "reflux."]
    assert lexicon.respelt_pairs("a small plural f fusion".split()) == ["a", "small", "pleural", "effusion"]
    for ordinary in ("No acute distress.", "Respiratory rate 16.", "Pupils are reactive to light.",
                     "The patient reports chest pain radiating to the left arm.", "The medication takes effect.",
                     "It was not a complete solution.", "The compression factor was wrong.", "Start the system."):
        assert lexicon.respelt_pairs(ordinary.split()) == ordinary.split()
