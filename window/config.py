"""The window's configuration: one JSON document (`config.json` beside index.html), validated here.

Pointing the window at LivePerson instead of the sandbox is a matter of `csds_url`, `account_id` and `app_key`;
the window never knows which one it talks to.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, JsonValue, ValidationError

from window.models.engagement import MAX_ATTRIBUTES

NonEmpty = Annotated[str, Field(min_length=1, max_length=200)]
# Lists a brand writes by hand: a few entries each, so a runaway file is said, not loaded.
Few = Field(max_length=50)
ServiceName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,39}$")]  # a CSDS service name: conversationVep
# An origin as the browser spells it: scheme, host and port only (https://www.brand.example).
Origin = Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", max_length=200)]


class AuthSettings(BaseModel):
    """Signing consumers in at the brand's OpenID provider (docs/authentication.md). Sign-in is asked for when the
    engagement names an authentication connector (`connectorId`), or always with `required`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: HttpUrl  # the provider; its discovery document names where to send the consumer
    client_id: NonEmpty  # the client of LivePerson's authentication connector
    flow: Literal["code", "implicit"] = "code"  # as the connector is configured: a code, or an id_token
    scope: NonEmpty = "openid profile email phone"
    # Where the provider sends the consumer back (registered there, exactly). Default: the window's page for a
    # redirect, static/signin.html beside it for a popup.
    redirect_uri: HttpUrl | None = None
    mode: Literal["auto", "popup", "redirect"] = "auto"  # auto: a popup when embedded (providers refuse frames)
    pkce: bool = False  # S256; off: the legacy API has no field for the verifier, so LivePerson could not redeem
    required: bool = False  # ask even when the engagement names no connector
    optional: bool = False  # offer a chat without signing in (the engagement must allow one)
    connector_id: int | None = None  # authChatConnId when the engagement names none


# A CSS value from the brand. Whether the browser takes it as a colour (or a length, a font) is checked in the page,
# where it is set as one custom property through the CSSOM (never as markup): a value it does not take is reported in
# the console and ignored, and the window's own look stays.
CssValue = Annotated[str, Field(min_length=1, max_length=120)]
# The logo: an image on the window's own site (the page's policy loads images from there only).
SitePath = Annotated[str, Field(max_length=300, pattern=r"^/?([A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class Theme(BaseModel):
    """The brand's look, without touching the stylesheet: each value becomes a CSS custom property of the window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    accent: CssValue | None = None  # the header and the buttons
    accent_text: CssValue | None = None  # text on the accent
    background: CssValue | None = None
    text: CssValue | None = None
    muted: CssValue | None = None  # secondary text: times, the status line
    agent_bubble: CssValue | None = None
    visitor_bubble: CssValue | None = None
    border: CssValue | None = None
    error: CssValue | None = None  # what went wrong: a field's error, a line not sent
    focus: CssValue | None = None  # the keyboard focus ring
    radius: CssValue | None = None  # corner radius of bubbles and fields, e.g. "4px"
    font: CssValue | None = None  # a font-family list (fonts the consumer has, or ones served with the window)
    logo: SitePath | None = None  # shown in the header beside the brand's name
    avatar: bool = True  # the agent's initials beside their name
    launcher_label: Annotated[str, Field(min_length=1, max_length=60)] | None = None  # the loader's button


class WindowConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
    # The domain-lookup (CSDS) origin; the scheme also applies to the hosts it returns (https for LivePerson).
    csds_url: HttpUrl
    # Sent in a header: printable characters, no spaces or line breaks (LivePerson's keys are hex).
    app_key: Annotated[str, Field(pattern=r"^[!-~]{1,200}$")]
    # Per-service base URLs that win over the domain lookup, e.g. a brand's reverse proxy for conversationVep.
    service_urls: Annotated[dict[ServiceName, HttpUrl], Few] = {}
    brand_name: NonEmpty | None = None  # the header's and the page's title; by default the catalog's "Chat"
    # The window's language (and the chat's when the engagement names none); else the engagement's, else the
    # browser's (window/strings.py).
    language: Language | None = None
    # The skill to chat with when the engagement names none (engagementDetails.skillName wins).
    skill: NonEmpty | None = None
    # LivePerson's web tag "sections", sent with the engagement request to pick an engagement.
    sections: Annotated[list[NonEmpty], Few] = []
    poll_interval_seconds: Annotated[float, Field(ge=0.5, le=30)] = 1.5
    interaction_timeout_seconds: Annotated[int, Field(ge=40, le=3600)] = 120
    # The pre-chat survey question (its id) whose answer is the consumer's name; by default the first text question
    # labelled "name" (LivePerson's surveys have no name type).
    visitor_name_question: NonEmpty | None = None
    # What the window says when nobody is available and the account has no offline survey.
    offline_message: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    # Engagement attributes (SDEs) to send with the engagement; each is checked by its kind's model when sent.
    engagement_attributes: Annotated[list[dict[str, JsonValue]], Field(max_length=MAX_ATTRIBUTES)] = []
    auth: AuthSettings | None = None
    theme: Theme = Theme()
    # The brand's own words for any of the window's texts, by language ("en", "he", …, or "*" for any), then by the
    # catalog's key (window/locales/en.po), e.g. {"en": {"ready": "Questions? We're here."}}.
    texts: dict[
        Annotated[str, Field(pattern=r"^([a-z]{2,3}|\*)$")], dict[NonEmpty, Annotated[str, Field(max_length=500)]]
    ] = {}
    sound: bool = False  # a short tone when an agent's line arrives and the window is hidden
    # The brand pages that may embed the window (loader.js): messages go to and come from these origins only, and
    # the served page's frame-ancestors names them.
    embed_origins: Annotated[list[Origin], Few] = []
    # How long one request may take before it is abandoned and counted as a failure (then retried).
    request_timeout_seconds: Annotated[float, Field(ge=1, le=120)] = 15

    def display_name(self) -> str:
        from window.strings import text  # the window's words, in the language it speaks

        return self.brand_name or text("brand_default")


class ConfigError(Exception):
    """A wrong or missing setting; `details` names each offending field for the site owner."""

    def __init__(self, details: list[str]) -> None:
        super().__init__("; ".join(details))
        self.details = details


def parse_config(raw: str) -> WindowConfig:
    try:
        return WindowConfig.model_validate_json(raw)
    except ValidationError as exc:
        raise ConfigError(
            [f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}" for err in exc.errors()]
        ) from None
