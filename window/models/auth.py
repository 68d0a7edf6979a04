"""Consumer authentication [SCA] step 6: `conversation.json` trades the consumer's login for the two ids a chat
request then carries. Loaded only when an engagement asks for a signed-in consumer."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from window.models import Id, Payload


class AuthRequest(Payload):
    auth_chat_conn_id: Id = Field(alias="authChatConnId")  # the engagement's connectorId
    sso_key: str = Field(alias="ssoKey")  # the OAuth 2.0 code or the id_token JWT (never chat/request's ssoKey)
    redirect_uri: str | None = Field(default=None, alias="redirectUri")
    engagement_id: Id = Field(alias="engagementId")
    le_tag_context_id: Id | None = Field(default=None, alias="LETagContextId")
    le_tag_session_id: str | None = Field(default=None, alias="LETagSessionId")
    le_tag_visitor_id: str | None = Field(default=None, alias="LETagVisitorId")


class AuthReply(Payload):
    """Both ids go into the chat request (`participantId`, `conversationId`)."""

    participant_id: str = Field(alias="participantId")
    conversation_id: str = Field(alias="conversationId")


class ProviderMetadata(Payload):
    """What a sign-in needs of the brand's OpenID provider's discovery document
    (`{issuer}/.well-known/openid-configuration`)."""

    issuer: str
    # Where the window sends the consumer (its page or a popup): a web address, never a script's (OpenID Connect
    # Discovery wants https; http is let through for a provider on the developer's machine).
    authorization_endpoint: Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2000)]
