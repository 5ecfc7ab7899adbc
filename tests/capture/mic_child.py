"""Scenarios run in a child process against the virtual microphone (PortAudio reads the PulseAudio location
once, from the environment the process starts with). Each writes what it captured to files the test reads.

Usage: python -m tests.capture.mic_child SCENARIO OUTPUT_DIR [ARGUMENTS...]
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from dictation_daemon.capture.cues import Cue, CueFilter, CuePlayer
from dictation_daemon.capture.devices import DeviceNotFound
from dictation_daemon.capture.microphone import Microphone, MicrophoneState
from dictation_daemon.capture.utterance import MicrophoneFailed


def play(sink: str, wav: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["paplay", f"--device={sink}", wav])


async def audio_flowing(microphone: Microphone) -> None:
    """A fresh PulseAudio stream on an idle null sink may take a couple of seconds to deliver its first block."""
    deadline = time.monotonic() + 15
    while microphone.stats.received_seconds < 0.5:
        if time.monotonic() > deadline:
            raise TimeoutError("the microphone delivers no audio")
        await asyncio.sleep(0.05)


async def wait_for_level(microphone: Microphone, dbfs: float, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while microphone.stats.level_dbfs < dbfs:
        if time.monotonic() > deadline:
            raise TimeoutError("the played sound never reached the microphone")
        await asyncio.sleep(0.005)


async def preroll_and_tail(out: Path, sink: str, early: str, late: str, after: str) -> None:
    """``early`` starts before the utterance; ``late`` right after release; ``after`` once the tail is over."""
    microphone = Microphone(preroll_ms=300)
    microphone.open()
    await audio_flowing(microphone)
    early_player = play(sink, early)
    await wait_for_level(microphone, -40)
    await asyncio.sleep(0.1)  # the user is 100 ms into the word when the key press is handled
    utterance = microphone.start_utterance()
    reading = asyncio.create_task(utterance.read_all())
    await asyncio.sleep(0.8)
    microphone.stop_utterance(tail_ms=700)
    late_player = play(sink, late)
    audio = await reading
    after_player = play(sink, after)
    await asyncio.to_thread(after_player.wait)
    await asyncio.sleep(0.3)
    early_player.wait()
    late_player.wait()
    (out / "utterance.pcm").write_bytes(audio)
    stats = microphone.stats
    (out / "result.json").write_text(json.dumps(
        {"outcome": utterance.outcome.value, "overruns": stats.overruns, "drops": stats.drops, "level": stats.level_dbfs}
    ))
    microphone.close()


async def cue_then_word(out: Path, sink: str, during: str, word: str) -> None:
    """The start cue plays while ``during`` plays too (speech over the beep); ``word`` follows the cue."""
    microphone = Microphone()
    microphone.open()
    await audio_flowing(microphone)
    utterance = microphone.start_utterance()
    raw: list[bytes] = []
    cue_filter = CueFilter()
    filtered: list[bytes] = []

    async def consume() -> None:
        async for chunk in utterance:
            raw.append(chunk)
            filtered.append(cue_filter.process(chunk))
        filtered.append(cue_filter.finish())

    reading = asyncio.create_task(consume())
    speech = play(sink, during)
    await CuePlayer().play(Cue.START)
    await asyncio.to_thread(speech.wait)
    await asyncio.to_thread(play(sink, word).wait)
    microphone.stop_utterance(tail_ms=400)
    await reading
    (out / "raw.pcm").write_bytes(b"".join(raw))
    (out / "filtered.pcm").write_bytes(b"".join(filtered))
    microphone.close()


async def fall_behind(out: Path) -> None:
    """Blocks the event loop with a tiny inbox while an utterance records, so blocks must be dropped and
    counted; the same block between utterances drops nothing (only the newest audio is kept then)."""
    microphone = Microphone(inbox_blocks=3)
    microphone.open()
    await audio_flowing(microphone)
    time.sleep(1.0)
    await asyncio.sleep(0.1)
    idle_drops = microphone.stats.drops
    microphone.start_utterance()
    time.sleep(1.0)
    await asyncio.sleep(0.1)
    stats = microphone.stats
    microphone.cancel_utterance()
    (out / "result.json").write_text(json.dumps({"overruns": stats.overruns, "drops": stats.drops,
                                                 "idle_drops": idle_drops}))
    microphone.close()


async def idle_quiet(out: Path) -> None:
    """Between utterances the loop is not woken for each block, and an utterance still starts with the
    newest pre-roll."""
    microphone = Microphone(preroll_ms=300)
    microphone.open()
    await audio_flowing(microphone)
    drains = 0
    drain = microphone._drain

    def counted() -> None:
        nonlocal drains
        drains += 1
        drain()

    microphone._drain = counted  # type: ignore[method-assign]
    await asyncio.sleep(2.0)
    idle_drains = drains
    utterance = microphone.start_utterance()
    await asyncio.sleep(0.5)
    recording_drains = drains - idle_drains
    microphone.stop_utterance(0)
    audio = await utterance.read_all()
    (out / "result.json").write_text(json.dumps({"idle_drains": idle_drains, "recording_drains": recording_drains,
                                                 "captured": len(audio)}))
    microphone.close()


async def cancel(out: Path) -> None:
    """A cancelled utterance hands out nothing it had not handed out yet, and the next one starts cleanly."""
    microphone = Microphone()
    microphone.open()
    await audio_flowing(microphone)
    utterance = microphone.start_utterance()
    await asyncio.sleep(0.3)
    microphone.cancel_utterance()
    left = await utterance.read_all()
    following = microphone.start_utterance()
    microphone.stop_utterance(tail_ms=200)
    (out / "result.json").write_text(json.dumps({
        "outcome": utterance.outcome.value, "left": len(left), "captured": utterance.captured_bytes,
        "following": len(await following.read_all()), "following_outcome": following.outcome.value,
    }))
    microphone.close()


async def missing_device(out: Path) -> None:
    try:
        Microphone("no such microphone").open()
    except DeviceNotFound as error:
        (out / "result.json").write_text(json.dumps({"error": str(error)}))


async def lose_and_reopen(out: Path, runtime: str) -> None:
    """Records from the server this process started with until it goes away, then reopens on another one."""
    failures: list[str] = []
    microphone = Microphone(on_failure=lambda error: failures.append(str(error)))
    microphone.open()
    await audio_flowing(microphone)
    utterance = microphone.start_utterance()
    print("ready", flush=True)
    try:
        await asyncio.wait_for(utterance.read_all(), 15)
        utterance_error = "none"
    except MicrophoneFailed as error:
        utterance_error = str(error)
    result = {"state": microphone.state.value, "failures": failures, "utterance_error": utterance_error,
              "outcome": utterance.outcome.value}
    os.environ["XDG_RUNTIME_DIR"] = runtime
    os.environ["PULSE_RUNTIME_PATH"] = f"{runtime}/pulse"
    microphone.open()
    await audio_flowing(microphone)
    again = microphone.start_utterance()
    await asyncio.sleep(0.3)
    microphone.stop_utterance(tail_ms=100)
    result |= {"reopened_state": microphone.state.value, "reopened_bytes": len(await again.read_all())}
    assert microphone.state is MicrophoneState.RUNNING
    (out / "result.json").write_text(json.dumps(result))
    microphone.close()


SCENARIOS = {
    "preroll_and_tail": preroll_and_tail,
    "cue_then_word": cue_then_word,
    "fall_behind": fall_behind,
    "idle_quiet": idle_quiet,
    "missing_device": missing_device,
    "cancel": cancel,
    "lose_and_reopen": lose_and_reopen,
}

if __name__ == "__main__":
    asyncio.run(SCENARIOS[sys.argv[1]](Path(sys.argv[2]), *sys.argv[3:]))
