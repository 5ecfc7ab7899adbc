"""One pydantic model per configuration section.

Unknown keys are errors, so a typo ("spoken_punctation") is reported instead of silently ignored.
Secrets are never part of the file: Corti's client id and secret come from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..protocol.messages import (
    AudioEvents,
    CommandDefinition,
    CommandVariable,
    Formatting,
    Keyterm,
    Keyterms,
    Replacement,
    TranscribeConfig,
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CortiSection(Section):
    """Where Corti lives for this account; the client id and secret come from CORTI_CLIENT_ID/SECRET."""

    environment: Literal["eu", "us"] = "eu"
    tenant: str = "base"
    scope: str = "openid transcribe"


class BackendSection(Section):
    """Which ``/transcribe`` server to use.

    ``auto`` picks Corti when its credentials are in the environment and the embedded local engine
    otherwise; ``url`` is any server speaking the protocol (for example a shared local server).
    """

    kind: Literal["auto", "corti", "local", "url"] = "auto"
    url: str | None = None
    corti: CortiSection = CortiSection()
    audio_encoding: Literal["auto", "pcm", "ogg-opus"] = "auto"
    """``auto``: Ogg/Opus for Corti (a documented container), raw PCM for the local server (no codec cost)."""
    offline_buffer_minutes: Annotated[float, Field(gt=0, le=240)] = 10.0
    """Audio kept in memory while the server cannot be reached; past it the user is told, and the rest is
    kept in a private unnamed file until it is transcribed."""
    answer_timeout_seconds: Annotated[float, Field(ge=1, le=300)] = 10.0
    """How long the server may send nothing while it owes an answer (the text of an utterance after the key
    is released) before its connection counts as hung and is reopened, the audio not yet transcribed sent
    again; keepalive pings every half of it catch a hang mid-utterance too. A server still sending results
    is never cut off. 10 s is far above the 1-2 s the local engine takes to finish an utterance on a slow
    machine (``client.session.DEFAULT_ANSWER_TIMEOUT`` explains the choice); raise it for a shared server
    that queues its decoding."""


class TranscriptionSection(Section):
    """What every session asks the server for (§4 of the protocol)."""

    language: str = "en"
    interim_results: bool = True
    spoken_punctuation: bool = True
    automatic_punctuation: bool = False
    commands: list[CommandDefinition] = Field(default_factory=lambda: list(DEFAULT_COMMANDS))
    formatting: Formatting = Formatting()
    replacements: Annotated[list[Replacement], Field(max_length=1000)] = []
    keyterms: Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]], Field(max_length=1000)] = []
    audio_events: bool = False
    command_pause_seconds: Annotated[float, Field(ge=0, le=2.0)] = 0.3
    """Quiet that must separate a command from the speech around it, checked on every backend's messages:
    a command that runs into the words around it is typed as text. 0 turns the check off."""

    def to_transcribe_config(self, audio_format: str | None = None) -> TranscribeConfig:
        return TranscribeConfig(
            primary_language=self.language,
            interim_results=self.interim_results,
            spoken_punctuation=self.spoken_punctuation,
            automatic_punctuation=self.automatic_punctuation,
            commands=self.commands or None,
            formatting=self.formatting,
            replacements=self.replacements or None,
            keyterms=Keyterms(terms=[Keyterm(term=term) for term in self.keyterms]) if self.keyterms else None,
            audio_events=AudioEvents(enabled=True) if self.audio_events else None,
            audio_format=audio_format,
        )


DEFAULT_COMMANDS = (
    CommandDefinition(id="next_section", phrases=["next section", "next field"]),
    CommandDefinition(id="previous_section", phrases=["previous section", "previous field"]),
    CommandDefinition(id="scratch_that", phrases=["scratch that", "delete that"]),
)


class EngineSection(Section):
    """The embedded local engine."""

    model: Literal["tiny.en", "base"] = "tiny.en"
    """The bundled Whisper model: ``tiny.en`` (the ``engine`` extra) or ``base`` (the ``base`` extra:
    multilingual, and more accurate on harder voices: medical term recall 69% against 58% on flite's rms
    voice, 73% against 78% on festival's slt, at twice the CPU per decode; BENCHMARKS.md, trust section)."""
    model_path: Path | None = None
    """A CTranslate2 Whisper model folder, used instead of ``model``."""
    max_concurrent_decodes: Annotated[int, Field(ge=1, le=64)] = 1
    pause_seconds: Annotated[float, Field(gt=0.1, le=5.0)] = 0.5
    """Silence that ends a segment: each segment is decoded while the speaker goes on. A command is only
    recognised as a segment of its own, so this is also the pause a command needs around it."""
    medical_vocabulary: bool = True
    """Spell medical terms (drugs, anatomy, findings) from the bundled medical lexicon, with no keyterms."""


class ServerJwtSection(Section):
    """JWTs that ``serve`` accepts: signed (RS256/ES256) by a key of ``jwks_url``, from ``issuer``, for ``audience``."""

    issuer: str
    audience: str
    jwks_url: str
    """HTTPS (plain http only on loopback); fetched on first use and again when a token names an unknown key."""


class ServerSection(Section):
    """``dictation-daemon serve``: the local server for other machines or processes.

    Listening on anything but loopback needs a token source: ``tokens_file``, ``jwt``, or both (a token
    either accepts is let in). Tokens are checked when a socket opens.
    """

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8765
    config_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 10.0
    tokens_file: Path | None = None
    """Accepted bearer tokens, one per line (``#`` comment lines); the file must be private to its owner (0600)."""
    jwt: ServerJwtSection | None = None
    max_sessions: Annotated[int, Field(ge=1, le=10000)] = 16
    """Sessions open at once in this process; a handshake beyond them is answered with HTTP 503."""
    max_audio_speed: Annotated[float, Field(gt=0, le=1000)] = 16.0
    """Seconds of audio one session may have decoded per second of wall time (after a 2-minute burst), so
    no upload takes the engine away from the other sessions."""
    idle_timeout_seconds: Annotated[float, Field(gt=0, le=86400)] = 300.0
    """A configured session that sends nothing and is owed nothing for this long is ended (spec §9 leaves
    it to the server): a daemon's warm session is reopened only every few minutes between dictations, and
    sessions opened and left do not hold the server's slots for good."""


class LoggingSection(Section):
    """Logs go to stderr. Dictated text and audio are never logged at INFO or above."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class AudioSection(Section):
    """The microphone: always open, so an utterance starts with the audio from just before the key press."""

    device: str | int | None = None
    """An input device name (or part of it) or index, as ``dictation-daemon devices`` lists them; empty is the default."""
    preroll_ms: Annotated[float, Field(ge=0, le=2000)] = 300
    """Audio from before the key press that each utterance starts with, so the first word is kept."""
    tail_ms: Annotated[float, Field(ge=0, le=3000)] = 400
    """Audio still recorded after the release, so the last word is kept."""
    latency_ms: Annotated[float, Field(ge=20, le=500)] = 100
    """Input latency asked of the sound system: the microphone is open all day, and bigger blocks cost
    less CPU; the last words of a dictation arrive this much later at most."""
    cues: bool = False
    """Beeps at start and stop; they are filtered out of the recording."""
    cue_volume: Annotated[float, Field(ge=0, le=1)] = 0.3


class HotkeysSection(Section):
    """Global hotkeys (X11). Where they cannot work, the daemon says so and the socket/CLI trigger remains."""

    enabled: bool = True
    talk: str = "ctrl+alt+space"
    """The push-to-talk combination."""
    mode: Literal["hold", "toggle", "auto"] = "hold"
    """``hold``: dictate while held; ``toggle``: press to start, press to stop; ``auto``: a tap toggles, a hold talks."""
    cancel: str | None = "ctrl+alt+c"
    """Discards the utterance being recorded; empty disables it."""
    paste_last: str | None = "ctrl+alt+v"
    """Inserts the last dictation again (when it went to the wrong window); empty disables it."""
    tap_seconds: Annotated[float, Field(gt=0, le=2)] = 0.3
    """In ``auto`` mode, a press shorter than this is a tap."""
    repeat_window_seconds: Annotated[float, Field(ge=0, le=0.5)] = 0.05
    """A release followed by a press of the same key within this time is X11 auto-repeat, not a release."""

    @field_validator("talk", "cancel", "paste_last")
    @classmethod
    def _valid_combo(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from ..hotkeys.combo import ComboError, parse_combo

        try:
            parse_combo(value)
        except ComboError as error:
            raise ValueError(str(error)) from None
        return value


class KeystrokePluginSection(Section):
    """The ``keystroke`` plugin: types finals into the focused field."""

    interim: bool = False
    """Also type interim text live, replaced in place as it changes (needs ``transcription.interim_results``)."""


class ClipboardPluginSection(Section):
    """The ``clipboard`` plugin: pastes finals through the clipboard, which is restored afterwards."""

    paste_chord: str = "ctrl+v"
    paste_chords_by_window_class: dict[str, str] | None = None
    """WM_CLASS name → the chord that pastes there; empty means the known terminals use ``ctrl+shift+v``."""
    restore_delay_seconds: Annotated[float, Field(ge=0, le=10)] = 0.5
    """The previous clipboard comes back after this delay, and only if it still holds the dictated text."""

    @field_validator("paste_chord")
    @classmethod
    def _valid_chord(cls, value: str) -> str:
        from ..insertion.chords import Chord

        Chord.parse(value)
        return value

    @field_validator("paste_chords_by_window_class")
    @classmethod
    def _valid_chords(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        from ..insertion.chords import Chord

        for chord in (value or {}).values():
            Chord.parse(chord)
        return value


class CommandsPluginSection(Section):
    """The ``commands`` plugin: what a voice command does in any application.

    Each value is a key chord (``tab``, ``shift+tab``, ``ctrl+z``) or a built-in action written ``@name``:
    ``@scratch_that`` (take back the last dictated segment), ``@new_line``, ``@new_paragraph``.
    """

    actions: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_COMMAND_ACTIONS))

    @field_validator("actions")
    @classmethod
    def _valid_actions(cls, value: dict[str, str]) -> dict[str, str]:
        from ..insertion.chords import Chord

        for action in value.values():
            if action.startswith("@"):
                if action[1:] not in COMMAND_ACTIONS:
                    raise ValueError(f"unknown action {action!r}; built-in actions: "
                                     + ", ".join(f"@{name}" for name in COMMAND_ACTIONS))
            else:
                Chord.parse(action)
        return value


COMMAND_ACTIONS = ("scratch_that", "new_line", "new_paragraph")
"""The built-in actions a command can be mapped to, as ``@name``."""

DEFAULT_COMMAND_ACTIONS = {
    "next_section": "tab",
    "previous_section": "shift+tab",
    "scratch_that": "@scratch_that",
}


class PluginsSection(Section):
    """Which plugins receive the daemon's events, in order (the first that claims a command handles it).

    Built in: ``keystroke``, ``clipboard`` (use one of the two), ``commands``. Other packages add plugins
    through the ``dictation_daemon.plugins`` entry point group; their options go under ``options``.
    """

    enabled: list[str] = Field(default_factory=lambda: ["keystroke", "commands"])
    insertion_backend: Literal["auto", "x11", "wayland"] = "auto"
    """How ``keystroke`` and ``clipboard`` reach the focused window: ``auto`` uses ``wtype`` and
    ``wl-clipboard`` when ``WAYLAND_DISPLAY`` is set and they work there, X11 otherwise."""
    keystroke: KeystrokePluginSection = KeystrokePluginSection()
    clipboard: ClipboardPluginSection = ClipboardPluginSection()
    commands: CommandsPluginSection = CommandsPluginSection()
    options: dict[str, dict[str, Any]] = {}
    """Options of third-party plugins, by plugin name."""

    @field_validator("enabled")
    @classmethod
    def _one_inserter(cls, value: list[str]) -> list[str]:
        if "keystroke" in value and "clipboard" in value:
            raise ValueError("enable either 'keystroke' or 'clipboard', not both: each would insert the text")
        if len(set(value)) != len(value):
            raise ValueError("a plugin is listed twice")
        return value


class HistorySection(Section):
    """Recent dictations, kept in memory only (never written to disk), for ``paste-last``."""

    size: Annotated[int, Field(ge=0, le=100)] = 10
    """How many dictations to keep; 0 keeps none."""


class RpcWebSocketSection(Section):
    """A loopback WebSocket endpoint for browser-based editors: the token of the endpoint file and an allowed Origin."""

    enabled: bool = False
    port: Annotated[int, Field(ge=0, le=65535)] = 8766
    """On 127.0.0.1; 0 picks a free port (written to the endpoint file)."""
    allowed_origins: list[str] = []
    """Exact ``Origin`` values allowed to connect, e.g. ``https://ehr.example.org``; none means no page can."""
    pairing: bool = True
    """Pages from an allowed origin may ask the user to pair (confirmed with ``dictation-daemon pair CODE``)
    and then connect with a token of their own; off: only the endpoint file's token lets a page in."""
    pairings_file: Path | None = None
    """Where pairings are kept (hashes of the sites' tokens, 0600); empty means
    ``$XDG_STATE_HOME/dictation-daemon/pairings.json``."""


MAX_SOCKET_PATH_BYTES = 107
"""The longest path the kernel takes for a Unix socket (``sun_path`` holds 108 bytes with its final NUL)."""


class RpcSection(Section):
    """The JSON-RPC 2.0 control socket at ``$XDG_RUNTIME_DIR/dictation-daemon/rpc.sock``, for this user only."""

    enabled: bool = True
    transport: Literal["auto", "unix", "tcp"] = "auto"
    """``auto``: a Unix socket where the platform has them, else loopback TCP with a token in the endpoint file."""
    socket_path: Path | None = None
    """Empty means the default location above; with TCP its folder holds the endpoint file."""

    @field_validator("socket_path")
    @classmethod
    def _fits_a_unix_socket_address(cls, value: Path | None) -> Path | None:
        size = len(os.fsencode(value.expanduser())) if value is not None else 0
        if size > MAX_SOCKET_PATH_BYTES:
            raise ValueError(f"a Unix socket path holds at most {MAX_SOCKET_PATH_BYTES} bytes; "
                             f"this one has {size}: choose a shorter one")
        return value

    tcp_port: Annotated[int, Field(ge=0, le=65535)] = 0
    """Loopback TCP port; 0 picks a free one (written to the endpoint file)."""
    max_clients: Annotated[int, Field(ge=1, le=1024)] = 64
    queue_size: Annotated[int, Field(ge=2, le=100000)] = 1000
    """Messages waiting for a client; a client that falls further behind is disconnected."""
    request_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    """A request still running after this is answered with an error."""
    websocket: RpcWebSocketSection = RpcWebSocketSection()


class OverlaySection(Section):
    """The on-screen indicator (X11): a small window, always on top, that never takes the focus."""

    enabled: bool = True
    show_text: bool = False
    """Show the words being dictated too. Off by default: a clinic's screen is seen by others."""
    position: Literal["top-right", "top-left", "top", "bottom-right", "bottom-left", "bottom"] = "top-right"
    size: Literal["small", "medium", "large"] = "medium"
    margin: Annotated[int, Field(ge=0, le=2000)] = 24
    """Pixels between the indicator and the screen's edges."""


class UiSection(Section):
    """What the clinician sees of the daemon on the desktop."""

    overlay: OverlaySection = OverlaySection()


class EditingSection(Section):
    """Editing by voice what the daemon typed into a field (desktop typing; editors on the socket get the commands)."""

    voice_commands: bool = False
    """``select <words>``, ``correct that``, ``cap that``, ``all caps that``, ``no caps that``, each said as a
    command of its own. Off by default: the embedded engine is prompted with every command's words, and
    these five cost accuracy on ordinary dictation (trust set, slt voice: medical term recall 58.5% → 53.7%,
    WER 24.8% → 28.8%)."""


EDITING_COMMANDS = (
    CommandDefinition(id="select_words", phrases=["select {words}"],
                      variables=[CommandVariable(key="words", type="wildcard")]),
    CommandDefinition(id="correct_that", phrases=["correct that"]),
    CommandDefinition(id="cap_that", phrases=["cap that"]),
    CommandDefinition(id="all_caps_that", phrases=["all caps that"]),
    CommandDefinition(id="no_caps_that", phrases=["no caps that"]),
)
NEXT_BLANK = CommandDefinition(id="next_blank", phrases=["next blank"])
AUTOTEXT_PREFIX = "autotext:"
"""An auto-text's command id is this and its id."""


class Autotext(Section):
    """A text inserted by voice, with blanks the next dictations fill."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,50}$")]
    phrases: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(min_length=1, max_length=20)]
    """What the clinician says to insert it, e.g. ``insert normal exam``."""
    text: Annotated[str, Field(min_length=1, max_length=10000)]


class AutotextsSection(Section):
    """Auto-texts ("insert normal exam"): inserted like dictation, the first blank selected."""

    blank: Literal["***", "[ ]"] = "***"
    """What marks a blank in a text: ``***`` (as Epic's SmartPhrases) or ``[ ]`` (as Dragon's fields)."""
    texts: Annotated[list[Autotext], Field(max_length=500)] = []

    @field_validator("texts")
    @classmethod
    def _ids_are_unique(cls, texts: list[Autotext]) -> list[Autotext]:
        ids = [text.id for text in texts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"auto-text ids must be unique: {sorted({i for i in ids if ids.count(i) > 1})}")
        return texts

    def find(self, command_id: str) -> Autotext | None:
        """The auto-text a command id names, if any."""
        if not command_id.startswith(AUTOTEXT_PREFIX):
            return None
        return next((text for text in self.texts if text.id == command_id[len(AUTOTEXT_PREFIX):]), None)

    def commands(self) -> list[CommandDefinition]:
        """One command per auto-text, and ``next blank`` when there are any."""
        if not self.texts:
            return []
        return [*(CommandDefinition(id=AUTOTEXT_PREFIX + text.id, phrases=list(text.phrases)) for text in self.texts),
                NEXT_BLANK]


class DaemonConfig(Section):
    """The whole file. Every section is optional; missing ones take their defaults."""

    backend: BackendSection = BackendSection()
    transcription: TranscriptionSection = TranscriptionSection()
    engine: EngineSection = EngineSection()
    server: ServerSection = ServerSection()
    logging: LoggingSection = LoggingSection()
    audio: AudioSection = AudioSection()
    hotkeys: HotkeysSection = HotkeysSection()
    plugins: PluginsSection = PluginsSection()
    history: HistorySection = HistorySection()
    rpc: RpcSection = RpcSection()
    editing: EditingSection = EditingSection()
    autotexts: AutotextsSection = AutotextsSection()
    ui: UiSection = UiSection()

    def session_config(self) -> TranscribeConfig:
        """The daemon's sessions: the transcription settings, with the commands of editing by voice and of
        the auto-texts added (a command of the same id in ``transcription.commands`` wins)."""
        config = self.transcription.to_transcribe_config()
        own = {command.id for command in config.commands or []}
        added = [*(EDITING_COMMANDS if self.editing.voice_commands else ()), *self.autotexts.commands()]
        extra = [command for command in added if command.id not in own]
        if not extra:
            return config
        return config.model_copy(update={"commands": [*(config.commands or []), *extra]})
