"""Reading the medical lexicon from the packages that ship it, once per process.

Three kept sources, none copied into this repository:

* Debian's ``hunspell-en-med`` (GPL-3): about 90,000 medical words, drug names to 2014, read from
  :data:`HUNSPELL_MEDICAL` at run time. Of the proper names it lists, only the eponyms that diagnoses
  use are kept (:func:`hunspell_words`).
* PyPI's ``drug-named-entity-recognition`` (MIT, updated 2025): its drug dictionary, of which the
  generic and brand names of the drugs patients are prescribed are taken (those with a MedlinePlus or
  NHS page, or with both a DrugBank and a Wikipedia entry), newer ones included (apixaban, tirzepatide),
  without the tens of thousands of research compounds, nor the other languages' and the pharmacopoeias'
  Latin spellings of them ("vancomicina", "atropinum"). The dictionary file is read directly: importing
  the package would also set up its network lookups.
* PyPI's ``simple-icd-10-cm`` (MIT, updated each April with the CDC's ICD-10-CM, which is in the public
  domain): the words of its diagnoses' descriptions ("Paroxysmal atrial fibrillation", "Hepatomegaly, not
  elsewhere classified"), about 7,500, which say which lexicon terms name a finding: a condition, sign,
  body part or procedure (:class:`~.retrieval.Slot`), and which words they write side by side
  (:mod:`.collocations`: "gastro-esophageal reflux"). Its classification file is read directly: importing
  the package builds its whole code tree, three seconds for the few words needed here. Diagnoses seldom
  name a procedure, so the lexicon's procedures, known by their endings (:data:`PROCEDURE_ENDINGS`:
  "bronchoscopy", "paracentesis", "angiogram"), count as findings too. Its rarer words that several
  diseases use are terms of their own (:func:`disease_words`): ``hunspell-en-med`` leaves out what English
  dictionaries hold ("reflux", "effusion").

Words written often in general English (Zipf frequency of :data:`COMMON_ZIPF` or more, from
``wordfreq``) are left out: the model spells them already, and as candidates they would only crowd the
prompt. Medical words that an English dictionary also has ("tachycardia") stay: the model misspells them
as often as the others. Each term
keeps its frequency as the prior :class:`~.retrieval.MedicalLexicon` ranks with, and every other word
that ``wordfreq`` lists counts as an English word (never taken for a misspelt term). A missing source is
logged and skipped; with neither, the lexicon is empty and the engine decodes each segment once.
"""

from __future__ import annotations

import bz2
import importlib.util
import logging
import pickle
import re
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from .collocations import Collocations
from .retrieval import DOUBTFUL_ZIPF, MedicalLexicon

log = logging.getLogger(__name__)

HUNSPELL_MEDICAL = Path("/usr/share/hunspell/en_med_glut.dic")
DRUG_PACKAGE = "drug_named_entity_recognition"
DRUG_DICTIONARY = "drug_ner_dictionary.pkl.bz2"
ICD_PACKAGE = "simple_icd_10_cm"
ICD_CLASSIFICATION = "data/*tabular*.xml"

COMMON_ZIPF = 4.5
"""Words written 30 times per million words or more ("pain", "blood", "water") are not terms to look for:
the model spells them. Commoner medical words below that ("edema", "pneumonia") stay: the model can
mishear them too, and without them a garbled "edema" could only be offered rarer look-alikes."""

DRUG_PRIOR = 1.5
"""The least frequency a prescribed drug's name is given: newer drugs (semaglutide, tirzepatide) are too
recent for ``wordfreq``'s corpora, yet are as much in use as any."""

PROCEDURE_ENDINGS = (
    "scopy", "ectomy", "otomy", "ostomy", "plasty", "centesis", "pexy", "desis", "tripsy", "gram", "graphy",
)
"""The endings of the Greek and Latin names of procedures: looking (bronchoscopy), cutting out
(cholecystectomy), cutting (laparotomy), an opening (colostomy), shaping (arthroplasty), puncturing
(thoracentesis), fixing (orchiopexy), binding (pleurodesis), crushing (lithotripsy), recording
(angiogram, mammography)."""

_TERM = re.compile(r"[a-z]{6,}")
"""Terms are single words of letters, six or more (five for the words of diseases, :data:`_DISEASE_WORD`):
hyphenated and numbered names are not said as written, and the few short medical words ("gout", "acne")
are ones the model knows."""

_DISEASE_WORD = re.compile(r"[a-z]{5,}")
"""The words of diseases (:func:`disease_words`) may have five letters: "edema", "ileus" and "polyp" are
words English dictionaries hold, so the model spells them unless it mishears them ("idima"), and without
them as terms a misheard "edema" could only be offered longer look-alikes ("acidemia")."""

