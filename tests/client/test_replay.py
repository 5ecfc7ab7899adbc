"""The replay bookkeeping on its own: positions, the shared timeline, and delivering each result once."""

from __future__ import annotations

import pytest

from dictation_daemon.client.replay import (
    ReplayLedger,
    SendAudio,
    SendEnd,
    SendFlush,
    StreamOutcome,
)
from dictation_daemon.protocol.audio_format import SAMPLE_RATE
from dictation_daemon.protocol.messages import (
    AudioEvent,
    AudioEventData,
    Command,
    CommandData,
    ConfigAccepted,
    DeltaUsage,
    Ended,
    ErrorDetail,
    ErrorMessage,
    Flushed,
    Transcript,
    TranscriptData,
    UnknownMessage,
    Usage,
)


def final(text: str, start: float, end: float, is_final: bool = True) -> Transcript:
    return Transcript(data=TranscriptData(text=text, raw_transcript_text=text, start=start, end=end,
                                          is_final=is_final))


def drain(ledger: ReplayLedger) -> list[object]:
    """Every action the ledger wants now, as if each were sent at once."""
    actions = []
    while (action := ledger.next_action()) is not None:
        ledger.mark_sent(action)
        actions.append(action)
    return actions


def seconds(value: float) -> int:
    return round(value * SAMPLE_RATE)


def test_audio_goes_out_in_chunks_with_flushes_and_end_in_their_place() -> None:
    ledger = ReplayLedger(chunk_samples=4000)
    ledger.capture(6000)
    ledger.request_flush()
    ledger.capture(1000)
    ledger.request_end()
    assert drain(ledger) == []  # no stream yet: everything waits
    assert ledger.start_stream() == 7000 / SAMPLE_RATE
    assert drain(ledger) == [SendAudio(0, 4000), SendAudio(4000, 6000), SendFlush(), SendAudio(6000, 7000),
                             SendEnd()]
    with pytest.raises(ValueError):
        ledger.capture(1)


def test_a_new_stream_replays_from_the_last_final_and_its_times_join_the_timeline() -> None:
    ledger = ReplayLedger()
    ledger.start_stream()
    ledger.capture(seconds(3.0))
    drain(ledger)
    assert ledger.receive(ConfigAccepted(session_id="one")) == [ConfigAccepted(session_id="one")]
    assert ledger.receive(final("first", 0.1, 1.1)) == [final("first", 0.1, 1.1)]
    assert ledger.committed == seconds(1.1)
    assert ledger.stream_over() is StreamOutcome.LOST

    assert ledger.start_stream() == pytest.approx(1.9)
    assert ledger.replaying
    assert drain(ledger)[0] == SendAudio(seconds(1.1), seconds(1.1) + ledger.chunk_samples)
    assert not ledger.replaying
    assert ledger.receive(ConfigAccepted(session_id="two")) == []  # the caller saw one acceptance
    assert ledger.receive(final("second", 0.2, 1.4)) == [final("second", 1.3, 2.5)]
    assert ledger.receive(final("second", 0.2, 1.4, is_final=False)) == []  # about delivered audio


def test_results_about_delivered_audio_are_dropped_and_later_ones_pass() -> None:
    ledger = ReplayLedger()
    ledger.start_stream()
    ledger.capture(seconds(5.0))
    drain(ledger)
    assert ledger.receive(final("one", 0.0, 2.0)) == [final("one", 0.0, 2.0)]
    assert ledger.receive(final("one", 0.0, 2.0)) == []
    command = Command(data=CommandData(id="next_section", raw_transcript_text="next section", start=1.5, end=2.0))
    assert ledger.receive(command) == []
    later = command.model_copy(update={"data": command.data.model_copy(update={"start": 2.5, "end": 3.0})})
    assert ledger.receive(later) == [later]
    assert ledger.committed == seconds(3.0)
    assert ledger.receive(final("guess", 3.2, 3.6, is_final=False)) == [final("guess", 3.2, 3.6, is_final=False)]
    assert ledger.committed == seconds(3.0), "an interim commits nothing"


def test_a_result_never_commits_audio_not_sent() -> None:
    ledger = ReplayLedger()
    ledger.start_stream()
    ledger.capture(seconds(1.0))
    drain(ledger)
    ledger.receive(final("one", 0.0, 1.5))
    assert ledger.committed == seconds(1.0)


def test_an_unanswered_flush_goes_again_on_the_next_stream_and_its_answer_commits_with_a_margin() -> None:
    ledger = ReplayLedger(chunk_samples=SAMPLE_RATE * 10)
    ledger.start_stream()
    ledger.capture(seconds(2.0))
    ledger.request_flush()
    assert drain(ledger) == [SendAudio(0, seconds(2.0)), SendFlush()]
    ledger.stream_over()

    ledger.start_stream()
    assert drain(ledger) == [SendAudio(0, seconds(2.0)), SendFlush()]
    assert ledger.receive(Flushed()) == [Flushed()]
    assert ledger.committed == seconds(2.0) - ledger.flush_margin
    assert ledger.receive(Flushed()) == [], "an answer to nothing asked is not passed on"


def test_only_the_callers_end_finishes_and_usage_adds_up_over_streams() -> None:
    ledger = ReplayLedger()
    ledger.start_stream()
    ledger.capture(100)
    drain(ledger)
    assert ledger.receive(DeltaUsage(credits=0.5)) == [DeltaUsage(credits=0.5)]
    error = ErrorMessage(error=ErrorDetail(id="boom", title="Boom", status=500))
    assert ledger.receive(error) == []
    assert ledger.receive(Usage(credits=1.0)) == []
    assert ledger.receive(Ended()) == []
    assert not ledger.finished
    assert ledger.stream_over() is StreamOutcome.SERVER_ERROR and ledger.error == error.error

    ledger.start_stream()
    assert ledger.error is None
    ledger.request_end()
    assert drain(ledger) == [SendAudio(0, 100), SendEnd()]
    assert ledger.receive(DeltaUsage(credits=0.25)) == [DeltaUsage(credits=1.25)]
    assert ledger.receive(Usage(credits=0.5)) == []
    assert ledger.receive(Ended()) == [Usage(credits=1.5), Ended()]
    assert ledger.finished and ledger.stream_over() is StreamOutcome.ENDED


def test_audio_events_move_to_the_timeline_and_unknown_messages_pass() -> None:
    ledger = ReplayLedger()
    ledger.start_stream()
    ledger.capture(seconds(2.0))
    drain(ledger)
    ledger.receive(final("one", 0.0, 1.25))
    ledger.stream_over()
    ledger.start_stream()
    event = AudioEvent(data=AudioEventData(event="longSilenceDetected", start_time_ms=500))
    assert ledger.receive(event)[0].data.start_time_ms == 1750
    unknown = UnknownMessage(type="novel", payload={"type": "novel"})
    assert ledger.receive(unknown) == [unknown]
