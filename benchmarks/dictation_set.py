"""The dictation evaluation set: what a clinician says, and exactly what the server must produce.

Each :class:`Utterance` is spoken by synthetic voices (:mod:`.speech`) and run through the engine and the
server's text rules with :data:`CONFIG`: spoken punctuation on, the commands below, default formatting
(numbers as words up to nine, measurements abbreviated, ranges and ordinals as numerals from 10 on,
dates ``locale:long``, times ``locale``), and the set's drug names as keyterms. ``text`` is the
expected final text of the whole utterance (finals joined as a client would join them, spec §8) and
``commands`` the commands it must trigger, in order. A ``|`` in ``spoken`` is a pause of
:data:`PAUSE_SECONDS`: a command is its own phrase, said with a pause before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dictation_daemon.protocol.messages import TranscribeConfig


@dataclass(frozen=True)
class ExpectedCommand:
    """A command the utterance must trigger, with the values of its variables."""

    id: str
    variables: dict[str, str] | None = None


@dataclass(frozen=True)
class Utterance:
    """One dictated utterance: the words spoken, the text expected, the commands expected."""

    category: str
    spoken: str
    text: str
    commands: tuple[ExpectedCommand, ...] = field(default=())


PAUSE_SECONDS = 0.7
"""The silence written for ``|``: a deliberate pause before a command, as Dragon users learn to leave."""

SECTIONS = ["history", "assessment", "plan", "medications", "allergies", "examination"]
TEMPLATES = ["radiology", "cardiology", "discharge"]
KEYTERMS = [
    "amoxicillin", "metoprolol", "levothyroxine", "furosemide", "lisinopril", "auscultation",
    "nontender", "nondistended", "palpitations", "bilaterally",
]

CONFIG = TranscribeConfig.model_validate(
    {
        "primaryLanguage": "en",
        "spokenPunctuation": True,
        "commands": [
            {"id": "next_section", "phrases": ["next section"]},
            {"id": "previous_section", "phrases": ["previous section"]},
            {
                "id": "go_to_section",
                "phrases": ["go to {section} section"],
                "variables": [{"key": "section", "type": "enum", "enum": SECTIONS}],
            },
            {
                "id": "insert_template",
                "phrases": ["insert my {template} template"],
                "variables": [{"key": "template", "type": "enum", "enum": TEMPLATES}],
            },
            {"id": "delete_last", "phrases": ["scratch that", "delete that"]},
            {"id": "stop_dictation", "phrases": ["stop dictation"]},
            {
                "id": "search",
                "phrases": ["search for {query}"],
                "variables": [{"key": "query", "type": "wildcard"}],
            },
        ],
        "keyterms": {"terms": [{"term": term} for term in KEYTERMS]},
    }
)


def _command(command_id: str, **variables: str) -> tuple[ExpectedCommand, ...]:
    return (ExpectedCommand(command_id, variables or None),)


UTTERANCES: tuple[Utterance, ...] = (
    # Clinical sentences with spoken punctuation.
    Utterance("sentence", "the patient is sixty two years old period", "The patient is 62 years old."),
    Utterance(
        "sentence",
        "he denies chest pain comma shortness of breath comma or palpitations period",
        "He denies chest pain, shortness of breath, or palpitations.",
    ),
    Utterance("sentence", "lungs are clear to auscultation bilaterally period", "Lungs are clear to auscultation bilaterally."),
    Utterance("sentence", "abdomen is soft comma nontender comma nondistended period", "Abdomen is soft, nontender, nondistended."),
    Utterance("sentence", "no known drug allergies period", "No known drug allergies."),
    Utterance(
        "sentence",
        "the patient was advised to return if symptoms worsen period",
        "The patient was advised to return if symptoms worsen.",
    ),
    Utterance("sentence", "heart has a regular rate and rhythm period", "Heart has a regular rate and rhythm."),
    Utterance("sentence", "is the pain worse at night question mark", "Is the pain worse at night?"),
    Utterance("sentence", "assessment colon acute bronchitis period", "Assessment: acute bronchitis."),
    Utterance("sentence", "plan colon start antibiotics and recheck in two weeks period", "Plan: start antibiotics and recheck in two weeks."),
    Utterance(
        "sentence",
        "the wound is healing well period new line no signs of infection period",
        "The wound is healing well.\nNo signs of infection.",
    ),
    Utterance("sentence", "history of present illness colon cough for three days period", "History of present illness: cough for three days."),
    Utterance("sentence", "she reports nausea semicolon no vomiting period", "She reports nausea; no vomiting."),
    Utterance(
        "sentence",
        "pupils are equal comma round comma and reactive to light period",
        "Pupils are equal, round, and reactive to light.",
    ),
    Utterance(
        "sentence",
        "continue current medications open parenthesis see list close parenthesis period",
        "Continue current medications (see list).",
    ),
    Utterance(
        "sentence",
        "the exam was unremarkable period new paragraph family history is negative period",
        "The exam was unremarkable.\n\nFamily history is negative.",
    ),
    Utterance("sentence", "he quit smoking five years ago period", "He quit smoking five years ago."),
    Utterance("sentence", "does the patient have any allergies question mark", "Does the patient have any allergies?"),
    Utterance("sentence", "please call the patient today exclamation mark", "Please call the patient today!"),
    Utterance(
        "sentence",
        "the patient said open quote i feel much better close quote period",
        'The patient said "I feel much better".',
    ),
    Utterance("sentence", "she has three children period", "She has three children."),
    Utterance("sentence", "he drinks twelve beers a week period", "He drinks 12 beers a week."),
    # Vital signs, doses and other measurements.
    Utterance("measurement", "blood pressure one twenty over eighty period", "BP 120/80."),
    Utterance(
        "measurement",
        "blood pressure one forty five over ninety two comma heart rate seventy two period",
        "BP 145/92, heart rate 72.",
    ),
    Utterance(
        "measurement",
        "start amoxicillin five hundred milligrams three times daily period",
        "Start amoxicillin 500 mg three times daily.",
    ),
    Utterance("measurement", "metoprolol twenty five milligrams twice daily period", "Metoprolol 25 mg twice daily."),
    Utterance("measurement", "furosemide forty milligrams daily period", "Furosemide 40 mg daily."),
    Utterance("measurement", "levothyroxine fifty micrograms every morning period", "Levothyroxine 50 mcg every morning."),
    Utterance("measurement", "weight seventy two kilograms period", "Weight 72 kg."),
    Utterance("measurement", "oxygen saturation ninety eight percent on room air period", "Oxygen saturation 98% on room air."),
    Utterance("measurement", "give ten milliliters of the syrup period", "Give 10 mL of the syrup."),
    Utterance("measurement", "the lesion measures two point five centimeters period", "The lesion measures 2.5 cm."),
    Utterance("measurement", "temperature thirty eight point five degrees celsius period", "Temperature 38.5°C."),
    Utterance("measurement", "respiratory rate sixteen period", "Respiratory rate 16."),
    Utterance("measurement", "hemoglobin eleven point two period", "Hemoglobin 11.2."),
    # Ranges.
    Utterance("range", "take one to two tablets every four to six hours period", "Take 1-2 tablets every 4-6 hours."),
    Utterance("range", "symptoms for two to three weeks period", "Symptoms for 2-3 weeks."),
    Utterance("range", "pain is five to six out of ten period", "Pain is 5-6 out of 10."),
    Utterance("range", "walks ten to fifteen minutes a day period", "Walks 10-15 minutes a day."),
    # Ordinals.
    Utterance("ordinal", "this is her second visit period", "This is her second visit."),
    Utterance("ordinal", "the eleventh rib is tender period", "The 11th rib is tender."),
    Utterance("ordinal", "first episode of chest pain period", "First episode of chest pain."),
    Utterance("ordinal", "on the twenty first day of treatment period", "On the 21st day of treatment."),
    # Dates and times.
    Utterance("date", "return on march third twenty twenty five period", "Return on March 3, 2025."),
    Utterance("date", "date of birth january fifteenth nineteen eighty period", "Date of birth January 15, 1980."),
    Utterance("date", "surgery was on october twelfth twenty twenty period", "Surgery was on October 12, 2020."),
    Utterance("date", "last seen on june first period", "Last seen on June 1."),
    Utterance("time", "the patient arrived at eight thirty a m period", "The patient arrived at 8:30 AM."),
    Utterance("time", "medication given at four fifteen p m period", "Medication given at 4:15 PM."),
    Utterance("time", "seen at ten forty five p m period", "Seen at 10:45 PM."),
    # Commands alone.
    Utterance("command", "next section", "", _command("next_section")),
    Utterance("command", "previous section", "", _command("previous_section")),
    Utterance("command", "go to plan section", "", _command("go_to_section", section="plan")),
    Utterance("command", "go to assessment section", "", _command("go_to_section", section="assessment")),
    Utterance("command", "go to history section", "", _command("go_to_section", section="history")),
    Utterance("command", "go to medications section", "", _command("go_to_section", section="medications")),
    Utterance("command", "insert my radiology template", "", _command("insert_template", template="radiology")),
    Utterance("command", "insert my cardiology template", "", _command("insert_template", template="cardiology")),
    Utterance("command", "insert my discharge template", "", _command("insert_template", template="discharge")),
    Utterance("command", "scratch that", "", _command("delete_last")),
    Utterance("command", "delete that", "", _command("delete_last")),
    Utterance("command", "stop dictation", "", _command("stop_dictation")),
    Utterance("command", "search for lab results", "", _command("search", query="lab results")),
    # Commands after dictation, and dictation that only sounds like a command.
    Utterance("mixed", "no acute distress period | next section", "No acute distress.", _command("next_section")),
    Utterance(
        "mixed",
        "lungs are clear period | insert my radiology template",
        "Lungs are clear.",
        _command("insert_template", template="radiology"),
    ),
    Utterance(
        "mixed",
        "heart rate is regular period | go to plan section",
        "Heart rate is regular.",
        _command("go_to_section", section="plan"),
    ),
    Utterance("not a command", "plan to go to the gym daily period", "Plan to go to the gym daily."),
    Utterance("not a command", "she will insert the catheter tomorrow period", "She will insert the catheter tomorrow."),
    Utterance("not a command", "the next visit is in two weeks period", "The next visit is in two weeks."),
)
