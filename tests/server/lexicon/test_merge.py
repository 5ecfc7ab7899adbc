"""Merging two decodes: a term is taken only where it replaced words that sound like it; no word is lost."""

from __future__ import annotations

from dictation_daemon.server.lexicon import MedicalLexicon, take_terms, term_slots
from dictation_daemon.server.lexicon.merge import snap_to_terms
from dictation_daemon.server.lexicon.retrieval import Slot

FREQUENCIES = {"after": 6.2, "stent": 2.9, "furious": 3.9, "might": 5.5, "continue": 5.0, "all": 7.0, "my": 6.9, "loaded": 4.2, "with": 7.2,
               "grill": 3.9, "give": 5.7, "given": 5.4, "a": 7.3, "for": 7.0, "at": 6.7, "bedtime": 3.4,
               "increase": 4.8,
               "start": 5.4, "the": 7.7, "sin": 4.3, "in": 7.3, "deep": 5.0, "vein": 3.4, "jim": 4.6,
               "gym": 4.4, "plan": 5.3, "to": 7.4, "go": 6.2, "daily": 5.0, "display": 4.6, "it": 7.0,
               "now": 6.3, "history": 5.3, "pan": 4.3, "korea": 4.5, "and": 7.6, "low": 5.5, "inhalers": 3.0, "mass": 4.8, "of": 7.4, "head": 5.3, "pancreas": 3.3, "except": 4.7}
LEXICON = MedicalLexicon(
    {"gabapentin": 2.0, "levothyroxine": 2.5, "enoxaparin": 1.9, "vancomycin": 2.3, "dyspnea": 2.1,
     "amprol": 0.0, "clopidogrel": 2.4, "amiodarone": 2.6, "aftertaste": 1.0, "furious": 3.9, "furosemide": 2.5, "hypothyroidism": 2.8,
     "pancrease": 1.0, "hyperchylia": 0.0, "pancreatitis": 2.3, "chitosan": 2.0,
     "cirrhosis": 2.9, "losartan": 2.0, "albuterol": 2.5},
    word_frequency=lambda word: FREQUENCIES.get(word, 0.0),
)


def test_the_term_the_second_decode_wrote_replaces_the_words_it_was_heard_as() -> None:
    assert take_terms("Increase give a penton at bedtime.", "Increase gabapentin at bedtime.",
                      ["gabapentin"], LEXICON) == "Increase gabapentin at bedtime."


def test_a_word_the_term_does_not_sound_like_is_kept() -> None:
    assert take_terms("Start levothroxine for hypothyroidism.", "Start levothyroxine hypothyroidism.",
                      ["levothyroxine"], LEXICON) == "Start levothyroxine for hypothyroidism."


def test_other_changes_of_the_second_decode_are_not_taken() -> None:
    assert take_terms("Plan to go to the gym daily.", "Plan to go to the Jim daily.", ["gabapentin"],
                      LEXICON) == "Plan to go to the gym daily."
    assert take_terms("Given an exapa in for deep vein.", "Give enoxaparin for deep vein.",
                      ["enoxaparin"], LEXICON) == "Give enoxaparin for deep vein."


def test_a_term_that_does_not_sound_like_the_words_it_replaced_is_not_taken() -> None:
    assert take_terms("Give it at bedtime.", "Give gabapentin at bedtime.", ["gabapentin"],
                      LEXICON) == "Give it at bedtime."


def test_an_unsure_spelling_close_to_a_candidate_in_use_is_the_candidate() -> None:
    assert snap_to_terms("Begin vancomy sin, now".split(), ["vancomycin"], LEXICON) == ["Begin", "vancomycin,", "now"]
    assert snap_to_terms(["exaparin."], ["enoxaparin"], LEXICON) == ["enoxaparin."]


def test_an_english_word_is_not_taken_into_a_snapped_pair() -> None:
    assert snap_to_terms("levothroxine for hypothroidism".split(), ["levothyroxine", "hypothyroidism"],
                         LEXICON) == ["levothyroxine", "for", "hypothyroidism"]


def test_a_function_word_is_never_snapped_into_a_term() -> None:
    assert snap_to_terms("pan korea chitis and cirrhosis".split(), ["chitosan", "pancreatitis"], LEXICON) == [
        "pan", "korea", "chitosan", "and", "cirrhosis"]
    assert take_terms("History of pan korea chitis and cirrhosis.", "History of pancreatitis and cirrhosis.",
                      ["chitosan", "pancreatitis", "cirrhosis"], LEXICON) == "History of pancreatitis and cirrhosis."


