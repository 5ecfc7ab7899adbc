"""A real client against the real local server on loopback, for every message and config outcome.

The scripted recognizer turns tone bursts into known phrases, so the expected output is exact while
decoding, segmentation, streaming and the protocol are all real.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
import websockets
from websockets.asyncio.client import connect

from dictation_daemon.audio.encoding import OggOpusEncoder, Pcm16Encoder
from dictation_daemon.client.errors import (
    ConfigDeniedError,
    ConfigRejectedError,
    ConnectionLostError,
)
from dictation_daemon.client.session import TranscribeSession
from dictation_daemon.client.streaming import stream_pcm
from dictation_daemon.protocol.messages import (
    AudioEvent,
    AudioEvents,
    Command,
    CommandDefinition,
    DeltaUsage,
    Flushed,
    ServerMessage,
    TranscribeConfig,
    Transcript,
    UnknownMessage,
)
from dictation_daemon.server.app import LocalServer
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT, as_wav, encode_with_pyav, tones

CONFIG = TranscribeConfig(
    primary_language="en",
    spoken_punctuation=True,
    commands=[CommandDefinition(id="next_section", phrases=["next section"])],
)
THREE_PHRASES = tones((None, 0.3), (440, 0.6), (None, 0.6), (660, 0.6), (None, 0.6), (880, 0.6), (None, 0.3))


def with_server(test: Callable[[LocalServer], Awaitable[None]], **options) -> None:
    async def main() -> None:
        async with LocalServer(ScriptedRecognizer(SCRIPT), **options) as server:
            await asyncio.wait_for(test(server), 60)

    asyncio.run(main())


async def collect_until(session: TranscribeSession, kind: type) -> list[ServerMessage]:
    messages = []
    async for message in session.events():
        messages.append(message)
        if isinstance(message, kind):
            break
    return messages


def finals(messages: list[ServerMessage]) -> list[str]:
    return [m.data.raw_transcript_text for m in messages if isinstance(m, Transcript) and m.data.is_final]


def test_a_whole_session_streams_flushes_and_ends() -> None:
    async def test(server: LocalServer) -> None:
        config = CONFIG.model_copy(update={"interim_results": True})
        session = await TranscribeSession.open(server.url, config)
        accepted = await session.wait_accepted()
        assert accepted.session_id and accepted.configuration["spokenPunctuation"] is True
        await stream_pcm(session, THREE_PHRASES, realtime=False, chunk_seconds=0.1)
        await session.flush()
        messages = await collect_until(session, Flushed)
        assert finals(messages) == ["patient is stable", "plan as discussed"]
        [command] = [m for m in messages if isinstance(m, Command)]
        assert command.data.id == "next_section" and command.data.raw_transcript_text == "next section"
        assert 1.2 <= command.data.start < command.data.end <= 2.4  # the tone lies at 1.5-2.1 s
        interims = [m for m in messages if isinstance(m, Transcript) and not m.data.is_final]
        assert interims and all(m.data.text == m.data.raw_transcript_text for m in interims)
        order = [m.data.raw_transcript_text if isinstance(m, Transcript) else m.data.id
                 for m in messages if isinstance(m, Transcript | Command) and (not isinstance(m, Transcript) or m.data.is_final)]
        assert order == ["patient is stable", "next_section", "plan as discussed"]
        [first] = [m for m in messages if isinstance(m, Transcript) and m.data.is_final][:1]
        assert first.data.start == pytest.approx(0.3, abs=0.25) and first.data.end == pytest.approx(0.9, abs=0.25)
        usage = await session.end()
        assert usage is not None and usage.credits == pytest.approx(len(THREE_PHRASES) / 32000 / 60, rel=0.05)
        await session.close()

    with_server(test)


def _ogg(pcm16: bytes) -> bytes:
    encoder = OggOpusEncoder()
    return encoder.encode(pcm16) + encoder.close()


@pytest.mark.parametrize("name, encode, declared", [
    ("wav", as_wav, "audio/wav"),
    ("ogg-opus", lambda pcm: _ogg(pcm), "audio/ogg; codecs=opus"),
    ("webm-opus", lambda pcm: encode_with_pyav(pcm, "webm", "libopus"), "audio/webm; codecs=opus"),
    ("mp3", lambda pcm: encode_with_pyav(pcm, "mp3", "libmp3lame", rate=16000), "audio/mpeg"),
])
@pytest.mark.parametrize("declare", [True, False], ids=["declared", "sniffed"])
def test_containers_decode_as_they_stream(name: str, encode, declared: str, declare: bool) -> None:
    data = encode(THREE_PHRASES)

    async def test(server: LocalServer) -> None:
        config = CONFIG.model_copy(update={"audio_format": declared if declare else None})
        async with connect(server.url) as socket:
            await socket.send(json.dumps({"type": "config", "configuration": config.to_wire()}))
            assert json.loads(await socket.recv())["type"] == "CONFIG_ACCEPTED"
            for offset in range(0, len(data), 4000):
                await socket.send(data[offset : offset + 4000])
            await socket.send('{"type":"end"}')
            messages = [json.loads(frame) async for frame in socket]
        texts = [m["data"]["rawTranscriptText"] for m in messages if m["type"] == "transcript"]
        assert texts == ["patient is stable", "plan as discussed"]
        assert [m["type"] for m in messages][-2:] == ["usage", "ended"]

    with_server(test)


def test_ogg_opus_from_the_client_encoder_gives_results_before_the_stream_ends() -> None:
    async def test(server: LocalServer) -> None:
        session = await TranscribeSession.open(server.url, CONFIG, encoder=OggOpusEncoder())
        await session.wait_accepted()
        await stream_pcm(session, THREE_PHRASES, realtime=False)
        await session.flush()
        assert finals(await collect_until(session, Flushed)) == ["patient is stable", "plan as discussed"]
        await session.end()

    with_server(test)


def test_flush_mid_stream_returns_what_was_said_so_far_and_the_socket_stays_open() -> None:
    async def test(server: LocalServer) -> None:
        session = await TranscribeSession.open(server.url, CONFIG)
        await stream_pcm(session, tones((440, 0.6)), realtime=False)  # no pause yet: only the flush closes it
        await session.flush()
        assert finals(await collect_until(session, Flushed)) == ["patient is stable"]
        await stream_pcm(session, tones((None, 0.4), (880, 0.6)), realtime=False)
        await session.flush()
        assert finals(await collect_until(session, Flushed)) == ["plan as discussed"]
        await session.end()

    with_server(test)


def test_audio_sent_before_acceptance_is_not_lost() -> None:
    async def test(server: LocalServer) -> None:
        session = await TranscribeSession.open(server.url, CONFIG)
        await session.send_audio(tones((440, 0.6), (None, 0.5)))  # before CONFIG_ACCEPTED arrived
        await session.flush()
        assert finals(await collect_until(session, Flushed)) == ["patient is stable"]
        await session.end()

    with_server(test)


def test_config_denied_and_rejected_raise_typed_errors_with_reasons() -> None:
    async def test(server: LocalServer) -> None:
        session = await TranscribeSession.open(server.url, TranscribeConfig(primary_language="xx-YY"))
        with pytest.raises(ConfigDeniedError, match="unknown primaryLanguage"):
            await session.wait_accepted()
        with pytest.raises(ConfigDeniedError):
            await session.send_audio(b"\x00\x00")
        session = await TranscribeSession.open(server.url, TranscribeConfig(primary_language="de"))
        with pytest.raises(ConfigDeniedError, match="supported: en, en-GB, en-US"):
            await session.wait_accepted()
        rejected = TranscribeConfig(primary_language="en", audio_format="video/x-msvideo")
        session = await TranscribeSession.open(server.url, rejected)
        with pytest.raises(ConfigRejectedError, match="unsupported audioFormat"):
            await session.wait_accepted()

    with_server(test)


def test_invalid_commands_are_denied_by_the_server() -> None:
    async def test(server: LocalServer) -> None:
        async with connect(server.url) as socket:
            await socket.send(json.dumps({"type": "config", "configuration": {
                "primaryLanguage": "en", "commands": [{"id": "", "phrases": ["go"]}]}}))
            denied = json.loads(await socket.recv())
            assert denied["type"] == "CONFIG_DENIED" and "command id must not be empty" in denied["reason"]
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()

    with_server(test)


def test_config_timeout_missing_and_already_received() -> None:
    async def test(server: LocalServer) -> None:
        async with connect(server.url) as socket:
            assert json.loads(await socket.recv())["type"] == "CONFIG_TIMEOUT"
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()
        async with connect(server.url) as socket:
            await socket.send(b"\x00\x01" * 100)
            assert json.loads(await socket.recv())["type"] == "CONFIG_MISSING"
        async with connect(server.url) as socket:
            config = json.dumps({"type": "config", "configuration": {"primaryLanguage": "en"}})
            await socket.send(config)
            await socket.send(config)
            assert [json.loads(await socket.recv())["type"] for _ in range(2)] == ["CONFIG_ACCEPTED", "CONFIG_ALREADY_RECEIVED"]

    with_server(test, config_timeout=0.3)


def test_bad_audio_ends_the_stream_with_an_error_usage_and_ended() -> None:
    async def test(server: LocalServer) -> None:
        async with connect(server.url) as socket:
            await socket.send(json.dumps({"type": "config", "configuration": {
                "primaryLanguage": "en", "audioFormat": "audio/ogg"}}))
            await socket.recv()
            for _ in range(20):
                await socket.send(b"this is not an ogg stream at all " * 100)
            await socket.send('{"type":"end"}')
            messages = [json.loads(frame) async for frame in socket]
        assert [m["type"] for m in messages] == ["error", "usage", "ended"]
        assert messages[0]["error"]["id"] == "invalid_audio" and messages[0]["error"]["status"] == 400

    with_server(test)


def test_oversize_chunks_and_unknown_messages_get_errors_and_the_session_goes_on() -> None:
    async def test(server: LocalServer) -> None:
        async with connect(server.url) as socket:
            await socket.send(json.dumps({"type": "config", "configuration": CONFIG.model_copy(
                update={"audio_format": Pcm16Encoder().mime}).to_wire()}))
            await socket.recv()
            await socket.send(bytes(64001))
            oversize = json.loads(await socket.recv())
            assert oversize["error"]["id"] == "audio_chunk_too_large" and oversize["error"]["status"] == 413
            await socket.send('{"type":"dance"}')
            assert json.loads(await socket.recv())["error"]["id"] == "invalid_message"
            await socket.send(tones((440, 0.6), (None, 0.6)))
            await socket.send('{"type":"flush"}')
            messages = []
            while not messages or messages[-1]["type"] != "flushed":
                messages.append(json.loads(await socket.recv()))
            assert [m["data"]["rawTranscriptText"] for m in messages if m["type"] == "transcript"] == ["patient is stable"]

    with_server(test)


def test_audio_events_and_delta_usage() -> None:
    async def test(server: LocalServer) -> None:
        config = CONFIG.model_copy(update={"audio_events": AudioEvents(enabled=True)})
        session = await TranscribeSession.open(server.url, config)
        await stream_pcm(session, tones((None, 11.0), (440, 1.0), (None, 0.5)), realtime=False)
        await session.flush()
        messages = await collect_until(session, Flushed)
        events = [(m.data.event, m.data.start_time_ms) for m in messages if isinstance(m, AudioEvent)]
        assert events == [("longSilenceDetected", 0), ("longSilenceRecovered", 11000)]
        deltas = [m.credits for m in messages if isinstance(m, DeltaUsage)]
        assert len(deltas) >= 5 and deltas == sorted(deltas)
        await session.end()

    with_server(test, delta_usage_seconds=2.0)


def test_wrong_path_is_not_found() -> None:
    async def test(server: LocalServer) -> None:
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with connect(server.url.replace("/transcribe", "/stream")):
                pass
        assert refused.value.response.status_code == 404
        session = await TranscribeSession.open(server.url + "?tenant-name=base&token=Bearer%20x&x-corti-analytics=1", CONFIG)
        await session.wait_accepted()
        await session.end()

    with_server(test)


def test_client_passes_unknown_server_messages_through() -> None:
    async def serve_like_a_newer_server(socket) -> None:
        await socket.recv()
        await socket.send('{"type":"CONFIG_ACCEPTED","sessionId":"s","configuration":{}}')
        async for frame in socket:
            if frame == '{"type":"flush"}':
                await socket.send('{"type":"somethingNew","data":{"x":1}}')
                await socket.send('{"type":"transcript","data":{"unexpected":"shape"}}')
                await socket.send('{"type":"flushed"}')

    async def main() -> None:
        async with websockets.serve(serve_like_a_newer_server, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            session = await TranscribeSession.open(f"ws://127.0.0.1:{port}/", CONFIG)
            await session.flush(timeout=10)
            messages = await collect_until(session, Flushed)
            unknown = [m for m in messages if isinstance(m, UnknownMessage)]
            assert [m.type for m in unknown] == ["somethingNew", "transcript"] and unknown[1].problem
            await session.close()
            with pytest.raises(ConnectionLostError):
                await session.send_audio(b"\x00\x00")

    asyncio.run(main())


def _wav_declaring(rate: int, sample_bits: int = 16, body: bytes = bytes(125_000)) -> bytes:
    """A WAV header that declares ``rate`` Hz, over ``body`` (125 kB: at 2 Hz, eight hours of samples)."""
    import struct

    width = sample_bits // 8
    fmt = struct.pack("<HHIIHH", 1, 1, rate, (rate * width) & 0xFFFFFFFF, width, sample_bits)
    return (b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(body)) + body)


@pytest.mark.parametrize("rate", [0, 1, 2, 7999, 192001, 0xFFFFFFFF])
@pytest.mark.parametrize("bits", [16, 8], ids=["pcm16", "pcm8-via-ffmpeg"])
def test_a_wav_that_declares_a_rate_no_audio_uses_is_refused_at_once(rate: int, bits: int) -> None:
    async def test(server: LocalServer) -> None:
        started = asyncio.get_running_loop().time()
        async with connect(server.url) as socket:
            await socket.send(json.dumps({"type": "config", "configuration": {
                "primaryLanguage": "en", "audioFormat": "audio/wav"}}))
            assert json.loads(await socket.recv())["type"] == "CONFIG_ACCEPTED"
            data = _wav_declaring(rate, bits)
            for offset in range(0, len(data), 16000):
                await socket.send(data[offset: offset + 16000])
            await socket.send('{"type":"flush"}')
            messages = [json.loads(frame) async for frame in socket]
        assert asyncio.get_running_loop().time() - started < 10
        [error] = [m for m in messages if m["type"] == "error"]
        assert error["error"]["id"] == "invalid_audio" and error["error"]["status"] == 400
        assert "Hz" in error["error"]["details"] and [m["type"] for m in messages][-2:] == ["usage", "ended"]
        assert not [m for m in messages if m["type"] == "transcript"]

    with_server(test)


def test_a_session_sending_faster_than_its_decode_budget_waits_and_loses_nothing() -> None:
    async def test(server: LocalServer) -> None:
        session = await TranscribeSession.open(server.url, CONFIG)
        await session.wait_accepted()
        started = asyncio.get_running_loop().time()
        await stream_pcm(session, THREE_PHRASES * 2, realtime=False, chunk_seconds=0.1)  # 7.8 s of audio at once
        await session.flush()
        messages = await collect_until(session, Flushed)
        elapsed = asyncio.get_running_loop().time() - started
        assert finals(messages) == ["patient is stable", "plan as discussed"] * 2
        assert elapsed >= (len(THREE_PHRASES) * 2 / 32000 - 1.0) / 4.0 - 0.2  # 4x real time after a 1 s burst
        await session.close()

    with_server(test, max_audio_speed=4.0, audio_burst_seconds=1.0)


def test_a_session_left_idle_is_ended_with_its_usage_and_frees_its_slot() -> None:
    async def test(server: LocalServer) -> None:
        idle = await TranscribeSession.open(server.url, CONFIG)
        await idle.wait_accepted()
        busy = await TranscribeSession.open(server.url, CONFIG)
        await busy.wait_accepted()
        for _ in range(12):  # a session sending audio is never idle, however long it lasts
            await busy.send_audio(bytes(3200))
            await asyncio.sleep(0.1)
        messages = [message async for message in idle.events()]
        assert [type(message).__name__ for message in messages][-3:] == ["ErrorMessage", "Usage", "Ended"]
        assert messages[-3].error.id == "session_idle_timeout"
        third = await _open_when_a_slot_is_free(server)  # two slots: the idle one's was given back
        await third.close()
        await busy.flush()
        assert [m for m in await collect_until(busy, Flushed) if isinstance(m, Flushed)]
        await busy.close()

    with_server(test, idle_timeout=0.5, max_sessions=2)


async def _open_when_a_slot_is_free(server: LocalServer) -> TranscribeSession:
    for _ in range(50):
        try:
            session = await TranscribeSession.open(server.url, CONFIG)
            await session.wait_accepted()
            return session
        except ConnectionLostError:
            await asyncio.sleep(0.02)
    raise AssertionError("no slot was given back")


def test_a_full_server_ends_its_longest_idle_session_to_admit_a_new_one(monkeypatch) -> None:
    from dictation_daemon.server import app

    monkeypatch.setattr(app, "EVICTABLE_IDLE_SECONDS", 0.3)

    async def test(server: LocalServer) -> None:
        oldest = await TranscribeSession.open(server.url, CONFIG)
        await oldest.wait_accepted()
        await asyncio.sleep(0.2)
        younger = await TranscribeSession.open(server.url, CONFIG)
        await younger.wait_accepted()
        await asyncio.sleep(0.4)  # both idle past the bound now, the first longer
        newcomer = await TranscribeSession.open(server.url, CONFIG)
        await newcomer.wait_accepted()
        ended = [message async for message in oldest.events()]
        assert ended[-3].error.id == "session_idle_timeout"
        await stream_pcm(newcomer, THREE_PHRASES, realtime=False, chunk_seconds=0.1)
        await newcomer.flush()
        assert finals(await collect_until(newcomer, Flushed)) == ["patient is stable", "plan as discussed"]
        busy_now = await TranscribeSession.open(server.url, CONFIG)  # younger idle: it makes room again
        await busy_now.wait_accepted()
        for session in (younger, newcomer, busy_now):
            await session.close()

    with_server(test, max_sessions=2)
