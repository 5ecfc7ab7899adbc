"""Retrieval: which lexicon terms sound like what the first decode heard."""

from __future__ import annotations

from dictation_daemon.server.lexicon import MedicalLexicon, term_slots
from dictation_daemon.server.lexicon.retrieval import heard_key

FREQUENCIES = {"listen": 5.1, "april": 5.2, "van": 4.6, "commie": 2.5, "sin": 4.3, "the": 7.7, "gym": 4.4,
               "plan": 5.3, "to": 7.4, "go": 6.2, "daily": 5.0, "hold": 5.2, "today": 6.0, "continue": 5.3,
               "toms": 2.2, "you": 7.0, "begin": 4.9, "now": 6.3, "she": 6.5, "reports": 4.8, "he": 6.7,
               "moped": 2.6, "assess": 4.0, "pan": 4.0, "for": 7.0}
LEXICON = MedicalLexicon(
    {"lisinopril": 1.7, "vancomycin": 2.3, "tamsulosin": 1.5, "hemoptysis": 1.6, "cellulitis": 2.6,
     "pantoprazole": 2.0, "lysinopril": 0.0, "eicosanoate": 0.0},
    word_frequency=lambda word: FREQUENCIES.get(word, 0.0),
)


def test_a_term_heard_as_ordinary_words_is_found_by_its_sound() -> None:
    assert "lisinopril" in LEXICON.candidates("Hold lison April today.".split())
    assert "tamsulosin" in LEXICON.candidates("Continue toms you listen daily.".split())
    assert "hemoptysis" in LEXICON.candidates("She reports he moped assess.".split())


def test_a_term_heard_with_another_first_vowel_is_found_by_its_sound() -> None:
    """Metaphone keeps a word's first vowel and drops the others: "idima" (ITM) is 67 alike to edema (ETM)
    by its key, under the cut-off, and its letters and consonants are too few to find it otherwise."""
    lexicon = MedicalLexicon({"edema": 2.95}, word_frequency=lambda word: FREQUENCIES.get(word, 0.0))
    assert lexicon.candidates("She reports idima.".split()) == ["edema"]


def test_a_term_split_into_pieces_is_found_by_its_letters() -> None:
    assert "vancomycin" in LEXICON.candidates("Begin van commie sin now.".split())
    assert "pantoprazole" in LEXICON.candidates("Continue pan to parazzo.".split())


def test_the_term_in_use_ranks_above_a_rare_spelling() -> None:
    found = LEXICON.candidates("Hold lison April.".split(), limit=100)
    assert found.index("lisinopril") < found.index("lysinopril")


def test_session_words_are_not_searched_around() -> None:
    assert "vancomycin" in LEXICON.candidates("van commie sin".split())
    assert LEXICON.candidates("van commie sin".split(), ignored={"van", "commie", "sin"}) == []


def test_a_session_function_word_inside_a_misheard_term_does_not_end_the_span() -> None:
    # "to" is a word of the session's "go to plan section", and also where "pantoprazole" was split.
    assert "pantoprazole" in LEXICON.candidates("Continue pan to parazzo.".split(), ignored={"go", "to", "plan"})
    assert "pantoprazole" not in LEXICON.candidates("Continue pan plan parazzo.".split(), ignored={"plan"})


def test_a_term_heard_right_ranks_first() -> None:
    assert LEXICON.candidates(["cellulitis"])[0] == "cellulitis"


def test_an_ordinary_sentence_far_from_every_term_gives_no_candidates() -> None:
    assert LEXICON.candidates("Plan to go to the gym daily.".split()) == []


def test_candidates_are_bounded() -> None:
    assert len(LEXICON.candidates("lison April van commie sin toms you listen".split(), limit=2)) == 2


def test_common_words_only_are_left_as_heard() -> None:
    assert LEXICON.candidates("Hold listen April today.".split()) == []


def test_heard_keys_are_letters_only() -> None:
    assert heard_key("Lisinopril,") == "lisinopril"
    assert heard_key("don't") == "dont"


def test_a_term_is_in_use_when_general_text_writes_it() -> None:
    assert LEXICON.in_use("vancomycin")
    assert not LEXICON.in_use("lysinopril")
    assert not LEXICON.in_use("aspirin")  # not a term of this lexicon at all


def test_only_a_rare_word_or_a_misspelling_makes_a_sentence_doubtful() -> None:
    assert LEXICON.doubtful("Begin van commie sin now.".split())  # "commie" is rare
    assert LEXICON.doubtful("Continue pan to parazzo.".split())  # "parazzo" is no word
    assert LEXICON.doubtful("Begin vancomycin now.".split())  # a rare term may be a misheard one
    assert not LEXICON.doubtful("Plan to go to the gym daily.".split())
    assert not LEXICON.doubtful("Hold the plan today.".split())