def test_an_english_word_the_term_was_heard_with_goes_with_the_term() -> None:
    """"sartan" alone is close enough to be snapped, but "low" was part of the name the second decode wrote."""
    assert take_terms("Continue low sartan for it.", "Continue losartan for it.", ["losartan"], LEXICON) == (
        "Continue losartan for it.")
    assert take_terms("Continue low sartan for it.", "Continue low sartan for it.", ["losartan"], LEXICON) == (
        "Continue low losartan for it.")  # no term from the second decode: the unsure spelling alone is snapped


def test_a_heard_word_the_second_decode_wrote_a_word_of_its_own_for_stays() -> None:
    """"antitiotropium" is no term, so "anti-utrapium" stays as heard: it is not part of albuterol."""
    assert take_terms("Continue albuteral anti-utrapium inhalers.", "Continue albuterol antitiotropium inhalers.",
                      ["albuterol"], LEXICON) == "Continue albuterol anti-utrapium inhalers."


def test_a_common_word_heard_alone_is_never_replaced() -> None:
    assert take_terms("Mass in the head of the pancreas.", "Mass in the head of the pancrease.",
                      ["pancrease"], LEXICON) == "Mass in the head of the pancreas."


def test_a_term_nobody_writes_is_not_taken_from_the_second_decode() -> None:
    assert take_terms("Because of hypercholine me a.", "Because of hyperchylia.", ["hyperchylia"],
                      LEXICON) == "Because of hypercholine me a."


def test_a_greek_ch_is_read_as_k_when_snapping() -> None:
    """"hyperchylemia" is 80 like hyperkalemia by letters and by Metaphone (HPRXLM, HPRKLM): the model wrote
    the Greek "ch" of "chyle" for the sound "k"."""
    lexicon = MedicalLexicon({"hyperkalemia": 1.9, "hyperchylia": 0.0}, word_frequency=lambda word: 0.0)
    assert snap_to_terms(["hyperchylemia."], ["hyperkalemia"], lexicon) == ["hyperkalemia."]


def test_a_first_vowel_heard_wrong_still_snaps() -> None:
    """Metaphone keeps a word's first vowel and drops the others: "adema" (ATM) and edema (ETM) were 67 alike
    by sound, though a vowel is all that differs."""
    lexicon = MedicalLexicon({"edema": 2.9, "amiodarone": 2.0}, word_frequency=lambda word: 0.0)
    assert snap_to_terms(["adema."], ["edema"], lexicon) == ["edema."]
    assert snap_to_terms(["odorone"], ["amiodarone"], lexicon) == ["amiodarone"]


def test_english_words_are_never_snapped() -> None:
    assert snap_to_terms(["display"], ["dyspnea"], LEXICON) == ["display"]


def test_the_closer_snap_wins_over_the_first_word_alone() -> None:
    # "clopia" alone is close to "cyclopia", but "clopia digrel" run together is "clopidogrel".
    assert snap_to_terms("Stop clopia digrel today.".split(), ["cyclopia", "clopidogrel"], LEXICON) == [
        "Stop", "clopidogrel", "today."]


def test_the_longer_run_is_the_better_reading() -> None:
    """"clopia" is as alike to cyclopia as "clopia to girl" is to clopidogrel: the run that accounts for
    more of what was heard wins. "clopia to grow" sounds more like clopidogrel still, but is too far from it
    by letters for a snap: then "clopia" is not snapped to cyclopia either, and the other decode's reading
    stands."""
    frequencies = {"discontinue": 3.5, "to": 7.4, "girl": 5.5, "grow": 5.0, "before": 6.2}
    lexicon = MedicalLexicon({"cyclopia": 1.15, "clopidogrel": 1.98},
                             word_frequency=lambda word: frequencies.get(word, 0.0))
    terms = ["cyclopia", "clopidogrel"]
    assert snap_to_terms("Stop clopia to girl before".split(), terms, lexicon) == ["Stop", "clopidogrel", "before"]
    assert snap_to_terms("Stop clopia to grow before".split(), terms, lexicon) == [
        "Stop", "clopia", "to", "grow", "before"]
    assert take_terms("Discontinue clopia to girl before", "Discontinue clopia to grow before", terms,
                      lexicon) == "Discontinue clopidogrel before"


