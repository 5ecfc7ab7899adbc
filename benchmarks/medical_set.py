"""The trust set: medical dictation with no keyterms, ordinary sentences that hold command words, orders
that name no drug, sentences that name no finding where one could be named, and commands said as
commands.

Each case is written as the text a clinician expects in the field; the spoken words are derived from it
(lower case, "," said "comma", "." said "period", ":" said "colon"), so the two cannot drift apart. A
``|`` is a pause of :data:`PAUSE_SECONDS` in the recording: a command is its own phrase, said with a
pause around it, and inside running speech its words are text. In :data:`MEDICAL` the medical terms are
marked ``[like this]``; they are scored by Corti's Medical Term Recall, and none of them is given to the
engine as a keyterm: :data:`CONFIG` has the commands of the dictation set and nothing else.

The terms were chosen to cover what a clinic dictates (drugs old and new, anatomy, findings, procedures,
conditions), not the lexicon the engine uses, and no rule of the engine names any of them. The last 24
medical sentences and :data:`PLAIN_FINDINGS` were written after the engine's finding phrases, and first
measured on the code before and after them, as a check that those generalise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dictation_daemon.protocol.messages import TranscribeConfig

from .dictation_set import CONFIG as DICTATION_CONFIG
from .dictation_set import ExpectedCommand

PAUSE_SECONDS = 0.7
"""The silence written for ``|``: a deliberate pause, as Dragon users learn to leave around commands."""

CONFIG = TranscribeConfig.model_validate(
    {**DICTATION_CONFIG.model_dump(by_alias=True, exclude_none=True), "keyterms": None}
)

_TERM = re.compile(r"\[([^\]]+)\]")
_SPOKEN_MARKS = {",": " comma", ".": " period", ":": " colon", "?": " question mark"}


@dataclass(frozen=True)
class Case:
    """One recording: what is expected in the field, the commands expected, and the terms to score."""

    category: str
    marked: str
    commands: tuple[ExpectedCommand, ...] = ()

    @property
    def text(self) -> str:
        """The text expected in an empty field once the whole recording is dictated."""
        return " ".join(part.strip() for part in _TERM.sub(r"\1", self.marked).split("|") if part.strip()
                        and not part.strip().startswith("<"))

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(_TERM.findall(self.marked))

    @property
    def spoken_parts(self) -> tuple[str, ...]:
        """The words said, one string per stretch of speech between pauses."""
        return tuple(_spoken(part) for part in _TERM.sub(r"\1", self.marked).split("|") if part.strip())


def _spoken(part: str) -> str:
    part = part.strip()
    if part.startswith("<"):
        return part.strip("<>")  # a command, said as written
    for mark, words in _SPOKEN_MARKS.items():
        part = part.replace(mark, words)
    return " ".join(part.lower().split())


def _command(command_id: str, **variables: str) -> tuple[ExpectedCommand, ...]:
    return (ExpectedCommand(command_id, variables or None),)


MEDICAL: tuple[Case, ...] = tuple(Case("medical", text) for text in (
    "Started [apixaban] for [atrial fibrillation].",
    "Continue [atorvastatin] for [hyperlipidemia].",
    "Hold [lisinopril] because of [hyperkalemia].",
    "Give [ondansetron] for nausea.",
    "She reports [hemoptysis] and [dyspnea] on exertion.",
    "Increase [gabapentin] at bedtime for [neuropathy].",
    "Switch [warfarin] to [rivaroxaban].",
    "Add [empagliflozin] for [diabetes mellitus].",
    "Start [semaglutide] weekly for weight loss.",
    "Continue [metformin] and [insulin glargine].",
    "Discontinue [clopidogrel] before the [colonoscopy].",
    "Start [ceftriaxone] and [azithromycin] for [pneumonia].",
    "Begin [vancomycin] for [cellulitis] of the leg.",
    "Continue [pantoprazole] for [gastroesophageal reflux].",
    "Start [prednisone] taper for [asthma] exacerbation.",
    "Give [furosemide] for [pulmonary edema].",
    "Start [spironolactone] for [ascites].",
    "Restart [levetiracetam] for [epilepsy].",
    "Start [sertraline] for [depression].",
    "Give [lorazepam] for [agitation].",
    "Continue [amlodipine] for [hypertension].",
    "Start [allopurinol] after the [gout] flare.",
    "Give [colchicine] for acute [gout].",
    "Continue [tamsulosin] for [benign prostatic hyperplasia].",
    "Start [levothyroxine] for [hypothyroidism].",
    "Continue [methotrexate] for [rheumatoid arthritis].",
    "Give [enoxaparin] for [deep vein thrombosis] prophylaxis.",
    "Start [heparin] drip for [pulmonary embolism].",
    "Continue [carvedilol] for [heart failure].",
    "Start [amiodarone] for [ventricular tachycardia].",
    "Give [nitroglycerin] for [angina].",
    "Continue [albuterol] and [tiotropium] inhalers.",
    "Start [montelukast] for allergic [rhinitis].",
    "Give [acetaminophen] and [ibuprofen] for pain.",
    "Continue [quetiapine] for [schizophrenia].",
    "Start [doxycycline] for [Lyme disease].",
    "Physical exam shows [hepatomegaly] and [splenomegaly].",
    "There is cervical [lymphadenopathy].",
    "Auscultation reveals [rhonchi] and [wheezing].",
    "A systolic [murmur] is heard at the apex.",
    "She has [jaundice] and [pruritus].",
    "He reports [dysuria] and [hematuria].",
    "The patient had an episode of [syncope].",
    "She complains of [vertigo] and [nystagmus].",
    "He has [orthopnea] and [paroxysmal nocturnal dyspnea].",
    "There is [erythema] and [crepitus] over the wound.",
    "He reports [melena] for two days.",
    "She has [photophobia] with her [migraine].",
    "There is [paresthesia] in both feet.",
    "Labs show [thrombocytopenia] and [hyponatremia].",
    "Labs are notable for [hypokalemia] and [anemia].",
    "The chest film shows a small pleural [effusion].",
    "Fracture of the left [clavicle] and [scapula].",
    "There is tenderness over the [sternum].",
    "Tear of the medial [meniscus].",
    "Pain in the [rotator cuff].",
    "Mass in the head of the [pancreas].",
    "Stones in the [gallbladder] with [cholecystitis].",
    "Thickening of the [duodenum] and [jejunum].",
    "He underwent a [cholecystectomy] last year.",
    "She is scheduled for [bronchoscopy] and [thoracentesis].",
    "Perform [paracentesis] for tense [ascites].",
    "A [lumbar puncture] was performed.",
    "An [echocardiogram] showed reduced ejection fraction.",
    "She had an [appendectomy] as a child.",
    "Findings are consistent with [diverticulitis].",
    "History of [pancreatitis] and [cirrhosis].",
    "Rule out [pyelonephritis] and [nephrolithiasis].",
    "Admitted with [sepsis] from [urinary tract infection].",
    "She reports [palpitations] and [diaphoresis].",
    "Exam reveals [hepatosplenomegaly].",
    "History of [hypothyroidism] and [osteoporosis].",
    "He complains of [dysphagia] and [odynophagia].",
    "There is bilateral pedal [edema].",
    "The scan shows a [pulmonary] [nodule].",
    "Rule out [appendicitis].",
    "He has [cellulitis] of the left foot.",
    "Start [metoprolol] for [tachycardia].",
    "Continue [losartan] for [hypertension].",
    "Give [ceftriaxone] for [meningitis].",
    "She underwent a [colonoscopy] last month.",
    "Findings are consistent with [cholangitis].",
    "He denies [hematemesis] or [hematochezia].",
    "The patient has [gastroparesis].",
    "There is tenderness in the [epigastrium].",
    "Start [prednisone] for [polymyalgia] [rheumatica].",
    "Hold [metformin] before the [angiogram].",
    "History of [endometriosis].",
    "She complains of [tinnitus] and [vertigo].",
    "Exam shows digital [clubbing].",
    "Give [naloxone] for [opioid] overdose.",
    "Start [nitrofurantoin] for [cystitis].",
    "Labs show [leukocytosis] and [thrombocytosis].",
))

HARD_NEGATIVES: tuple[Case, ...] = tuple(Case("hard negative", text) for text in (
    "He tends to scratch that area at night.",
    "Please delete that duplicate entry from the medication list.",
    "The next sectional image shows no fracture.",
    "Review the previous sections of the chart.",
    "The next section of the report describes the heart.",
    "Compare with the previous section of the study.",
    "We will go to plan section by section.",
    "She did not scratch that rash again.",
    "Ask the nurse to delete that order.",
    "He asked us to stop dictation software in the room.",
    "The family will search for a new nursing home.",
    "We search for signs of infection at every visit.",
    "The surgeon will insert my catheter tomorrow, he said.",
    "I will go to the assessment section later with the team.",
    "The next section shows mild edema.",
    "He wants to go to plan B if this fails.",
    "The previous section was read by radiology.",
    "Do not scratch that wound.",
    "She will delete that from her diary.",
    "Next sections of the colon were normal.",
    "The patient can go to history class again.",
    "Insert my notes from yesterday here.",
))

PLAIN_ORDERS: tuple[Case, ...] = tuple(Case("plain order", text) for text in (
    "Start walking twice a day after meals.",
    "Continue physical therapy for the knee.",
    "Hold the morning dose if he is dizzy.",
    "Give her a call with the results.",
    "Increase fluid intake and rest.",
    "Stop smoking and avoid alcohol.",
    "Continue current management and follow up in two weeks.",
    "Start a low salt diet.",
    "Switch to the evening clinic next month.",
    "Add a note to the chart.",
    "Resume normal activity as tolerated.",
    "Discontinue the urinary catheter today.",
    "Begin gentle stretching exercises at home.",
    "Try warm compresses for comfort.",
))
"""Orders that name no drug: after "start", "hold" or "give", ordinary words that must stay as said (the
engine looks harder for drug names there)."""

PLAIN_FINDINGS: tuple[Case, ...] = tuple(Case("plain finding", text) for text in (
    "He reports feeling much better today.",
    "She has two children at home.",
    "There is no change in the plan.",
    "History of working in construction.",
    "The scan shows nothing new.",
    "He had a good night with no complaints.",
    "She denies any recent travel.",
    "He complains of feeling tired after work.",
    "Exam reveals a pleasant man in no distress.",
    "Rule out anything serious before discharge.",
    "She underwent surgery on her knee in May.",
    "Findings are consistent with the previous report.",
    "Continue the current plan for now.",
    "Start the new diet for a month.",
    "There is a small cut on the left hand.",
    "He has been walking every morning.",
))
"""Sentences that name no finding: after "reports", "has", "there is", "history of" or an order's "for",
ordinary words that must stay as said (the engine looks harder for findings there)."""

COMMANDS: tuple[Case, ...] = (
    Case("command", "| <next section> |", _command("next_section")),
    Case("command", "| <previous section> |", _command("previous_section")),
    Case("command", "| <go to plan section> |", _command("go_to_section", section="plan")),
    Case("command", "| <go to assessment section> |", _command("go_to_section", section="assessment")),
    Case("command", "| <go to allergies section> |", _command("go_to_section", section="allergies")),
    Case("command", "| <scratch that> |", _command("delete_last")),
    Case("command", "| <delete that> |", _command("delete_last")),
    Case("command", "| <stop dictation> |", _command("stop_dictation")),
    Case("command", "| <insert my discharge template> |", _command("insert_template", template="discharge")),
    Case("command", "| <search for lab results> |", _command("search", query="lab results")),
    Case("command", "No acute distress. | <next section> |", _command("next_section")),
    Case("command", "Lungs are clear. | <go to plan section> |", _command("go_to_section", section="plan")),
    Case("command", "Heart sounds are normal. | <scratch that> |", _command("delete_last")),
    Case("command", "| <next section> | The abdomen is soft.", _command("next_section")),
    Case("command", "| <go to examination section> | Pupils are equal.",
         _command("go_to_section", section="examination")),
    Case("command", "She has a mild cough. | <previous section> | No fever.", _command("previous_section")),
    Case("command", "Skin is warm and dry. | <insert my cardiology template> |",
         _command("insert_template", template="cardiology")),
    Case("command", "| <delete that> | The wound is clean.", _command("delete_last")),
)

CASES: tuple[Case, ...] = MEDICAL + HARD_NEGATIVES + PLAIN_ORDERS + PLAIN_FINDINGS + COMMANDS
