"""Voice commands (spec §4): a command is its own phrase, with a pause around it; matching, removal from
text, spoken order, and phrases split by a pause. Each final the helpers feed is one stretch of speech
between pauses, as the segmenter delivers it."""

from __future__ import annotations

import threading
from typing import Any

from dictation_daemon.protocol.messages import CommandData, CommandDefinition, TranscriptData
from dictation_daemon.server.text.commands import compile_phrases, find_commands

from .helpers import final, pipeline, run

COMMANDS: list[dict[str, Any]] = [
    {"id": "next_section", "phrases": ["next section"]},
    {"id": "next_section_end", "phrases": ["next section end"]},
    {
        "id": "go_to_section",
        "phrases": ["go to {section} section"],
        "variables": [{"key": "section", "type": "enum", "enum": ["assessment", "Physical Exam", "plan"]}],
    },
    {
        "id": "insert_template",
        "phrases": ["insert template {name} now"],
        "variables": [{"key": "name", "type": "wildcard"}],
    },
    {"id": "note", "phrases": ["write note {text}"], "variables": [{"key": "text", "type": "wildcard"}]},
    {"id": "delete", "phrases": ["delete that", "scratch that"]},
]


def commands_pipeline(**configuration: Any):  # type: ignore[no-untyped-def]
    return pipeline(commands=COMMANDS, spokenPunctuation=True, **configuration)


def shape(output: list[TranscriptData | CommandData]) -> list[tuple[str, ...]]:
    """Each item as ("text", text) or ("command", id, variables...), for compact assertions."""
    shaped: list[tuple[str, ...]] = []
    for item in output:
        if isinstance(item, CommandData):
            shaped.append(("command", item.id, *sorted((item.variables or {}).items())))  # type: ignore[arg-type]
        else:
            shaped.append(("text", item.text))
    return shaped


def test_a_command_between_pauses_fires_in_spoken_order() -> None:
    output = run(commands_pipeline(), "Patient is stable period", "Next section.", "Heart sounds normal.")
    assert shape(output) == [
        ("text", "patient is stable."), ("command", "next_section"), ("text", "heart sounds normal"),
    ]
    command = output[1]
    assert isinstance(command, CommandData)
    assert command.raw_transcript_text == "next section"
    assert command.variables is None
    assert (command.start, command.end) == (2.0, 4.0)


HARD_NEGATIVES = [
    ("He tends to scratch that area at night.", "he tends to scratch that area at night"),
    ("Please delete that duplicate entry from the medication list.",
     "please delete that duplicate entry from the medication list"),
    ("The next section image shows no fracture.", "the next section image shows no fracture"),
    ("Review the previous sections of the chart.", "review the previous sections of the chart"),
    ("Patient is stable period next section", "patient is stable. Next section"),
    ("Next section heart sounds normal.", "next section heart sounds normal"),
    ("We will go to plan section later.", "we will go to plan section later"),
]


def test_command_words_inside_running_speech_stay_text() -> None:
    configuration = {"commands": COMMANDS + [{"id": "previous_section", "phrases": ["previous section"]}]}
    for spoken, expected in HARD_NEGATIVES:
        output = run(pipeline(spokenPunctuation=True, **configuration), spoken)
        assert shape(output) == [("text", expected)], spoken


def test_a_command_must_be_followed_by_a_pause_too() -> None:
    output = run(commands_pipeline(), "Next section heart sounds normal.", "Next section.")
    assert shape(output) == [("text", "next section heart sounds normal"), ("command", "next_section")]


def test_a_phrase_inside_other_words_does_not_fire() -> None:
    assert shape(run(commands_pipeline(), "The next sectional view.")) == [("text", "the next sectional view")]
    assert shape(run(commands_pipeline(), "Go to the plan section.")) == [("text", "go to the plan section")]


def test_case_and_model_punctuation_do_not_matter() -> None:
    assert shape(run(commands_pipeline(), "Next, Section!")) == [("command", "next_section")]
    assert shape(run(commands_pipeline(), "NEXT SECTION.")) == [("command", "next_section")]


def test_enum_variable_reports_the_configured_value() -> None:
    output = run(commands_pipeline(), "Go to assessment section.")
    assert shape(output) == [("command", "go_to_section", ("section", "assessment"))]
    assert output[0].raw_transcript_text == "go to assessment section"


def test_multi_word_enum_value() -> None:
    output = run(commands_pipeline(), "go to physical exam section,", "lungs clear")
    assert shape(output) == [("command", "go_to_section", ("section", "Physical Exam")), ("text", "lungs clear")]