def test_a_run_of_three_bridges_the_function_word_a_name_was_split_at() -> None:
    """"nitrofoir and point" is nitrofurantoin, though a pair may not end on "and"; the run never crosses
    a mark, nor bridges a word that is no function word."""
    frequencies = {"start": 5.4, "and": 7.6, "point": 5.5, "for": 7.0, "cystitis": 2.2, "offline": 4.0,
                   "nitro": 3.4, "fine": 5.2, "nitrofurantoin": 1.5}
    lexicon = MedicalLexicon({"nitrofurantoin": 1.5, "cystitis": 2.2},
                             word_frequency=lambda word: frequencies.get(word, 0.0),
                             drugs={"nitrofurantoin"}, findings={"cystitis"})
    assert snap_to_terms("Start nitrofoir and point for cystitis.".split(), ["nitrofurantoin"], lexicon) == [
        "Start", "nitrofurantoin", "for", "cystitis."]
    assert snap_to_terms("Start nitrofoir. And point.".split(), ["nitrofurantoin"], lexicon) == [
        "Start", "nitrofoir.", "And", "point."]
    assert snap_to_terms("Start nitrofoir fine point.".split(), ["nitrofurantoin"], lexicon) == [
        "Start", "nitrofoir", "fine", "point."]
    heard = "Start nitro offline for cystitis."
    assert take_terms(heard, "Start nitrofoir and point for cystitis.", ["cystitis", "nitrofurantoin"], lexicon,
                      slots=term_slots(heard.split())) == "Start nitrofurantoin for cystitis."


def test_a_term_in_use_is_never_snapped_to_another() -> None:
    frequencies = {"give": 5.7, "it": 7.0, "for": 7.0, "pulmonary": 3.5, "pulmonaria": 1.1, "edema": 2.9}
    lexicon = MedicalLexicon({"pulmonary": 3.5, "pulmonaria": 1.1, "edema": 2.9},
                             word_frequency=lambda word: frequencies.get(word, 0.0))
    assert snap_to_terms(["pulmonary"], ["pulmonaria"], lexicon) == ["pulmonary"]
    assert take_terms("Give it for pulmonary edema.", "Give it for pulmonaria edema.", ["pulmonaria"],
                      lexicon) == "Give it for pulmonary edema."


def test_a_spelling_closer_to_a_term_that_is_no_candidate_is_not_snapped() -> None:
    """"crepitis" is a near spelling of crepitus, which no heard word brought among the candidates, more than
    of the candidate capitis: snapped, it would write a word that was not said."""
    frequencies = {"there": 6.6, "is": 7.4, "erythema": 2.3, "and": 7.6, "crap": 4.3, "it": 7.0, "over": 6.2,
                   "the": 7.7, "wound": 4.3, "capitis": 1.7, "crepitus": 1.4}
    lexicon = MedicalLexicon({"erythema": 2.3, "capitis": 1.7, "crepitus": 1.4},
                             word_frequency=lambda word: frequencies.get(word, 0.0))
    assert snap_to_terms(["crepitis"], ["capitis"], lexicon) == ["crepitis"]
    assert take_terms("There is erythema and crap it is over the wound.",
                      "There is erythema and crepitis over the wound.", ["capitis"], lexicon) == (
        "There is erythema and crap it is over the wound.")
    assert snap_to_terms(["capitiss"], ["capitis"], lexicon) == ["capitis"]


def test_a_spelling_is_not_snapped_to_a_term_nobody_writes() -> None:
    assert take_terms("Start aprol now.", "Start aprol now.", ["amprol"], LEXICON) == "Start aprol now."


def test_ordinary_words_are_never_replaced_by_a_term() -> None:
    frequencies = {"he": 6.7, "denies": 4.1, "chest": 4.6, "pain": 5.0}
    lexicon = MedicalLexicon({"hedonist": 1.5}, word_frequency=lambda word: frequencies.get(word, 0.0))
    assert take_terms("He denies chest pain.", "Hedonist chest pain.", ["hedonist"], lexicon) == "He denies chest pain."


def test_the_sessions_keyterms_are_taken_like_terms_in_use() -> None:
    assert take_terms("Clear to alskultation.", "Clear to auscultation.", ["auscultation"], LEXICON,
                      keyterms={"auscultation"}) == "Clear to auscultation."


def test_one_english_word_heard_alone_is_never_replaced_however_rare() -> None:
    frequencies = {"made": 5.5, "amiable": 2.9, "himself": 5.3}
    lexicon = MedicalLexicon({"amphibole": 1.2}, word_frequency=lambda word: frequencies.get(word, 0.0))
    assert take_terms("Made amiable himself.", "Made amphibole himself.", ["amphibole"], lexicon) == (
        "Made amiable himself."
    )


