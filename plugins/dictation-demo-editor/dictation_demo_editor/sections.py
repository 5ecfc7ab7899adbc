"""The note's sections and the templates each offers: the demo's content, kept apart from its widgets.

A section's templates are what ``insert {template_name} template`` may name while that section holds the
target, so each section configures its own list: a template belongs where it makes sense in a note.
"""

from __future__ import annotations

SECTIONS = ("subjective", "objective", "assessment", "plan")
"""In the order the note lists them and ``next section`` walks them."""

TEMPLATES: dict[str, dict[str, str]] = {
    "subjective": {
        "chest pain": "Onset: . Character: . Radiation: . Associated symptoms: .",
        "review of systems": "Constitutional: negative. Cardiovascular: negative. Respiratory: negative.",
    },
    "objective": {
        "normal exam": "Heart regular rate and rhythm, no murmurs. Lungs clear to auscultation bilaterally.",
        "vital signs": "BP: . HR: . RR: . Temp: . SpO2: .",
    },
    "assessment": {
        "differential": "Differential diagnosis: 1. 2. 3.",
    },
    "plan": {
        "follow up": "Follow up in clinic in 2 weeks, sooner if symptoms worsen.",
        "discharge": "Discharge home in stable condition. Return for worsening pain, shortness of breath or fainting.",
    },
}


def neighbour(section: str, step: int) -> str:
    """The section ``step`` places on, staying at the first or last one rather than wrapping around."""
    index = min(max(SECTIONS.index(section) + step, 0), len(SECTIONS) - 1)
    return SECTIONS[index]