def test_enum_value_not_in_the_list_does_not_fire() -> None:
    assert shape(run(commands_pipeline(), "go to history section")) == [("text", "go to history section")]


def test_wildcard_takes_the_words_up_to_the_next_literal() -> None:
    output = run(commands_pipeline(), "Insert template chest pain now.", "Done now.")
    assert shape(output) == [
        ("command", "insert_template", ("name", "chest pain")), ("text", "done now"),
    ]


def test_wildcard_at_the_end_takes_the_rest_of_the_segment() -> None:
    output = run(commands_pipeline(), "Write note call the family.")
    assert shape(output) == [("command", "note", ("text", "call the family"))]


def test_wildcard_at_the_end_stops_at_a_pause_where_another_command_begins() -> None:
    text_pipeline = commands_pipeline()
    output = [*text_pipeline.process(final("write note call the family", 0.0, 2.0)),
              *text_pipeline.process(final("next section", 2.0, 3.0)),
              *text_pipeline.process(final("lungs clear", 3.0, 4.0)), *text_pipeline.flush()]
    assert shape(output) == [
        ("command", "note", ("text", "call the family")), ("command", "next_section"), ("text", "lungs clear"),
    ]


def test_a_wildcard_without_a_pause_takes_command_words_as_its_value() -> None:
    output = run(commands_pipeline(), "write note call the family next section")
    assert shape(output) == [("command", "note", ("text", "call the family next section"))]


def test_longest_match_wins() -> None:
    assert shape(run(commands_pipeline(), "next section end", "please")) == [
        ("command", "next_section_end"), ("text", "please"),
    ]


def test_every_phrase_of_a_command_fires() -> None:
    assert shape(run(commands_pipeline(), "scratch that", "delete that")) == [
        ("command", "delete"), ("command", "delete"),
    ]


def test_a_phrase_split_across_two_finals_still_fires() -> None:
    text_pipeline = commands_pipeline()
    assert shape(text_pipeline.process(final("Heart sounds normal,", 0.0, 2.0))) == [("text", "heart sounds normal")]
    assert text_pipeline.process(final("go to", 2.0, 3.0)) == []
    second = text_pipeline.process(final("Plan section.", 3.0, 4.0))
    assert shape(second) == [("command", "go_to_section", ("section", "plan"))]
    command = second[0]
    assert isinstance(command, CommandData)
    assert command.raw_transcript_text == "go to plan section"
    assert (command.start, command.end) == (2.0, 4.0)
    assert text_pipeline.flush() == []


def test_the_start_of_a_phrase_inside_speech_is_not_held() -> None:
    text_pipeline = commands_pipeline()
    assert shape(text_pipeline.process(final("Heart sounds normal, go to", 0.0, 2.0))) == [
        ("text", "heart sounds normal go to"),
    ]
    assert shape(text_pipeline.process(final("Plan section.", 2.0, 4.0))) == [("text", "plan section")]


def test_held_words_that_do_not_become_a_phrase_join_the_next_text() -> None:
    text_pipeline = commands_pipeline()
    assert text_pipeline.process(final("Go to", 0.0, 2.0)) == []
    second = text_pipeline.process(final("The pharmacy.", 2.0, 4.0))
    assert shape(second) == [("text", "go to the pharmacy")]
    assert second[0].raw_transcript_text == "go to the pharmacy"
    assert second[0].start == 0.0


def test_held_words_are_released_at_flush() -> None:
    text_pipeline = commands_pipeline()
    assert shape(text_pipeline.process(final("Lungs clear", 0.0, 2.0))) == [("text", "lungs clear")]
    assert text_pipeline.process(final("next", 2.0, 3.0)) == []
    released = text_pipeline.flush()
    assert shape(released) == [("text", "next")]
    assert released[0].is_final
    assert text_pipeline.flush() == []


def test_a_complete_match_that_may_grow_is_held_until_the_next_final() -> None:
    text_pipeline = commands_pipeline()
    assert text_pipeline.process(final("next section", 0.0, 2.0)) == []
    assert shape(text_pipeline.process(final("end", 2.0, 3.0))) == [("command", "next_section_end")]
    assert commands_pipeline().process(final("next section", 0.0, 2.0)) == []
    text_pipeline = commands_pipeline()
    text_pipeline.process(final("next section", 0.0, 2.0))
    assert shape(text_pipeline.flush()) == [("command", "next_section")]