_loaded: MedicalLexicon | None = None
_lock = threading.Lock()


def load_medical_lexicon() -> MedicalLexicon:
    """The lexicon, read on the first call (about a second) and shared by every later caller."""
    global _loaded
    with _lock:
        if _loaded is None:
            named = dict(prescribed_drugs())
            drugs = set(named)
            diagnoses = read_diagnoses()  # read once: both word sets come from it
            diagnosed = diagnosis_words(diagnoses)
            common_words, proper_names = hunspell_words(HUNSPELL_MEDICAL)
            words = set(common_words) | (set(proper_names) & diagnosed) | disease_words(diagnoses) | drugs
            procedures = {word for word in words if word.endswith(PROCEDURE_ENDINGS)}
            findings = (diagnosed | procedures) - drugs
            frequencies = {word: zipf_frequency(word, "en") for word in words}
            for drug in drugs:  # prescribed, though general text may not have caught up with it yet
                frequencies[drug] = max(frequencies[drug], DRUG_PRIOR)
            _loaded = MedicalLexicon(
                {word: frequency for word, frequency in frequencies.items() if frequency < COMMON_ZIPF},
                word_frequency=english_frequency,
                drugs=drugs,
                generics={name for name, generic in named.items() if generic},
                findings=findings,
                collocations=Collocations([[word.replace("-", "") for word in words] for _chapter, words in diagnoses],
                                          is_common=lambda word: english_frequency(word) >= DOUBTFUL_ZIPF),
            )
            log.info("medical lexicon: %d terms", len(_loaded))
        return _loaded


def english_frequency(word: str) -> float:
    """A word's Zipf frequency in general English (``wordfreq``'s lists, which it loads once)."""
    return zipf_frequency(word, "en")


