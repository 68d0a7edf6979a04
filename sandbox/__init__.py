"""A local, faithful stand-in of the LivePerson services the chat window calls (see docs/sandbox.md)."""

from sandbox.clock import ServerClock, SystemClock, VirtualClock
from sandbox.config import AccountSettings, SandboxConfig, SandboxHosts
from sandbox.service import create_app

__all__ = [
    "AccountSettings",
    "SandboxConfig",
    "SandboxHosts",
    "ServerClock",
    "SystemClock",
    "VirtualClock",
    "create_app",
]
