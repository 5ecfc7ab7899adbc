"""The client's pause rule: a command any backend fires inside running speech comes back as its words."""

from __future__ import annotations

from dictation_daemon.client.command_pauses import CommandPauses
from dictation_daemon.protocol.messages import (
    Command,
    CommandData,
    Ended,
    Flushed,
    ServerMessage,
    Transcript,
    TranscriptData,
    Usage,
)


def final(text: str, start: float, end: float) -> Transcript:
    return Transcript(data=TranscriptData(text=text, raw_transcript_text=text.lower().strip(". "), start=start,
                                          end=end, is_final=True))


def interim(text: str, start: float, end: float) -> Transcript:
    return Transcript(data=TranscriptData(text=text, raw_transcript_text=text, start=start, end=end,
                                          is_final=False))


def command(raw: str, start: float, end: float) -> Command:
    return Command(data=CommandData(id="next_section", raw_transcript_text=raw, start=start, end=end))


def run(messages: list[ServerMessage], pause: float = 0.3) -> list[tuple[str, str]]:
    pauses = CommandPauses(pause)
    shaped = []
    for message in messages:
        for out in pauses.receive(message):
            if isinstance(out, Transcript):
                shaped.append(("final" if out.data.is_final else "interim", out.data.text))
            elif isinstance(out, Command):
                shaped.append(("command", out.data.raw_transcript_text))
            else:
                shaped.append((out.type, ""))
    return shaped


def test_a_command_with_pauses_around_it_fires_in_order() -> None:
    assert run([final("No acute distress.", 0.0, 1.5), command("next section", 2.2, 3.0),
                final("The abdomen is soft.", 3.8, 5.0), Flushed()]) == [
        ("final", "No acute distress."), ("command", "next section"), ("final", "The abdomen is soft."),
        ("flushed", ""),
    ]


def test_a_command_right_after_speech_is_given_back_as_its_words() -> None:
    assert run([final("He tends to", 0.0, 0.9), command("scratch that", 0.95, 1.5), Flushed()]) == [
        ("final", "He tends to"), ("final", "scratch that"), ("flushed", ""),
    ]


def test_a_command_running_into_the_next_words_is_given_back_as_its_words() -> None:
    assert run([command("next section", 0.2, 1.0), final("al image shows no fracture.", 1.1, 3.0), Flushed()]) == [
        ("final", "next section"), ("final", "al image shows no fracture."), ("flushed", ""),
    ]


def test_the_end_of_the_dictation_counts_as_a_pause() -> None:
    for end in (Flushed(), Ended()):
        assert run([final("Lungs are clear.", 0.0, 1.2), command("next section", 1.9, 2.6), end]) == [
            ("final", "Lungs are clear."), ("command", "next section"), (end.type, ""),
        ]


def test_two_commands_said_in_one_breath_are_both_words() -> None:
    assert run([command("next section", 0.0, 0.8), command("next section", 0.85, 1.6), Flushed()]) == [
        ("final", "next section"), ("final", "next section"), ("flushed", ""),
    ]


def test_a_held_command_is_decided_by_the_next_command_too() -> None:
    assert run([command("next section", 0.0, 0.8), command("next section", 1.5, 2.3), Flushed()]) == [
        ("command", "next section"), ("command", "next section"), ("flushed", ""),
    ]


def test_interims_wait_while_a_command_is_held_and_nothing_is_lost() -> None:
    assert run([command("next section", 0.0, 0.8), interim("the abdo", 1.5, 2.0), Usage(credits=0.1),
                final("The abdomen is soft.", 1.5, 2.8), interim("more", 3.5, 3.8), Flushed()]) == [
        ("usage", ""), ("command", "next section"), ("final", "The abdomen is soft."), ("interim", "more"),
        ("flushed", ""),
    ]


def test_a_new_dictation_starts_without_a_previous_end() -> None:
    assert run([final("Lungs are clear.", 0.0, 1.2), Flushed(), command("next section", 1.25, 2.0), Flushed()]) == [
        ("final", "Lungs are clear."), ("flushed", ""), ("command", "next section"), ("flushed", ""),
    ]


def test_zero_turns_the_check_off() -> None:
    assert run([final("He tends to", 0.0, 0.9), command("scratch that", 0.9, 1.5), final("area", 1.5, 2.0),
                Flushed()], pause=0.0) == [
        ("final", "He tends to"), ("command", "scratch that"), ("final", "area"), ("flushed", ""),
    ]


def test_release_fires_a_held_command() -> None:
    pauses = CommandPauses()
    assert pauses.receive(command("next section", 0.0, 0.8)) == []
    assert pauses.holding
    released = pauses.release()
    assert [type(message) for message in released] == [Command] and not pauses.holding


def test_a_command_nothing_ran_on_from_fires_when_its_hold_expires() -> None:
    pauses = CommandPauses()
    assert pauses.receive(final("No acute distress.", 0.0, 1.2)) == [final("No acute distress.", 0.0, 1.2)]
    held = command("next section", 1.9, 2.6)
    assert pauses.receive(held) == []
    assert pauses.expire() == [held] and not pauses.holding
    assert pauses.receive(final("ly.", 2.7, 3.0))[0].data.is_final  # text after it is text, in order
    assert pauses.expire() == []
