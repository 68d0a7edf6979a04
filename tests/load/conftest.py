"""A sandbox of its own (`python -m sandbox`, real time) for the load tests, and fresh accounts on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.servers import start_sandbox, stop_process

QUICK_AGENT = {"accept_delay_seconds": 0.3, "reply_delay_seconds": 0.1}  # short runs, many lines


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    """Its csds_url."""
    sandbox = start_sandbox([])
    yield sandbox.url
    stop_process(sandbox)


def new_account(sandbox_url: str, **settings: Any) -> str:
    account = f"load{uuid.uuid4().hex[:12]}"
    response = httpx.put(f"{sandbox_url}/sandbox/accounts/{account}/settings", json=settings)
    assert response.status_code == 200, response.text
    return account


def recorded(sandbox_url: str, account: str) -> list[dict[str, Any]]:
    """The account's chats as the sandbox recorded them."""
    chats: list[dict[str, Any]] = httpx.get(f"{sandbox_url}/sandbox/accounts/{account}/state").json()["chats"]
    return chats


def visitor_lines(chat: dict[str, Any]) -> list[str]:
    return [e["text"] for e in chat["events"] if e["@type"] == "line" and e["source"] == "visitor"]
