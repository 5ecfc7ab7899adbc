"""The medical vocabulary the embedded engine spells right with no set-up (field lessons, row 14).

Whisper tiny.en writes a drug name it does not expect as the ordinary words it sounds like ("listen
April" for lisinopril), yet spells it right once the name is in its prompt. No prompt holds a whole
pharmacopoeia, so each segment is decoded once, the lexicon terms that sound like what was heard are
retrieved (:mod:`.retrieval`, pure), the segment is decoded again with them as hotwords, and a term is
taken only where the second pass produced it in place of words that sound like it (:mod:`.merge`,
pure); a term written in two pieces is joined first (:mod:`.joining`, pure). Where a sentence's grammar
says a drug or a finding is named (:mod:`.slots`, pure), such a term may be heard in English words too.
A medical word heard as the English word it sounds like is respelt where its neighbour says which it was:
"gastroesophageal reflex" is reflux, as ICD-10-CM's diagnoses write it (:mod:`.collocations`, pure).
:mod:`.sources` reads the lexicon from the packages that ship it.
"""

from .joining import join_split_terms
from .merge import take_terms
from .retrieval import MedicalLexicon
from .slots import dangles, term_slots
from .sources import load_medical_lexicon

__all__ = ["MedicalLexicon", "dangles", "join_split_terms", "load_medical_lexicon", "take_terms", "term_slots"]
