"""Streaming recognition on real synthetic speech: finals at pauses, interims, finish, silence, keyterms."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.recognizer import RecognizedSegment
from testkit.speech import KAL, SAMPLE_RATE, SLT, speech, with_pauses

from .streaming import english, stream_through, voiced_bounds, words_of

pytestmark = pytest.mark.engine

FIRST = "the patient reports chest pain since yesterday"
SECOND = "no shortness of breath"


def finals(segments: list[RecognizedSegment]) -> list[RecognizedSegment]:
    return [segment for segment in segments if segment.is_final]


def test_each_pause_closes_a_final_with_the_speech_boundaries(recognizer: WhisperRecognizer) -> None:
    first, second = speech(FIRST), speech(SECOND)
    lead, gap = 0.7, 1.2
    recording = with_pauses([lead, first, gap, second, 1.0])
    first_on, first_off = voiced_bounds(first)
    second_on, second_off = voiced_bounds(second)
    offset = lead + len(first) / SAMPLE_RATE + gap
    expected = [(lead + first_on, lead + first_off), (offset + second_on, offset + second_off)]

    stream = recognizer.open_stream(english())
    results = stream_through(stream, recording)

    assert [segment.is_final for segment in results] == [True, True]
    assert words_of(results[0].words) == FIRST
    assert words_of(results[1].words) == SECOND
    for segment, (start, end) in zip(results, expected):
        assert segment.start == pytest.approx(start, abs=0.3)
        assert segment.end == pytest.approx(end, abs=0.3)
    assert stream.finish() == []


def test_interims_while_speaking_when_enabled(recognizer: WhisperRecognizer) -> None:
    recording = with_pauses([0.5, speech(FIRST), 1.0])
    results = stream_through(recognizer.open_stream(english(interim_results=True)), recording)

    interims = [segment for segment in results if not segment.is_final]
    assert interims, "no interim while speaking"
    assert len(interims) <= len(recording) / SAMPLE_RATE  # at most one per second of audio
    assert all(segment.words and segment.start < segment.end for segment in interims)
    final = results[-1]
    assert final.is_final and words_of(final.words) == FIRST
    assert results.index(final) == len(interims)  # the interims come before their span's final
    assert all(segment.start == pytest.approx(final.start) for segment in interims)


def test_no_interims_when_disabled(recognizer: WhisperRecognizer) -> None:
    recording = with_pauses([0.5, speech(FIRST), 1.0])
    results = stream_through(recognizer.open_stream(english(interim_results=False)), recording)
    assert [segment.is_final for segment in results] == [True]


def test_finish_decodes_only_the_open_last_piece(recognizer: WhisperRecognizer) -> None:
    first, second = speech(FIRST), speech(SECOND)
    recording = with_pauses([0.5, first, 1.0, second])  # released right after the last word
    stream = recognizer.open_stream(english())

    during = stream_through(stream, recording)
    assert [words_of(segment.words) for segment in during] == [FIRST]

    last = stream.finish()
    assert len(last) == 1 and last[0].is_final
    assert words_of(last[0].words) == SECOND
    assert last[0].start >= during[0].end + 0.8  # only the speech after the pause was decoded
    assert stream.finish() == []  # nothing is left, and the stream stays usable
    again = stream_through(stream, with_pauses([second, 1.0]))
    assert [words_of(segment.words) for segment in again] == [SECOND]


def test_silence_noise_and_clicks_yield_nothing(recognizer: WhisperRecognizer) -> None:
    rng = np.random.default_rng(7)
    hiss = (rng.standard_normal(3 * SAMPLE_RATE) * 10 ** (-60 / 20)).astype(np.float32)
    click = (rng.standard_normal(int(0.15 * SAMPLE_RATE)) * 0.3).astype(np.float32)
    recording = with_pauses([2.0, hiss, 1.0, click, 1.0, click, 0.3])
    stream = recognizer.open_stream(english(interim_results=True))
    assert stream_through(stream, recording) == []
    assert stream.finish() == []


def heard_through(recognizer: WhisperRecognizer, recording: np.ndarray, keyterms: Sequence[str] = ()) -> str:
    stream = recognizer.open_stream(english(keyterms={"terms": [{"term": term} for term in keyterms]}))
    return " ".join(segment.words for segment in stream_through(stream, recording) + stream.finish())


SEARCHING_SESSION = dict(
    spokenPunctuation=True,
    commands=[
        {"id": "next_section", "phrases": ["next section"]},
        {"id": "go_to_section", "phrases": ["go to {section} section"],
         "variables": [{"key": "section", "type": "enum", "enum": ["history", "assessment", "plan"]}]},
        {"id": "delete_last", "phrases": ["scratch that", "delete that"]},
        {"id": "stop_dictation", "phrases": ["stop dictation"]},
        {"id": "search", "phrases": ["search for {query}"], "variables": [{"key": "query", "type": "wildcard"}]},
    ],
)


def test_the_end_of_the_prompt_is_not_heard_after_the_speech(recognizer: WhisperRecognizer) -> None:
    """tiny.en went on from its prompt's last phrase: "search for lab results" came back with a second
    "search for" after it. Said at the end, the phrase stays."""
    stream = recognizer.open_stream(english(**SEARCHING_SESSION))
    recording = with_pauses([0.7, speech("search for lab results"), 0.7])
    assert words_of(" ".join(s.words for s in stream_through(stream, recording) + stream.finish())) == (
        "search for lab results")
    stream = recognizer.open_stream(english(**SEARCHING_SESSION))
    recording = with_pauses([0.7, speech("the nurse will search for"), 0.7])
    assert words_of(" ".join(s.words for s in stream_through(stream, recording) + stream.finish())) == (
        "the nurse will search for")


def test_keyterms_reach_the_model(plain_recognizer: WhisperRecognizer) -> None:
    recording = with_pauses([0.3, speech("start metoprolol twenty five milligrams twice daily"), 0.2])
    assert "metoprolol" not in heard_through(plain_recognizer, recording).lower()
    assert "metoprolol" in heard_through(plain_recognizer, recording, ["amoxicillin", "metoprolol"]).lower()


DRUG_SENTENCES = {
    "metoprolol": "start metoprolol twenty five milligrams twice daily",
    "amiodarone": "she was loaded with amiodarone overnight",
    "furosemide": "give furosemide forty milligrams intravenously",
    "clopidogrel": "continue clopidogrel after the stent",
    "levetiracetam": "increase levetiracetam to one gram",
}


def test_the_medical_lexicon_spells_drug_names_no_one_listed(
    recognizer: WhisperRecognizer, plain_recognizer: WhisperRecognizer
) -> None:
    """Two voices, no keyterms: the lexicon finds clearly more names than the model alone (three against
    none of ten when written), and the words around them stay."""
    alone, with_lexicon = 0, 0
    for voice in (SLT, KAL):
        for drug, sentence in DRUG_SENTENCES.items():
            recording = with_pauses([0.3, speech(sentence, voice), 0.3])
            plain = words_of(heard_through(plain_recognizer, recording))
            medical = words_of(heard_through(recognizer, recording))
            alone += drug in plain.split()
            with_lexicon += drug in medical.split()
            assert medical.split()[-1] == plain.split()[-1]  # the last word is never taken into a name
    assert with_lexicon >= alone + 2, (alone, with_lexicon)


def test_the_medical_lexicon_leaves_plain_speech_alone(recognizer: WhisperRecognizer) -> None:
    recording = with_pauses([0.3, speech(FIRST), 0.3])
    assert words_of(heard_through(recognizer, recording)) == FIRST


def test_the_medical_lexicon_leaves_orders_without_a_drug_as_heard(
    recognizer: WhisperRecognizer, plain_recognizer: WhisperRecognizer
) -> None:
    """After "start", "hold" or "give" a drug heard as English words may be taken; ordinary words said
    there come out exactly as the model alone hears them."""
    for sentence in ("start walking twice a day after meals", "hold the morning dose if he is dizzy",
                     "give her a call with the results", "start a low salt diet"):
        for voice in (SLT, KAL):
            recording = with_pauses([0.3, speech(sentence, voice), 0.3])
            assert heard_through(recognizer, recording) == heard_through(plain_recognizer, recording), sentence


def test_the_medical_lexicon_leaves_sentences_without_a_finding_as_heard(
    recognizer: WhisperRecognizer, plain_recognizer: WhisperRecognizer
) -> None:
    """After "reports", "has", "there is" or "history of" a finding heard as English words may be taken;
    ordinary words said there come out exactly as the model alone hears them."""
    for sentence in ("she reports sleeping well at night", "he has a dog at home",
                     "there is no new pain today", "history of smoking for ten years"):
        for voice in (SLT, KAL):
            recording = with_pauses([0.3, speech(sentence, voice), 0.3])
            assert heard_through(recognizer, recording) == heard_through(plain_recognizer, recording), sentence


def test_concurrent_streams_both_complete(recognizer: WhisperRecognizer) -> None:
    texts = {"first": FIRST, "second": SECOND}
    heard: dict[str, list[str]] = {}

    def run(name: str) -> None:
        stream = recognizer.open_stream(english(interim_results=True))
        segments = stream_through(stream, with_pauses([0.3, speech(texts[name]), 0.3])) + stream.finish()
        heard[name] = [words_of(segment.words) for segment in segments if segment.is_final]

    threads = [threading.Thread(target=run, args=(name,)) for name in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert heard == {name: [text] for name, text in texts.items()}


def test_a_flush_during_the_release_tail_gets_the_final_decoded_ahead(recognizer: WhisperRecognizer) -> None:
    stream = recognizer.open_stream(english())
    assert stream_through(stream, with_pauses([0.5, speech(SECOND), 0.3])) == []  # too short a pause to close
    last = stream.finish()
    assert [words_of(segment.words) for segment in last] == [SECOND]
