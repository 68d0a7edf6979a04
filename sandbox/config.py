"""Sandbox configuration: the server-wide config and each account's switchable settings, with all defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from sandbox.clock import ServerClock, SystemClock
from sandbox.sample_surveys import SAMPLE_EXIT_SURVEY, SAMPLE_OFFLINE_SURVEY, SAMPLE_PRECHAT_SURVEY
from sandbox.surveys import SurveyDefinition

# The app key printed in every Chat API page; real clients send it for every account (Decisions: app key).
DOCUMENTED_APP_KEY = "721c180b09eb463d9f3191c41762bb68"
MAX_URL_LENGTH = 2083  # pydantic's HttpUrl limit


class Setting(BaseModel):
    # No NaN or infinity (pydantic takes "Infinity" and "nan" as floats): a setting must read back as JSON.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class SkillDefinition(Setting):
    """A skill of the account: its agents take `max_chats` chats at once (None: any number)."""

    id: int
    name: str = Field(min_length=1)
    available: bool = True  # its agents are online
    max_chats: int | None = Field(None, ge=0)
    # What estimatedWaitTime answers when every slot is taken (None: -2, not enough data); availability with a
    # maxWaitTime at least this long stays true then.
    busy_wait_seconds: int | None = Field(None, ge=0)


class Say(Setting):
    action: Literal["say"] = "say"
    text: str = Field(min_length=1)
    html: bool = False


class PushUrl(Setting):
    action: Literal["push_url"] = "push_url"
    url: HttpUrl

    @field_validator("url")
    @classmethod
    def _short_enough_as_stored(cls, url: HttpUrl) -> HttpUrl:
        """pydantic limits the URL as sent (2083 characters); percent-encoding may lengthen it, and the settings read
        back must keep the limit the description gives."""
        if len(str(url)) > MAX_URL_LENGTH:
            raise ValueError(f"URL longer than {MAX_URL_LENGTH} characters once percent-encoded")
        return url


class TransferToAgent(Setting):
    action: Literal["transfer_to_agent"] = "transfer_to_agent"
    agent: str = Field(min_length=1)


class TransferToSkill(Setting):
    action: Literal["transfer_to_skill"] = "transfer_to_skill"
    skill: str = Field(min_length=1)


class TransferToAccount(Setting):
    action: Literal["transfer_to_account"] = "transfer_to_account"
    account: str = Field(min_length=1)
    skill: str = Field(min_length=1)


class End(Setting):
    action: Literal["end"] = "end"


AgentAction = Annotated[
    Say | PushUrl | TransferToAgent | TransferToSkill | TransferToAccount | End, Field(discriminator="action")
]


class AuthenticationConnector(Setting):
    """What LivePerson's authentication connector holds for the account ([AUTH] configuration): the brand's OpenID
    provider (its token endpoint and keys are discovered from the issuer, where LivePerson's form takes them one by
    one), the client LivePerson is registered as there, and the flow the `ssoKey` comes from."""

    issuer: str = Field(pattern=r"^https?://[^/?#]+")
    client_id: str = Field(min_length=1)
    client_secret: str | None = Field(None, min_length=1)  # code flow: LivePerson redeems codes with it
    flow: Literal["code", "implicit"] = "code"
    # The redirectUri values conversation.json may pass on to the token endpoint; empty: any.
    redirect_uris: list[str] = []

    @model_validator(mode="after")
    def _code_flow_has_a_secret(self) -> AuthenticationConnector:
        if self.flow == "code" and self.client_secret is None:
            raise ValueError("the code flow needs the client_secret LivePerson redeems codes with")
        return self


class AccountSettings(Setting):
    """What a test can switch per account (PUT /sandbox/accounts/{acct}/settings, partial)."""

    app_keys: list[str] = ["sandbox-app-key"]
    accept_documented_app_key: bool = True  # DOCUMENTED_APP_KEY, beside app_keys
    available: bool = True  # any agent online at all; each skill has its own switch too
    agent_mode: Literal["scripted", "console"] = "scripted"
    agent_name: str = Field("Alex", min_length=1)
    agent_id: int = 25025413
    accept_delay_seconds: float = Field(2.0, ge=0)
    reply_delay_seconds: float = Field(1.0, ge=0)
    # One action per visitor line, in place of the echo, until the list is done (docs/sandbox.md, scripted agent).
    agent_script: list[AgentAction] = []
    authenticated_engagement: bool = False
    connector_id: int = 2006
    # None: conversation.json takes any ssoKey unchecked (assumed: a sandbox convenience; LivePerson has a connector).
    authentication_connector: AuthenticationConnector | None = None
    retention_seconds: float = Field(600.0, ge=0)
    quirks: bool = False
    min_poll_interval_seconds: float | None = Field(None, gt=0)
    loading_account_calls: int = Field(0, ge=0)  # the first N create-session calls answer 500 "Loading account"
    exit_survey: SurveyDefinition | None = SAMPLE_EXIT_SURVEY
    prechat_survey: SurveyDefinition | None = None
    offline_survey: SurveyDefinition | None = SAMPLE_OFFLINE_SURVEY
    skills: list[SkillDefinition] = Field(
        [SkillDefinition(id=1234, name="sales"), SkillDefinition(id=1235, name="support")], min_length=1
    )
    # The account's one engagement, for the skill named here (default: the first skill).
    engagement_skill: str | None = None
    engagement_id: int = 27469613
    campaign_id: int = 26948813
    context_id: int = 2
    window_id: int = 1101
    engagement_revision: int = 3
    language: str = "en-US"
    valid_for_seconds: int = 900

    @model_validator(mode="after")
    def _skills_are_known(self) -> AccountSettings:
        names = [skill.name.lower() for skill in self.skills]
        if len(set(names)) != len(names) or len({skill.id for skill in self.skills}) != len(self.skills):
            raise ValueError("skill names and ids must be unique")
        if self.engagement_skill is not None and self.engagement_skill.lower() not in names:
            raise ValueError(f"engagement_skill {self.engagement_skill!r} is not one of the skills")
        return self

    def skill(self, name: str | None = None, skill_id: int | str | None = None) -> SkillDefinition | None:
        """A skill by name (any case) or id; with neither, the account's default (first) skill."""
        if name is None and skill_id is None:
            return self.skills[0]
        return next(
            (
                skill
                for skill in self.skills
                if (name is not None and skill.name.lower() == name.lower())
                or (skill_id is not None and str(skill.id) == str(skill_id))
            ),
            None,
        )

    @property
    def engaged_skill(self) -> SkillDefinition:
        skill = self.skill(self.engagement_skill)
        assert skill is not None, "validated"
        return skill


