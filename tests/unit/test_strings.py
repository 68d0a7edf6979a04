"""The string catalog: every key the code names exists, and wait estimates read naturally."""

import re
from pathlib import Path

from window.state import ChatState, Phase, notice_for
from window.strings import EN, text, wait_phrase

ROOT = Path(__file__).resolve().parents[2]


def test_wait_estimates_read_naturally() -> None:
    assert wait_phrase(0) == "any moment now"
    assert wait_phrase(45) == "less than a minute"
    assert wait_phrase(150) == "about 2 minutes"
    assert text("waiting_eta", wait=wait_phrase(150)).startswith("Waiting for an agent: about 2 minutes.")


def test_every_notice_the_window_can_show_is_in_the_catalog() -> None:
    code = "".join((ROOT / "window" / name).read_text() for name in ("state.py", "session.py", "app.py", "view.py"))
    literals = set(re.findall(r'notice="([a-z_]+)"', code)) | set(re.findall(r'Phase\.[A-Z]+, "([a-z_]+)"\)', code))
    literals |= set(re.findall(r'(?:show_fatal\(|return )"([a-z_]+)"', code))
    assert {
        "still_reconnecting",
        "gone",
        "reconnecting",
        "resuming",
        "error_config",
        "ended",
        "chatting",
        "waiting_eta",
    } <= literals
    assert literals <= set(EN), literals - set(EN)
    notices = {notice_for(ChatState(phase=phase)) for phase in Phase}
    assert notices <= set(EN), notices - set(EN)