def test_only_prefix_words_are_held() -> None:
    output = commands_pipeline().process(final("Lungs clear bilaterally.", 0.0, 2.0))
    assert shape(output) == [("text", "lungs clear bilaterally")]


def test_a_mid_phrase_wildcard_holds_until_its_literal_arrives() -> None:
    text_pipeline = commands_pipeline()
    assert text_pipeline.process(final("insert template chest", 0.0, 2.0)) == []
    assert shape(text_pipeline.process(final("pain now", 2.0, 3.0))) == [
        ("command", "insert_template", ("name", "chest pain")),
    ]


def test_interims_do_not_disturb_held_words() -> None:
    text_pipeline = commands_pipeline()
    text_pipeline.process(final("go to", 0.0, 1.0))
    interim = text_pipeline.process(type(final(""))("Plan", 1.0, 1.5, False))
    assert shape(interim) == [("text", "Plan")]
    assert shape(text_pipeline.process(final("plan section", 1.0, 2.0))) == [
        ("command", "go_to_section", ("section", "plan")),
    ]


def test_commands_are_found_before_spoken_punctuation_and_formatting() -> None:
    configuration = {"commands": [{"id": "dose", "phrases": ["set dose {amount} done"],
                                   "variables": [{"key": "amount", "type": "wildcard"}]}]}
    output = run(pipeline(spokenPunctuation=True, **configuration), "Set dose five milligrams period done.")
    assert shape(output) == [("command", "dose", ("amount", "five milligrams period"))]


def test_no_commands_configured() -> None:
    assert shape(run(pipeline(), "next section")) == [("text", "next section")]


def test_empty_final_gives_nothing() -> None:
    assert commands_pipeline().process(final("", 0.0, 1.0)) == []


def test_a_dropped_or_added_plural_s_still_matches() -> None:
    from dictation_daemon.protocol.messages import CommandDefinition, TranscribeConfig
    from dictation_daemon.server.recognizer import RecognizedSegment
    from dictation_daemon.server.text.pipeline import TextPipeline

    config = TranscribeConfig(primary_language="en", spoken_punctuation=True, commands=[CommandDefinition.model_validate({
        "id": "go_to_section", "phrases": ["go to {section} section"],
        "variables": [{"key": "section", "type": "enum", "enum": ["medications", "plan"]}]})])
    pipeline = TextPipeline(config)
    [command] = pipeline.process(RecognizedSegment("Go to medication section.", 0.0, 1.0, True)) + pipeline.flush()
    assert command.id == "go_to_section" and command.variables == {"section": "medications"}
    pipeline = TextPipeline(config)
    results = pipeline.process(RecognizedSegment("The class is over.", 0.0, 1.0, True)) + pipeline.flush()
    assert [result.text for result in results] == ["the class is over"]


HYPHEN_COMMANDS: list[dict[str, Any]] = [
    {"id": "schedule", "phrases": ["schedule follow up"]},
    {"id": "visit", "phrases": ["follow-up visit"]},
    {
        "id": "book",
        "phrases": ["book {kind} appointment"],
        "variables": [{"key": "kind", "type": "enum", "enum": ["Follow-up", "new patient"]}],
    },
    {"id": "note", "phrases": ["add note {text}"], "variables": [{"key": "text", "type": "wildcard"}]},
]


def hyphen_pipeline():  # type: ignore[no-untyped-def]
    return pipeline(commands=HYPHEN_COMMANDS, spokenPunctuation=True)


def test_a_hyphen_in_the_speech_only_does_not_decide_a_match() -> None:
    output = run(hyphen_pipeline(), "Lungs clear.", "Schedule follow-up.")
    assert shape(output) == [("text", "lungs clear"), ("command", "schedule")]
    assert output[1].raw_transcript_text == "schedule follow-up"


def test_a_hyphen_in_the_configuration_only_does_not_decide_a_match() -> None:
    output = run(hyphen_pipeline(), "follow up visit")
    assert shape(output) == [("command", "visit")]
    assert output[0].raw_transcript_text == "follow up visit"


def test_a_hyphen_on_both_sides_matches() -> None:
    assert shape(run(hyphen_pipeline(), "Follow-up visit.")) == [("command", "visit")]