def test_a_snap_needs_the_spelling_as_well_as_the_sound() -> None:
    assert snap_to_terms(["parazzo"], ["porous"], LEXICON) == ["parazzo"]


def test_words_the_second_decode_ran_together_after_the_term_are_kept() -> None:
    """The second decode merged "after the stent" into "aftertaste": only the term's part is taken, even
    when the run-together word is itself a term of the lexicon, since the words it took are all common."""
    for terms in (["clopidogrel"], ["clopidogrel", "aftertaste"]):
        assert take_terms("Continue clopia to grill after the stent.", "Continue clopidogrel aftertaste",
                          terms, LEXICON) == "Continue clopidogrel after the stent."


def test_an_english_word_that_was_part_of_the_misheard_name_is_replaced_with_it() -> None:
    assert take_terms("Loaded with all my odorone.", "Loaded with amiodarone.", ["amiodarone"],
                      LEXICON) == "Loaded with amiodarone."


def test_an_unsure_spelling_is_not_snapped_to_a_common_word() -> None:
    assert take_terms("Give furos might daily.", "Give furos might daily.", ["furious"],
                      LEXICON) == "Give furos might daily."
    assert take_terms("Give furos might daily.", "Kefurosemide daily.", ["furious", "furosemide"],
                      LEXICON) == "Give furosemide daily."


ORDER_FREQUENCIES = {"hold": 5.2, "listen": 5.1, "april": 5.2, "because": 6.5, "of": 7.4, "it": 7.0, "she": 6.5,
                     "will": 6.6, "first": 6.0, "start": 5.4, "walking": 4.6, "after": 6.2, "meals": 3.9,
                     "switch": 4.6, "more": 6.6, "far": 5.6, "into": 6.2, "the": 7.7, "other": 6.4, "now": 6.3,
                     "stent": 2.9, "lisinopril": 1.7, "warfarin": 2.6, "aftertaste": 2.0, "he": 6.9,
                     "reports": 4.8, "how": 6.6, "much": 6.3, "area": 5.3, "hematuria": 2.0, "rheumatoid": 2.6,
                     "arthritis": 4.0, "arthrodesis": 1.6, "for": 7.0, "dysuria": 1.5, "and": 7.6,
                     "live": 5.6, "a": 7.4, "theory": 5.0, "rock": 5.1, "sign": 5.1, "levothyroxine": 1.6}
ORDERS = MedicalLexicon(
    {"lisinopril": 1.7, "warfarin": 2.6, "levothyroxine": 1.6, "wakix": 1.5, "aftertaste": 2.0, "hematuria": 2.0,
     "rheumatoid": 2.6, "arthritis": 4.0, "arthrodesis": 1.6, "dysuria": 1.5},
    word_frequency=lambda word: ORDER_FREQUENCIES.get(word, 0.0),
    drugs={"lisinopril", "warfarin", "levothyroxine", "wakix"},
    findings={"hematuria", "rheumatoid", "arthritis", "arthrodesis", "dysuria"},
)


def _in_phrases(first: str, second: str, terms: list[str], lexicon: MedicalLexicon = ORDERS) -> str:
    """``take_terms`` with the drug and finding phrases of ``first``, as the engine gives them when unsure."""
    return take_terms(first, second, terms, lexicon, slots=term_slots(first.split()))


def test_a_drug_heard_as_english_words_after_an_order_verb_is_taken() -> None:
    assert _in_phrases("Hold listen April because of it.", "Hold lisinopril because of it.", ["lisinopril"]) == (
        "Hold lisinopril because of it.")


def test_a_drug_heard_as_five_english_words_after_an_order_verb_is_taken() -> None:
    assert _in_phrases("Start live a theory rock sign for it.", "Start levothyroxine for it.",
                       ["levothyroxine"]) == "Start levothyroxine for it."


def test_the_same_english_words_outside_an_order_stay() -> None:
    assert _in_phrases("She will listen April first.", "She will lisinopril first.", ["lisinopril"]) == (
        "She will listen April first.")


def test_only_a_drug_replaces_english_words_after_an_order_verb() -> None:
    assert _in_phrases("Start the stent now.", "Start aftertaste now.", ["aftertaste"]) == (
        "Start the stent now."
    )


