"""The on-screen indicator end to end: the daemon on the test screen, speech into the virtual microphone, a
Tk field read back. Screenshots of the indicator's corner show it red while listening and grey before and
after; the field keeps the keyboard focus and receives the text exactly."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageGrab
from websockets.asyncio.client import connect

from testkit.rig.daemon import TALK, spoken, words
from testkit.rig.textfield import TextFieldWindow

from .test_desktop import hold_and_speak, press, release

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

LISTENING_RED = (0xE5, 0x48, 0x4D)
WINDOW_NAME = "dictation-daemon indicator"


def indicator_geometry(daemon) -> tuple[int, int, int, int]:
    """x, y, width, height of the indicator window, once it is mapped."""
    def found() -> bool:
        return subprocess.run(["xdotool", "search", "--onlyvisible", "--name", WINDOW_NAME], env=daemon.env,
                              capture_output=True).returncode == 0
    daemon.wait_for(lambda status: found(), "the indicator window", timeout=20)
    window = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", WINDOW_NAME], env=daemon.env,
                            capture_output=True, text=True, check=True).stdout.split()[0]
    shape = dict(line.split("=") for line in subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", window], env=daemon.env, capture_output=True, text=True,
        check=True).stdout.split())
    return int(shape["X"]), int(shape["Y"]), int(shape["WIDTH"]), int(shape["HEIGHT"])


def screenshot(display: str, box: tuple[int, int, int, int], path: Path) -> Image.Image:
    x, y, width, height = box
    image = ImageGrab.grab(xdisplay=display).crop((x, y, x + width, y + height))
    image.save(path)
    return image


def red_pixels(image: Image.Image) -> int:
    data = image.convert("RGB").tobytes()
    return sum(1 for at in range(0, len(data), 3)
               if all(abs(data[at + channel] - LISTENING_RED[channel]) <= 12 for channel in range(3)))


def test_the_indicator_shows_listening_and_the_field_keeps_the_focus(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    with TextFieldWindow(x_display) as window:
        box = indicator_geometry(daemon)
        assert box[0] + box[2] <= 1280 and box[1] < 100, "top right of the screen by default"
        before = screenshot(x_display, box, tmp_path / "idle-before.png")
        wav = spoken(tmp_path, "pain", "the patient reports mild chest pain period")
        press(daemon)
        try:
            player = threading.Thread(target=microphone.play, args=(str(wav),))
            player.start()
            daemon.wait_for(lambda status: status["state"] == "listening", "listening")
            daemon.xdotool("sleep", "0.5")
            during = screenshot(x_display, box, tmp_path / "listening.png")
            player.join()
        finally:
            release(daemon)
        daemon.wait_idle()
        text = window.settle(1.0)
        after = screenshot(x_display, box, tmp_path / "idle-after.png")
        assert window.ask({"do": "focused"}) == "text"
    assert red_pixels(before) == 0 and red_pixels(after) == 0
    assert red_pixels(during) > 50, "the red dot and level meter while listening"
    assert words(text) == "the patient reports mild chest pain".split()
    assert text.startswith("The ") and text.endswith("pain.")


def test_the_indicator_can_be_turned_off(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"ui": {"overlay": {"enabled": False}}})
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "short", "no fever period"))
        window.settle(0.5)
    shown = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", WINDOW_NAME], env=daemon.env,
                           capture_output=True)
    assert shown.returncode == 1


def test_a_pages_pairing_code_shows_on_the_indicator_until_it_is_confirmed(start_daemon, x_display, tmp_path):
    origin = "https://ehr.example.org"
    daemon = start_daemon({"rpc": {"websocket": {"enabled": True, "port": 0, "allowed_origins": [origin],
                                                 "pairings_file": str(tmp_path / "pairings.json")}}})
    url = json.loads((daemon.socket.parent / "rpc-endpoint.json").read_text())["websocket"]
    ready = indicator_geometry(daemon)

    async def page() -> None:
        async with connect(url, origin=origin) as websocket:
            await websocket.send('{"jsonrpc":"2.0","id":1,"method":"pairing.request","params":{"site":"Clinic"}}')
            code = json.loads(await websocket.recv())["result"]["code"]
            asking = await asyncio.to_thread(indicator_geometry, daemon)
            await asyncio.to_thread(screenshot, x_display, asking, tmp_path / "pairing.png")
            assert asking[3] > ready[3], "the indicator shows the request with its code"
            assert (await asyncio.to_thread(daemon.cli, "pair", code)).returncode == 0
            assert json.loads(await websocket.recv())["method"] == "paired"

    asyncio.run(page())
    daemon.wait_for(lambda status: indicator_geometry(daemon)[3] == ready[3], "the indicator to stop asking")