# The second account `make run` offers (docs/sandbox.md): every survey on, and a scripted agent that shows every
# agent action, one per visitor line.
DEMO_ACCOUNT_ID = "87654321"
DEMO_ACCOUNT = AccountSettings(
    prechat_survey=SAMPLE_PRECHAT_SURVEY,
    agent_script=[
        Say(
            text="<p>Here is <b>formatted</b> text and <a href='https://www.liveperson.com/'>a link</a>.</p>", html=True
        ),
        PushUrl(url=HttpUrl("https://developers.liveperson.com/")),
        TransferToAgent(agent="Sam"),
        Say(text="I have your chat now. Say anything to end it."),
        End(),
    ],
)


@dataclass(frozen=True)
class SandboxHosts:
    """The `host:port` names the sandbox answers, one per LivePerson host: a client that mixes services up fails
    here as against LivePerson, and cross-host CORS is exercised. Any other `Host` is refused (DNS rebinding)."""

    main: str  # CSDS, App Engagement (msdkgw, smt), agentVep, acCdnDomain; the console and the control API
    chat: str  # conversationVep: the Chat API

    @classmethod
    def loopback(cls, port: int) -> SandboxHosts:
        """Two names of the loopback interface the sandbox listens on."""
        return cls(main=f"127.0.0.1:{port}", chat=f"localhost:{port}")

    @property
    def all(self) -> frozenset[str]:
        return frozenset({self.main.lower(), self.chat.lower()})


@dataclass(frozen=True)
class SandboxConfig:
    """Server-wide configuration, given by whoever starts the sandbox."""

    hosts: SandboxHosts = field(default_factory=lambda: SandboxHosts.loopback(8001))
    window_origins: list[str] = field(default_factory=list)  # allowed for CORS, e.g. "http://127.0.0.1:8000"
    account_defaults: AccountSettings = field(default_factory=AccountSettings)  # every new account starts so
    # Accounts that start with settings of their own (the demo account); any other id gets account_defaults.
    accounts: dict[str, AccountSettings] = field(default_factory=lambda: {DEMO_ACCOUNT_ID: DEMO_ACCOUNT})
    sweep_interval_seconds: float = 0.25  # how often idle and overdue chats are looked for
    clock: ServerClock = field(default_factory=SystemClock)  # tests give a VirtualClock and move time on themselves