def test_a_rare_drug_never_replaces_english_words() -> None:
    """Ordinary words sound like some rare brand: "walking" like Wakix, written in no general text."""
    assert _in_phrases("Start walking after meals.", "Start Wakix after meals.", ["wakix"]) == (
        "Start walking after meals."
    )


def test_a_common_word_is_not_swapped_for_a_common_finding_in_a_phrase() -> None:
    """The model spells "breath" and "breast" alike well: a phrase that names a finding does not make one
    more likely than the other, and the words heard stay. A rarer finding is still taken for one word."""
    frequencies = {"he": 6.6, "denies": 3.4, "shortness": 3.0, "of": 7.4, "breath": 4.5, "breast": 4.4,
                   "display": 4.6, "dyspnea": 2.2}
    lexicon = MedicalLexicon({"breast": 4.4, "dyspnea": 2.2}, word_frequency=lambda word: frequencies.get(word, 0.0),
                             findings={"breast", "dyspnea"})
    assert _in_phrases("He denies shortness of breath.", "He denies shortness of breast.", ["breast"], lexicon) == (
        "He denies shortness of breath.")
    assert _in_phrases("He denies display.", "He denies dyspnea.", ["dyspnea"], lexicon) == "He denies dyspnea."


def test_a_common_drug_the_second_decode_wrote_unasked_is_taken_after_an_order_verb() -> None:
    assert _in_phrases("Switch more far to the other.", "Switch warfarin to the other.", ["lisinopril"]) == (
        "Switch warfarin to the other.")


def test_english_words_in_a_drug_phrase_stay_when_the_first_decode_was_sure_of_them() -> None:
    assert take_terms("Hold listen April because of it.", "Hold lisinopril because of it.", ["lisinopril"],
                      ORDERS) == "Hold listen April because of it."


def test_a_finding_heard_as_english_words_after_its_cue_is_taken() -> None:
    assert _in_phrases("He reports dysuria and how much area.", "He reports dysuria and hematuria.",
                       ["hematuria"]) == "He reports dysuria and hematuria."


def test_a_term_of_the_other_kind_never_replaces_english_words() -> None:
    assert _in_phrases("He reports listen April.", "He reports lisinopril.", ["lisinopril"]) == (
        "He reports listen April.")
    assert _in_phrases("Start how much area.", "Start hematuria.", ["hematuria"]) == "Start how much area."


def test_a_term_heard_right_in_a_phrase_is_never_replaced_by_another() -> None:
    assert _in_phrases("He reports arthritis.", "He reports arthrodesis.", ["arthrodesis"]) == (
        "He reports arthritis.")


BRANDS = MedicalLexicon(
    {"givlaari": 1.5, "lorazepam": 2.0},
    word_frequency=lambda word: {"give": 5.7, "pump": 4.2, "lorazepam": 2.0}.get(word, 0.0),
    drugs={"givlaari", "lorazepam"}, generics={"lorazepam"},
)


def test_an_unsure_spelling_is_not_snapped_to_a_brand_nobody_writes() -> None:
    """A brand general text has never written is likelier a chance look-alike of an unsure spelling."""
    assert take_terms("Give givlores pump.", "Give givlaaris pump.", ["givlaari"], BRANDS) == "Give givlores pump."
    assert take_terms("Give lorazepum.", "Give lorazepam.", ["lorazepam"], BRANDS) == "Give lorazepam."


def test_a_brand_nobody_writes_is_taken_where_the_second_decode_spells_it_whole() -> None:
    assert take_terms("Give givlores pump.", "Give givlaari pump.", ["givlaari"], BRANDS) == "Give givlaari pump."


RESPELLING = MedicalLexicon(
    {"gabapentin": 2.0},
    word_frequency=lambda word: {"the": 7.7, "next": 6.2, "section": 5.0, "shows": 5.3, "mild": 4.5, "edema": 3.0,
                                 "enema": 2.6, "ideal": 4.6, "medal": 3.8, "gabapentin": 2.0}.get(word, 0.0),
)


def test_a_word_nobody_writes_is_taken_as_the_english_word_the_second_decode_heard() -> None:
    """The lexicon has no "edema" (English dictionaries do), yet "idima" is no word at all."""
    assert take_terms("The next section shows mild idima.", "The next section shows mild edema.", [],
                      RESPELLING) == "The next section shows mild edema."


def test_a_word_people_write_is_never_respelt() -> None:
    assert take_terms("The next section shows mild enema.", "The next section shows mild edema.", [],
                      RESPELLING) == "The next section shows mild enema."


