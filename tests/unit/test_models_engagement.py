"""App Engagement payloads: create/update session requests, the reply, impression (funnel) events."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from window.models.attributes import CartSde
from window.models.engagement import AppDetails, CreateSessionRequest, EngagementSession, LaunchData

# [AE] methods/create-session.md reply (ids as strings, as there).
AVAILABLE = """
{"status": "Available", "sessionId": "rN82d4rATN6EuiA4cJwaPg", "visitorId": "rloXnVgEQ-iQuoOytvKNqA",
 "pageId": "2937154651", "engagementDetails": {"campaignId": "26948813", "engagementId": "27469613",
 "contextId": "1", "windowId": "1031531", "language": "en-US", "engagementRevision": "13",
 "validForSeconds": 900, "skillId": "25975313", "skillName": "Sales"}}
"""


def test_available_reply_gives_ids_and_engagement_details() -> None:
    session = EngagementSession.model_validate_json(AVAILABLE)
    assert session.available
    assert (session.session_id, session.visitor_id, session.page_id) == (
        "rN82d4rATN6EuiA4cJwaPg",
        "rloXnVgEQ-iQuoOytvKNqA",
        "2937154651",
    )
    details = session.engagement_details
    assert details is not None
    assert (details.campaign_id, details.engagement_id, details.context_id, details.window_id) == (
        26948813,
        27469613,
        1,
        1031531,
    )
    assert (details.engagement_revision, details.valid_for_seconds, details.skill_name) == (13, 900, "Sales")
    assert details.connector_id is None


def test_not_available_reply_has_no_details() -> None:
    session = EngagementSession.model_validate(
        {"status": "NotAvailable", "sessionId": "S", "visitorId": "V", "pageId": 42, "extra": 1}
    )
    assert not session.available
    assert session.page_id == "42"
    assert session.engagement_details is None


def test_authenticated_engagement_carries_the_connector_id() -> None:
    session = EngagementSession.model_validate_json(
        AVAILABLE.replace('"Sales"}', '"Sales", "connectorId": 2149421312}')
    )
    assert session.engagement_details is not None
    assert session.engagement_details.connector_id == 2149421312


def test_reply_without_session_id_is_invalid() -> None:
    with pytest.raises(ValidationError):
        EngagementSession.model_validate({"status": "Available", "visitorId": "V"})


def test_create_session_request_defaults_to_external_and_omits_unset() -> None:
    assert CreateSessionRequest().wire() == {"appType": "EXTERNAL"}
    full = CreateSessionRequest(
        app_details=AppDetails(os="LINUX", device_family="DESKTOP", app_version="1.0"),
        consumer_sections=["support", "billing"],
        engagement_attributes=[CartSde(total=11.7, num_items=6, currency="USD").wire()],
    )
    assert full.wire() == {
        "appType": "EXTERNAL",
        "appDetails": {"os": "LINUX", "appVersion": "1.0", "deviceFamily": "DESKTOP"},
        "consumerSections": ["support", "billing"],
        "engagementAttributes": [{"type": "cart", "total": 11.7, "currency": "USD", "numItems": 6}],
    }


@pytest.mark.parametrize("details", [{"os": "BEOS"}, {"deviceFamily": "WATCH"}])
def test_app_details_enums_are_checked(details: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        AppDetails.model_validate(details)


def test_launch_data_are_the_engagement_in_the_tags_keys() -> None:
    launch = LaunchData.model_validate(
        {"svid": "rloXnVgEQ-iQuoOytvKNqA", "ssid": "rN82d4rATN6EuiA4cJwaPg", "scid": "2", "eid": "27469613",
         "cid": 26948813, "lang": "en-US", "skill": "sales", "pid": "2937154651", "rev": 3, "more": "ignored"}
    )  # fmt: skip
    session = launch.session()
    assert session.available and (session.visitor_id, session.session_id) == (launch.svid, launch.ssid)
    details = session.engagement_details
    assert details is not None
    assert (details.context_id, details.engagement_id, details.campaign_id) == (2, 27469613, 26948813)
    assert (details.skill_name, details.language, details.engagement_revision) == ("sales", "en-US", 3)


@pytest.mark.parametrize(
    "bad",
    [
        {"svid": ""},
        {"svid": "<script>"},
        {"ssid": "s" * 101},
        {"lang": "en US; drop"},
        {"lang": "en" + "-abcdefgh" * 100},
        {"scid": None},
        {"eid": "<img src=x onerror=alert(1)>"},
        {"cid": "c" * 101},
        {"scid": -1},
        {"rev": 2**53},
        {"conn": "2006 OR 1=1"},
        {"validFor": -1},
        {"attributes": [{"type": "ctmrinfo"}] * 51},
    ],
)
def test_launch_data_that_do_not_fit_are_refused(bad: dict[str, object]) -> None:
    good = {"svid": "V", "ssid": "S", "scid": 2, "eid": 3, "cid": 4}
    with pytest.raises(ValidationError):
        LaunchData.model_validate(good | bad)
