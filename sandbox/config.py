"""Sandbox configuration: the server-wide config and each account's switchable settings, with all defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.clock import Clock, SystemClock
from sandbox.surveys import EntryDefinition, QuestionDefinition, SurveyDefinition

# Services the CSDS lookup answers with the sandbox's own host. App Engagement is served as both `msdkgw` and `smt`
# (Decisions: service names).
CSDS_SERVICES = ("conversationVep", "msdkgw", "smt", "acCdnDomain", "agentVep")

DEFAULT_PRECHAT_SURVEY = SurveyDefinition(
    id=40216,
    header="Before we start",
    questions=[
        QuestionDefinition(
            id=40217, type="Text Field", logicId=1, order=0, mandatory=True, label="Your name", lastKnownValue=""
        ),
        QuestionDefinition(
            id=40218,
            type="Dropdown Box",
            logicId=2,
            order=1,
            mandatory=True,
            label="What is your question about?",
            entry=[
                EntryDefinition(value="billing", displayValue="Billing"),
                EntryDefinition(value="orders", displayValue="My order", showLogicId=[3]),
                EntryDefinition(value="other", displayValue="Something else"),
            ],
        ),
        QuestionDefinition(
            id=40219,
            type="Text Field",
            validationType="numeric",
            logicId=3,
            order=2,
            mandatory=True,
            label="Order number",
            lastKnownValue="",
        ),
    ],
)

DEFAULT_OFFLINE_SURVEY = SurveyDefinition(
    id=40300,
    header="Our agents are offline. Leave us a message.",
    questions=[
        QuestionDefinition(id=40301, type="Text Field", logicId=1, order=0, mandatory=True, label="Your name"),
        QuestionDefinition(
            id=40302, type="Text Field", validationType="email", logicId=2, order=1, mandatory=True, label="Email"
        ),
        QuestionDefinition(id=40303, type="Text Area", logicId=3, order=2, mandatory=True, label="Message"),
    ],
)

DEFAULT_EXIT_SURVEY = SurveyDefinition(
    id=361348,
    questions=[
        QuestionDefinition(
            id=4991315,
            type="Radio Button",
            logicId=1,
            order=0,
            label="Would you like us to email you a transcript of this chat?",
            entry=[
                EntryDefinition(value="yes", displayValue="Yes", showLogicId=[2]),
                EntryDefinition(value="no", displayValue="No"),
            ],
        ),
        QuestionDefinition(
            id=4991311,
            type="Text Field",
            validationType="email",
            logicId=2,
            order=1,
            mandatory=True,
            label="If yes, please provide your email:",
        ),
        QuestionDefinition(
            id=4991320,
            type="Radio Button (side by side)",
            logicId=3,
            order=2,
            label="How would you rate this chat?",
            entry=[EntryDefinition(value=str(n), displayValue=str(n)) for n in range(1, 6)],
        ),
    ],
)


class AccountSettings(BaseModel):
    """What a test can switch per account (PUT /sandbox/accounts/{acct}/settings, partial)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    app_keys: list[str] = ["sandbox-app-key"]
    available: bool = True
    agent_mode: Literal["scripted", "console"] = "scripted"
    agent_name: str = Field("Alex", min_length=1)
    agent_id: int = 25025413
    accept_delay_seconds: float = Field(2.0, ge=0)
    reply_delay_seconds: float = Field(1.0, ge=0)
    authenticated_engagement: bool = False
    connector_id: int = 2006
    retention_seconds: float = Field(600.0, ge=0)
    quirks: bool = False
    min_poll_interval_seconds: float | None = Field(None, gt=0)
    exit_survey: SurveyDefinition | None = DEFAULT_EXIT_SURVEY
    prechat_survey: SurveyDefinition | None = DEFAULT_PRECHAT_SURVEY
    offline_survey: SurveyDefinition | None = DEFAULT_OFFLINE_SURVEY
    # The one engagement and skill every account has.
    skill_name: str = "sales"
    skill_id: int = 1234
    engagement_id: int = 27469613
    campaign_id: int = 26948813
    context_id: int = 2
    window_id: int = 1101
    engagement_revision: int = 3
    language: str = "en-US"
    valid_for_seconds: int = 900


@dataclass(frozen=True)
class SandboxConfig:
    """Server-wide configuration, given by whoever starts the sandbox."""

    window_origins: list[str] = field(default_factory=list)  # allowed for CORS, e.g. "http://127.0.0.1:8000"
    account_defaults: AccountSettings = field(default_factory=AccountSettings)  # every new account starts so
    sweep_interval_seconds: float = 0.25  # how often idle chats are looked for
    clock: Clock = field(default_factory=SystemClock)  # tests give a VirtualClock and move time on themselves
