"""Agent lines the consumer has not seen: counted while the window is out of sight (its tab hidden, or the brand
page's panel closed), told to whoever shows the count (the page title when the window is a page of its own, the
brand's page through the bridge when embedded), with an opt-in short tone; cleared once the consumer looks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js

from window.events import listen
from window.state import ChatState
from window.strings import text

TONE_HZ = (660, 880)  # two short notes, rising: noticeable, not alarming
TONE_SECONDS = 0.12


class Attention:
    def __init__(self, sound: bool) -> None:
        self.unread = 0
        self.listeners: list[Callable[[int], None]] = []
        self._seen: set[str] | None = None  # line keys; None until the first state (lines already there are not new)
        self._panel_hidden = False
        self._audio: Any = None
        self._sound = sound
        listen(js.document, "visibilitychange", lambda _: None if js.document.hidden else self.seen())
        listen(js.window, "focus", lambda _: self.seen())
        if sound:  # browsers let a page make sound only after the consumer did something in it
            listen(js.document, "pointerdown", self._prime)
            listen(js.document, "keydown", self._prime)

    def observe(self, state: ChatState) -> None:
        keys = {line.key for line in state.lines if line.event_id is not None}
        if self._seen is None:
            self._seen = keys
            return
        fresh = [line for line in state.lines if line.key not in self._seen and line.event_id is not None]
        self._seen |= keys
        arrived = sum(1 for line in fresh if line.source == "agent")
        if arrived and self.out_of_sight():
            self.unread += arrived
            self._tell()
            self._tone()

    def out_of_sight(self) -> bool:
        return bool(js.document.hidden) or self._panel_hidden

    def panel(self, hidden: bool) -> None:
        """The brand's page showed or hid the panel the window is in."""
        self._panel_hidden = hidden
        if not hidden:
            self.seen()

    def seen(self) -> None:
        if self.unread and not self.out_of_sight():
            self.unread = 0
            self._tell()

    def _tell(self) -> None:
        for listener in self.listeners:
            listener(self.unread)

    def _prime(self, _: Any) -> None:
        if self._audio is None:
            self._audio = js.AudioContext.new()
        elif self._audio.state == "suspended":
            self._audio.resume()

    def _tone(self) -> None:
        if not self._sound or self._audio is None or self._audio.state != "running":
            return
        now = self._audio.currentTime
        for index, frequency in enumerate(TONE_HZ):
            oscillator, volume = self._audio.createOscillator(), self._audio.createGain()
            oscillator.frequency.value = frequency
            start = now + index * TONE_SECONDS
            volume.gain.setValueAtTime(0.08, start)
            volume.gain.exponentialRampToValueAtTime(0.0001, start + TONE_SECONDS)
            oscillator.connect(volume).connect(self._audio.destination)
            oscillator.start(start)
            oscillator.stop(start + TONE_SECONDS)


def in_title(title: str, unread: int) -> str:
    """The page's title with the count in front while there is one, as mail and chat apps do."""
    return text("unread_title", count=str(unread), title=title) if unread else title