def test_the_plural_rule_applies_to_each_part_of_a_hyphenated_word() -> None:
    assert shape(run(hyphen_pipeline(), "Schedule follow-ups.")) == [("command", "schedule")]
    assert shape(run(hyphen_pipeline(), "Follow-ups visit.")) == [("command", "visit")]
    assert shape(run(hyphen_pipeline(), "Follow ups visit.")) == [("command", "visit")]


def test_short_words_that_only_look_plural_keep_their_s() -> None:
    commands = [{"id": "delete", "phrases": ["delete it"]}]
    assert shape(run(pipeline(commands=commands), "Delete its label.")) == [("text", "delete its label")]
    assert shape(run(pipeline(commands=commands), "Delete it.")) == [("command", "delete")]

def test_enum_value_with_a_hyphen_reports_the_configured_spelling() -> None:
    for words in ("Book follow up appointment.", "Book follow-up appointment."):
        assert shape(run(hyphen_pipeline(), words)) == [("command", "book", ("kind", "Follow-up"))]
    assert shape(run(hyphen_pipeline(), "Book new-patient appointment.")) == [
        ("command", "book", ("kind", "new patient")),
    ]


def test_wildcard_value_keeps_the_recognised_hyphen() -> None:
    output = run(hyphen_pipeline(), "Add note follow-up tomorrow.")
    assert shape(output) == [("command", "note", ("text", "follow-up tomorrow"))]
    assert output[0].raw_transcript_text == "add note follow-up tomorrow"


def test_a_phrase_does_not_fire_on_part_of_a_hyphenated_word() -> None:
    commands = [{"id": "up", "phrases": ["up"]}, {"id": "follow", "phrases": ["follow"]},
                {"id": "visit_later", "phrases": ["up visit"]}]
    output = run(pipeline(commands=commands), "The follow-up visit went well.")
    assert shape(output) == [("text", "the follow-up visit went well")]
    assert shape(run(pipeline(commands=commands), "Follow", "up.")) == [("command", "follow"), ("command", "up")]


def test_a_phrase_split_across_two_finals_with_a_hyphen_still_fires() -> None:
    text_pipeline = hyphen_pipeline()
    assert text_pipeline.process(final("Schedule", 0.0, 2.0)) == []
    second = text_pipeline.process(final("follow-up.", 2.0, 3.0))
    assert shape(second) == [("command", "schedule")]
    assert second[0].raw_transcript_text == "schedule follow-up"
    text_pipeline = hyphen_pipeline()
    assert text_pipeline.process(final("follow-up", 0.0, 2.0)) == []
    assert shape(text_pipeline.process(final("visit.", 2.0, 3.0))) == [("command", "visit")]
    assert text_pipeline.flush() == []


def test_matching_a_phrase_built_to_be_slow_is_bounded() -> None:
    """An enum between five wildcards, in a final full of the enum's value: plain recursion tries every
    split of every wildcard (minutes); matching must answer at once, with words kept as text."""
    variables = [{"key": "e", "type": "enum", "enum": ["alpha", "beta"]}]
    variables += [{"key": f"w{number}", "type": "wildcard"} for number in range(5)]
    slow = [{"id": "slow", "phrases": ["{e} {w0} {e} {w1} {e} {w2} {e} {w3} {e} {w4} {e} zzzq"],
             "variables": variables}]
    said = " ".join(["alpha beta"] * 40)
    output: list[TranscriptData | CommandData] = []
    worker = threading.Thread(target=lambda: output.extend(run(pipeline(commands=slow), said, said)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "command matching did not finish"
    assert " ".join(item.text for item in output if isinstance(item, TranscriptData)).split() == said.split() * 2


def test_a_run_of_words_that_could_still_become_a_phrase_is_held_only_so_long() -> None:
    """"insert template ..." waits for "now"; past a dozen words it is text, not held back any longer."""
    text_pipeline = commands_pipeline()
    output = text_pipeline.process(final("insert template " + "very " * 30 + "long"))
    assert [item.text for item in output if isinstance(item, TranscriptData)]


def test_a_configuration_of_thousands_of_commands_still_finds_its_command() -> None:
    """Each pause is matched only against the phrases that can start there: twenty thousand commands
    and a final with a dozen pauses stay well inside the matching budget."""
    book = compile_phrases([CommandDefinition(id=f"do_{number}", phrases=[f"do thing {number}"])
                            for number in range(20_000)])
    keys = "note that we will do thing 19999 and then go home now please".split()
    matches = find_commands(book, keys, pauses=range(len(keys)))
    assert [(match.command_id, match.start, match.end) for match in matches] == [("do_19999", 4, 7)]