def test_a_word_nobody_writes_stays_where_the_second_decode_wrote_something_else() -> None:
    assert take_terms("The next section shows mild idima.", "The next section shows medal.", [],
                      RESPELLING) == "The next section shows mild idima."
    assert take_terms("The next section shows idima.", "The next section shows mild ideal.", [],
                      RESPELLING) == "The next section shows idima."


def test_a_term_is_not_taken_as_a_respelling() -> None:
    """Terms come only as candidates, in a place that may hold one."""
    assert take_terms("The next section shows gabapenten.", "The next section shows gabapentin.", [],
                      RESPELLING) == "The next section shows gabapenten."


PIECES = MedicalLexicon(
    {"assist": 4.4, "hematemesis": 1.5, "arthritis": 4.0, "arthrodesis": 1.6},
    word_frequency=lambda word: {"he": 6.9, "denies": 4.0, "him": 6.4, "a": 7.4, "team": 5.5, "assist": 4.4,
                                 "hematemesis": 1.5, "reports": 4.8, "arthritis": 4.0, "arthrodesis": 1.6}.get(word, 0.0),
    findings={"assist", "hematemesis", "arthritis", "arthrodesis"},
)


def test_a_term_heard_as_a_piece_of_a_finding_does_not_keep_it_out() -> None:
    assert _in_phrases("He denies him a team assist.", "He denies hematemesis.", ["hematemesis"], PIECES) == (
        "He denies hematemesis.")
    assert _in_phrases("He reports arthritis.", "He reports arthrodesis.", ["arthrodesis"], PIECES) == (
        "He reports arthritis.")


def test_the_words_written_around_a_term_are_not_taken_without_it() -> None:
    """"Given" is spelled almost like "Give", but the second decode wrote it only beside a term that the
    merge does not take here: the words heard beyond the drug phrase are English words alone."""
    lexicon = MedicalLexicon(
        {"enoxaparin": 1.9},
        word_frequency=lambda word: {"give": 5.7, "given": 5.4, "an": 6.6, "ex": 4.6, "apparent": 4.4, "now": 6.3,
                                     "enoxaparin": 1.9}.get(word, 0.0),
        drugs={"enoxaparin"},
    )
    assert take_terms("Give an ex apparent now.", "Given enoxaparin now.", ["enoxaparin"], lexicon,
                      slots={0: Slot.DRUG}) == "Give an ex apparent now."


SWAPS = MedicalLexicon(
    {"jejunum": 1.7, "jejuni": 1.6, "neuropathy": 2.8, "neuropathic": 2.4, "duodenum": 2.0, "reverse": 4.5,
     "rivaroxaban": 1.4, "warfarin": 2.6},
    word_frequency=lambda word: {"thickening": 3.2, "of": 7.4, "the": 7.7, "duodenum": 2.0, "and": 7.6,
                                 "jejunum": 1.7, "jejuni": 1.6, "for": 7.0, "neuropathy": 2.8, "neuropathic": 2.4,
                                 "switch": 4.6, "warfarin": 2.6, "to": 7.4, "reverse": 4.5, "seven": 5.2,
                                 "rivaroxaban": 1.4}.get(word, 0.0),
    drugs={"rivaroxaban", "warfarin"},
    findings={"reverse", "jejunum", "jejuni", "neuropathy", "neuropathic", "duodenum"},
)


def test_a_term_heard_right_is_not_swapped_for_a_rarer_one() -> None:
    """Prompted with both, the second decode is drawn to its candidates; the first wrote a real term unasked."""
    assert take_terms("Thickening of the duodenum and jejunum.", "Thickening of the duodenum and jejuni.",
                      ["jejuni", "jejunum"], SWAPS) == "Thickening of the duodenum and jejunum."


def test_a_term_heard_is_swapped_for_a_commoner_one_that_sounds_as_alike() -> None:
    assert take_terms("Worse for neuropathic.", "Worse for neuropathy.", ["neuropathy", "neuropathic"],
                      SWAPS) == "Worse for neuropathy."


def test_a_term_of_another_kind_heard_in_a_drug_phrase_does_not_keep_the_drug_out() -> None:
    """"reverse" is a word of diagnoses, not a drug: in "Switch warfarin to reverse seven" it is a piece of
    the drug that was named, however much it alone sounds like it."""
    assert _in_phrases("Switch warfarin to reverse seven.", "Switch warfarin to rivaroxaban.", ["rivaroxaban"],
                       SWAPS) == "Switch warfarin to rivaroxaban."
