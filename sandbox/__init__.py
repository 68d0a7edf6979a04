"""A local, faithful stand-in of the LivePerson services the chat window calls (see docs/sandbox.md)."""

from sandbox.clock import Clock, SystemClock, VirtualClock
from sandbox.config import AccountSettings, SandboxConfig, SandboxHosts
from sandbox.service import create_app

__all__ = ["AccountSettings", "Clock", "SandboxConfig", "SandboxHosts", "SystemClock", "VirtualClock", "create_app"]