def test_a_common_drug_heard_as_english_words_after_an_order_verb_is_searched_for() -> None:
    frequencies = {"give": 5.7, "euros": 4.0, "might": 5.5, "for": 7.0, "pain": 5.0, "furosemide": 2.1,
                   "eurosemide": 0.0}
    lexicon = MedicalLexicon({"furosemide": 2.1, "eurosemide": 0.0},
                             word_frequency=lambda word: frequencies.get(word, 0.0),
                             drugs={"furosemide", "eurosemide"})
    words = "Give euros might for pain.".split()
    assert lexicon.candidates(words, slots=term_slots(words)) == ["furosemide"]
    assert lexicon.candidates(words) == []  # English words alone, outside a drug phrase: nothing to look for


def test_english_words_beside_an_unsure_spelling_are_not_searched_as_a_drug_of_their_own() -> None:
    """"pan to" is the start of "pan to parazzo", searched whole with the unsure "parazzo"; as a drug
    phrase of its own it would only bring look-alikes ("panadol") into the prompt."""
    frequencies = {"continue": 5.3, "pan": 4.0, "to": 7.4, "daily": 5.0, "pantoprazole": 2.0, "panadol": 1.5}
    lexicon = MedicalLexicon({"pantoprazole": 2.0, "panadol": 1.5},
                             word_frequency=lambda word: frequencies.get(word, 0.0),
                             drugs={"pantoprazole", "panadol"})
    words = "Continue pan to parazzo daily.".split()
    assert lexicon.candidates(words, slots=term_slots(words)) == ["pantoprazole"]
    words = "Continue pan to daily.".split()
    assert "panadol" in lexicon.candidates(words, slots=term_slots(words))


def test_a_finding_heard_as_english_words_after_its_cue_is_searched_among_findings_only() -> None:
    """A drug that sounds like the words is no candidate there: a finding phrase names a finding."""
    frequencies = {"he": 6.9, "reports": 4.8, "how": 6.6, "much": 6.3, "area": 5.3, "hematuria": 2.0,
                   "hemator": 1.2}
    lexicon = MedicalLexicon({"hematuria": 2.0, "hemator": 1.2},
                             word_frequency=lambda word: frequencies.get(word, 0.0),
                             drugs={"hemator"}, findings={"hematuria", "hemator"})
    words = "He reports how much area.".split()
    assert lexicon.candidates(words, slots=term_slots(words)) == ["hematuria"]
    assert lexicon.candidates(words) == []


def test_the_second_decodes_near_spelling_is_searched_among_named_terms_only() -> None:
    """"sencop" is as close to the Latin "syncopa" as to syncope; clinicians name the finding."""
    frequencies = {"the": 7.7, "patient": 5.0, "had": 6.5, "an": 6.8, "episode": 4.6, "of": 7.4,
                   "syncope": 2.2, "syncopa": 0.5}
    lexicon = MedicalLexicon({"syncope": 2.2, "syncopa": 0.5},
                             word_frequency=lambda word: frequencies.get(word, 0.0), findings={"syncope"})
    assert lexicon.named_candidates("the patient had an episode of sencop period".split()) == ["syncope"]
    assert "syncopa" in lexicon.candidates("the patient had an episode of sencop period".split())


def test_named_terms_are_ranked_among_themselves() -> None:
    """Six rare look-alikes are closer to "sencop" than syncope is, more than the five a heard stretch
    keeps: among all terms syncope is cut, among the named ones it is first."""
    frequencies = {"an": 6.8, "episode": 4.6, "of": 7.4, "syncope": 2.2}
    look_alikes = {f"sencop{ending}": 0.0 for ending in "aeiouy"}
    lexicon = MedicalLexicon({"syncope": 2.2, **look_alikes}, word_frequency=lambda word: frequencies.get(word, 0.0),
                             findings={"syncope"})
    assert "syncope" not in lexicon.candidates("an episode of sencop".split())
    assert lexicon.named_candidates("an episode of sencop".split()) == ["syncope"]


def test_a_second_decode_of_written_words_and_terms_costs_no_search() -> None:
    frequencies = {"an": 6.8, "episode": 4.6, "of": 7.4, "syncope": 2.2}
    lexicon = MedicalLexicon({"syncope": 2.2}, word_frequency=lambda word: frequencies.get(word, 0.0),
                             findings={"syncope"})
    assert lexicon.named_candidates("an episode of syncope".split()) == []