def hunspell_words(path: Path) -> tuple[list[str], list[str]]:
    """The words of a Hunspell ``.dic`` file, lower case, without affix flags or its indented header: its
    common words, and apart from them the proper names it lists only capitalised.

    Most of those names are no medical term: surnames and places ("Richmond", "Anderson", "Toronto"),
    genera ("Melania") and brands ("Millenia"). Given as candidates, they crowded the prompt, and the
    second decode copied them ("millenia" for melena). The caller keeps the few it has reason to: the
    eponyms that diagnoses use ("Cushing", "Alzheimer")."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        log.warning("medical word list %s not readable (%s): install the Debian package hunspell-en-med",
                    path, error.strerror)
        return [], []
    common: set[str] = set()
    names: set[str] = set()
    for line in lines[1:]:  # the first line is the word count
        if line[:1].isspace():
            continue
        word = line.split("/", 1)[0].strip()
        if _TERM.fullmatch(word.lower()):
            (names if word[:1].isupper() else common).add(word.lower())
    return sorted(common), sorted(names - common)


FOREIGN_SPELLING_SIMILARITY = 85.0
"""A name this close (0–100) to its generic name is another language's spelling of it ("vancomycinum",
"vancomicina", "atorvastatina"), which nobody dictates; a brand name ("eliquis") is far from it."""


def prescribed_drug_names() -> Iterator[str]:
    """Generic and brand names of the drugs in the dictionary that are prescribed (see above)."""
    return (name for name, _generic in prescribed_drugs())


def prescribed_drugs() -> Iterator[tuple[str, bool]]:
    """The names of :func:`prescribed_drug_names`, each with whether it is a generic name."""
    folder = _package_folder(DRUG_PACKAGE)
    if folder is None:
        log.warning("drug dictionary not installed: install the 'engine' extra (%s)", DRUG_PACKAGE)
        return
    with bz2.open(folder / DRUG_DICTIONARY, "rb") as handle:
        dictionary = pickle.load(handle)  # the package's own data file, as the package itself loads it
    prescribed = {name for name, data in dictionary["drug_canonical_to_data"].items() if _prescribed(data)}
    for variant, generic_names in dictionary["drug_variant_to_canonical"].items():
        generics = prescribed.intersection(generic_names)
        if not generics or not _TERM.fullmatch(variant):
            continue
        if variant in generics:
            yield variant, True
        elif not _foreign_spelling(variant, generics, dictionary["drug_variant_to_canonical"]):
            yield variant, False


DISEASE_CHAPTERS = 18
"""ICD-10-CM's chapters of diseases and of their symptoms and signs (1 to 18). The later ones classify
injuries, their external causes ("watercraft", "nontraffic") and the reasons for an encounter."""

MIN_DIAGNOSES = 2
"""Diagnoses a word must appear in to be taken as a medical word of its own (:func:`disease_words`): one
alone may be a place or a thing it names ("sidewall", "berries")."""

_CHAPTER = re.compile(r"<chapter>\s*<name>(\d+)</name>")
_DESCRIPTION = re.compile(r"<desc>([^<]*)</desc>")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
"""A word whole, accented letters too ("Boutonnière" is not "boutonni"), hyphenated ones as one."""


Diagnosis = tuple[int, list[str]]
"""An ICD-10-CM diagnosis: the number of its chapter, and the words of its description, lower case, a
hyphenated word as one ("gastro-esophageal")."""


def diagnosis_words(diagnoses: Sequence[Diagnosis] | None = None) -> set[str]:
    """The words of ICD-10-CM's diagnosis descriptions (see above); ``diagnoses`` as
    :func:`read_diagnoses` gives them, read here if not given."""
    return {part for _chapter, words in _or_read(diagnoses) for word in words for part in word.split("-")}


def disease_words(diagnoses: Sequence[Diagnosis] | None = None) -> set[str]:
    """The medical words that English dictionaries hold and ``hunspell-en-med`` therefore leaves out
    ("reflux", "effusion", "prostatic"), without which a near spelling could only be offered a rarer
    look-alike ("prostatitis"); ``diagnoses`` as for :func:`diagnosis_words`.

    They are the words of five letters or more (:data:`_DISEASE_WORD`) of the diagnoses of
    :data:`DISEASE_CHAPTERS` that at least :data:`MIN_DIAGNOSES` use and that general text writes less than
    once per million words (:data:`.retrieval.DOUBTFUL_ZIPF`), other than the plural of another such word.
    Commoner ones ("displaced", "hypertension") the model spells, and as candidates they crowded rarer ones
    out: "displaced" pushed dyspnea out of the candidates for "display"."""
    counts = Counter(part for chapter, words in _or_read(diagnoses) if chapter <= DISEASE_CHAPTERS
                     for part in {part for word in words for part in word.split("-")})
    return {word for word, count in counts.items()
            if count >= MIN_DIAGNOSES and _DISEASE_WORD.fullmatch(word) and zipf_frequency(word, "en") < DOUBTFUL_ZIPF
            and not (word.endswith("s") and (word[:-1] in counts or word[:-2] in counts))}


def read_diagnoses() -> list[Diagnosis]:
    """Every ICD-10-CM diagnosis (none, with a warning, if the package is missing)."""
    folder = _package_folder(ICD_PACKAGE)
    files = sorted(folder.glob(ICD_CLASSIFICATION)) if folder is not None else []
    if not files:
        log.warning("ICD-10-CM not installed: install the 'engine' extra (%s)", ICD_PACKAGE)
        return []
    text = files[-1].read_text(encoding="utf-8")
    diagnoses: list[Diagnosis] = []
    chapters = list(_CHAPTER.finditer(text))
    for found, following in zip(chapters, [*chapters[1:], None]):
        chapter_end = following.start() if following else len(text)
        for description in _DESCRIPTION.findall(text, found.end(), chapter_end):
            diagnoses.append((int(found.group(1)), _WORD.findall(description.lower())))
    return diagnoses


def _or_read(diagnoses: Sequence[Diagnosis] | None) -> Sequence[Diagnosis]:
    return read_diagnoses() if diagnoses is None else diagnoses


def _package_folder(package: str) -> Path | None:
    """Where an installed package's files are, found without importing it (``None`` if it is missing)."""
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0]) if folders else None


def _foreign_spelling(name: str, generics: Collection[str], names: Collection[str]) -> bool:
    """Whether ``name`` is another language's spelling of one of its ``generics`` (as close to it as
    :data:`FOREIGN_SPELLING_SIMILARITY`), or the Latin form of another of the dictionary's ``names``
    ("atropine" → "atropinum", "paracetamol" → "paracetamolum"), which pharmacopoeias use and nobody
    dictates. As candidates such names are only written back: the second decode wrote "atropinum" for
    tiotropium."""
    if any(fuzz.ratio(name, generic) >= FOREIGN_SPELLING_SIMILARITY for generic in generics):
        return True
    stem = name.removesuffix("um")
    return stem != name and (stem in names or stem + "e" in names)


def _prescribed(data: dict[str, object]) -> bool:
    return "medline_plus_id" in data or "nhs_url" in data or ("drugbank_id" in data and "wikipedia_url" in data)
