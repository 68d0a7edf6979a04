"""Engagement attributes (SDEs) in App Engagement's Create Session and Update Session: every kind of [EAT] accepted
in its documented shape (the docs' own examples), the docs' leniencies, and bad ones refused naming item and field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.lp_client import LpClient
from tests.contract.test_app_engagement import assert_unwrapped_error

# The JSON examples of LivePerson's "Types of Engagement Attributes" (types.md), comments and stray text dropped.
DOC_EXAMPLES: dict[str, dict[str, Any]] = {
    "cart": {
        "type": "cart",
        "total": 11.7,
        "currency": "USD",
        "numItems": 6,
        "products": [{"product": {"name": "prod1", "category": "category", "sku": "sku", "price": 7.8}, "quantity": 1}],
    },
    "purchase": {
        "type": "purchase",
        "total": 11.7,
        "currency": "USD",
        "orderId": "DRV1534XC",
        "cart": {
            "products": [
                {
                    "product": {"name": "antivirus pro plan", "category": "software", "sku": "xyz001", "price": 7.8},
                    "quantity": 3,
                }
            ]
        },
    },
    "prodView": {
        "type": "prodView",
        "currency": "USD",
        "products": [
            {"product": {"name": "red high heel shoe", "category": "women shoes", "sku": "xyz567", "price": 77.8}}
        ],
    },
    "ctmrinfo": {
        "type": "ctmrinfo",
        "info": {
            "cstatus": "cancelled",
            "ctype": "vip",
            "customerId": "138766AC",
            "balance": -400.99,
            "currency": "USD",
            "socialId": "11256324780",
            "imei": "3543546543545688",
            "userName": "user000",
            "companySize": 500,
            "accountName": "bank corp",
            "role": "broker",
            "lastPaymentDate": {"day": 15, "month": 10, "year": 2014},
            "registrationDate": {"day": 23, "month": 5, "year": 2013},
            "storeNumber": "123865",
            "storeZipCode": "20505",
        },
    },
    "mrktInfo": {
        "type": "mrktInfo",
        "info": {"channel": "1", "affiliate": "Yahoo", "campaignId": "US coupon campaign"},
    },
    "personal": {
        "type": "personal",
        "personal": {
            "firstname": "John",
            "lastname": "Doe",
            "age": {"age": 34, "year": 1980, "month": 4, "day": 15},
            "contacts": [{"email": "myname@example.com", "phone": "+1 212-788-8877"}],
            "gender": "MALE",
            "language": "en-US",
            "company": "company",
        },
    },
    "lead": {
        "type": "lead",
        "lead": {"topic": "luxury car test drive 2015", "value": 22.22, "currency": "USD", "leadId": "xyz123"},
    },
    "service": {
        "type": "service",
        "service": {"topic": "order checkbook", "status": 0, "category": "finance", "serviceId": "service12"},
    },
    "error": {
        "type": "error",
        "error": {
            "contextId": "Credit card application",
            "message": "Expiration date missing",
            "code": "er100004",
            "level": 10,
            "resolved": False,
        },
    },
    "searchInfo": {"type": "searchInfo", "keywords": ["Reset password"]},
}

# The SDE of the Create Session and Update Session pages' body examples ([AE]): `age` 30.0, a float.
SESSION_PAGE_EXAMPLE = {
    "type": "personal",
    "personal": {
        "contacts": [{"email": "sarah@gmail.com", "phone": "0987653"}],
        "age": {"age": 30.0, "year": 1986, "month": 7, "day": 22},
        "firstname": "Sarah",
        "lastname": "West",
        "gender": "FEMALE",
        "company": "liveperson",
    },
}

# Where the docs' tables and examples disagree, both are accepted (each marked `assumed:` in sandbox/attributes.py).
LENIENCIES = [
    {"type": "personal", "personal": {"gender": 1}},  # the table: an integer, 0 MALE, 1 FEMALE, 2 OTHER
    {"type": "personal", "personal": {"gender": "2", "age": {"year": "1969"}}},  # the table's example: "1969"
    {"type": "mrktInfo", "info": {"channel": 4, "Affiliate": "Yahoo", "campaignID": "camp12"}},  # the table's names
    {"type": "purchase", "cart": {"Products": [{"product": {"name": "p"}}], "numItems": 1}},  # the table's name
    {"type": "ctmrinfo", "info": {"socialId": 11256324780, "lastPaymentDate": {"day": 15, "month": 10}}},
    {"type": "ctmrinfo", "info": {"cstatus": None, "balance": None, "imei": ""}},  # nulls, as clients send them
    {"type": "service", "service": {"status": 13}},  # 10 to 13 are in the Engagement Attributes API's list
    {"type": "cart", "total": "11.7", "numItems": "6"},  # numbers as strings
    {"type": "lead"},  # only `type` is mandatory
]


def new_session(lp: LpClient, account: str) -> dict[str, Any]:
    response = lp.create_session(account)
    assert response.status_code == 200, response.text
    session: dict[str, Any] = response.json()
    return session


def recorded_attributes(lp: LpClient, account: str) -> list[dict[str, Any]]:
    [session] = lp.state(account)["engagementSessions"]
    attributes: list[dict[str, Any]] = session["engagement_attributes"]
    return attributes


@pytest.mark.parametrize("kind", DOC_EXAMPLES)
def test_each_kind_is_accepted_in_its_documented_shape_by_create_and_update_session(lp: LpClient, kind: str) -> None:
    account = lp.new_account()
    created = lp.create_session(account, engagementAttributes=[DOC_EXAMPLES[kind]])
    assert created.status_code == 200, created.text
    updated = lp.update_session(account, created.json(), engagementAttributes=[DOC_EXAMPLES[kind]])
    assert (updated.status_code, updated.content) == (200, b""), updated.text
    assert recorded_attributes(lp, account) == [DOC_EXAMPLES[kind]] * 2  # as received, in order


def test_the_session_pages_examples_and_all_kinds_at_once(lp: LpClient) -> None:
    account = lp.new_account()
    session = lp.create_session(account, engagementAttributes=[SESSION_PAGE_EXAMPLE]).json()
    everything = list(DOC_EXAMPLES.values())
    assert lp.update_session(account, session, engagementAttributes=everything).status_code == 200
    assert recorded_attributes(lp, account) == [SESSION_PAGE_EXAMPLE, *everything]


@pytest.mark.parametrize("attribute", LENIENCIES, ids=lambda attribute: attribute["type"])
def test_as_lenient_as_the_docs_examples(lp: LpClient, attribute: dict[str, Any]) -> None:
    account = lp.new_account()
    response = lp.update_session(account, new_session(lp, account), engagementAttributes=[attribute])
    assert response.status_code == 200, response.text
    assert recorded_attributes(lp, account) == [attribute]  # kept as sent


BAD = [  # (the attribute, what the message names after `engagementAttributes[1]`)
    ({"type": "cart", "total": 11.7}, " (cart): numItems: Field required"),
    ({"type": "cart", "total": "a lot", "numItems": 1}, " (cart): total: Input should be a valid number"),
    ({"type": "ctmrinfo", "info": {"companySize": "many"}}, " (ctmrinfo): info.companySize: Input should be a valid"),
    ({"type": "ctmrinfo", "customerId": "c-1"}, " (ctmrinfo): customerId: unknown field"),
    ({"type": "ctmrinfo", "info": {"customerID": "c-1"}}, " (ctmrinfo): info.customerID: unknown field"),
    (
        {"type": "ctmrinfo", "info": {"registrationDate": "2013-05-23"}},
        " (ctmrinfo): info.registrationDate: Input should be an object",
    ),
    ({"type": "personal", "personal": {"gender": "M"}}, " (personal): personal.gender: "),
    ({"type": "personal", "personal": {"contacts": [{}, {"phoneType": "CELL"}]}}, " (personal): personal.contacts[1]"),
    ({"type": "personal", "personal": {"age": {"age": 30.5}}}, " (personal): personal.age.age: "),
    ({"type": "purchase", "cart": {"numItems": 1}}, " (purchase): cart.products: Field required"),
    ({"type": "prodView", "products": [{"quantity": 1}]}, " (prodView): products[0].product: Field required"),
    ({"type": "lead", "lead": {"value": "lots"}}, " (lead): lead.value: "),
    ({"type": "service", "service": {"status": 14}}, " (service): service.status: "),
    ({"type": "mrktInfo", "info": {"channel": 5}}, " (mrktInfo): info.channel: "),
    ({"type": "error", "error": {"resolved": "maybe"}}, " (error): error.resolved: "),
    ({"type": "error", "error": {"code": 100004}}, " (error): error.code: Input should be a valid string"),
    ({"type": "searchInfo", "keywords": "reset password"}, " (searchInfo): keywords: "),
    ({"type": "impDisplay", "engId": 1}, ": type: 'impDisplay' is not one of ctmrinfo, personal, cart"),
    ({"type": ["cart"], "total": 1, "numItems": 1}, ": type: ['cart'] is not one of ctmrinfo"),
    ({"info": {}}, ": type: missing"),
    ("ctmrinfo", ": not an object"),
]


@pytest.mark.parametrize(("attribute", "named"), BAD, ids=[named.split(":")[0].strip() or "-" for _, named in BAD])
def test_a_bad_attribute_is_refused_naming_the_item_and_the_field(lp: LpClient, attribute: Any, named: str) -> None:
    account = lp.new_account()
    session = new_session(lp, account)
    attributes = [DOC_EXAMPLES["lead"], attribute]
    for response in (
        lp.create_session(account, engagementAttributes=attributes),
        lp.update_session(account, session, engagementAttributes=attributes),
        lp.update_session(account, session, engagementAttributes=attributes, impAttributes=[]),
    ):
        error = assert_unwrapped_error(response, 400)
        assert error["internalCode"] == 1
        assert error["message"].startswith("Bad engagement attribute: engagementAttributes[1]" + named), error
    [recorded] = lp.state(account)["engagementSessions"]  # no new session, nothing of the refused bodies kept
    assert (recorded["engagement_attributes"], recorded["imp_attributes"]) == ([], [])


def test_every_bad_item_and_field_is_named(lp: LpClient) -> None:
    account = lp.new_account()
    attributes = [{"type": "cart"}, DOC_EXAMPLES["lead"], {"type": "lead", "lead": {"leadId": 7}}]
    error = assert_unwrapped_error(lp.create_session(account, engagementAttributes=attributes), 400)
    assert error["message"] == (
        "Bad engagement attribute: engagementAttributes[0] (cart): total: Field required; "
        "numItems: Field required; engagementAttributes[2] (lead): lead.leadId: Input should be a valid string"
    )


def test_the_console_shows_the_attributes_of_the_chats_engagement_session(lp: LpClient) -> None:
    account = lp.new_account(agent_mode="console")
    session = lp.create_session(account, engagementAttributes=[DOC_EXAMPLES["ctmrinfo"]]).json()
    other = new_session(lp, account)
    lp.update_session(account, other, engagementAttributes=[DOC_EXAMPLES["lead"]])
    ids = {"LETagVisitorId": session["visitorId"], "LETagSessionId": session["sessionId"]}
    chat_url = lp.request_chat(account, engagementId=27469613, **ids)
    later = [{"type": "personal", "personal": {"firstname": "Dana", "gender": 1}}, DOC_EXAMPLES["mrktInfo"]]
    lp.update_session(account, session, engagementAttributes=later)  # after the request: shown too

    shown = lp.console(chat_url).json()
    assert shown["engagementSession"] == {"visitorId": session["visitorId"], "sessionId": session["sessionId"]}
    assert shown["engagementId"] == 27469613
    customer, personal, marketing = shown["engagementAttributes"]
    assert (customer["type"], customer["kind"]) == ("ctmrinfo", "Customer info")
    assert customer["fields"][:3] == [
        {"name": "ctype", "value": "vip"},
        {"name": "cstatus", "value": "cancelled"},
        {"name": "balance", "value": "-400.99"},
    ]
    assert {"name": "lastPaymentDate", "value": "2014-10-15"} in customer["fields"]
    assert personal == {
        "type": "personal",
        "kind": "Personal info",
        "fields": [{"name": "firstname", "value": "Dana"}, {"name": "gender", "value": "FEMALE"}],
    }
    assert marketing == {
        "type": "mrktInfo",
        "kind": "Marketing source",
        "fields": [
            {"name": "channel", "value": "1 (Search)"},
            {"name": "affiliate", "value": "Yahoo"},
            {"name": "campaignId", "value": "US coupon campaign"},
        ],
    }
    [in_state] = lp.state(account)["chats"]
    assert in_state["engagementAttributes"] == shown["engagementAttributes"]
    assert in_state["engagementSession"] == shown["engagementSession"]


def test_readable_fields_of_nested_lists_dates_and_enumerations(lp: LpClient) -> None:
    account = lp.new_account(agent_mode="console")
    session = lp.create_session(account, engagementAttributes=[SESSION_PAGE_EXAMPLE, DOC_EXAMPLES["cart"]]).json()
    service = {"type": "service", "service": {"status": "10"}}
    lp.update_session(account, session, engagementAttributes=[service, DOC_EXAMPLES["searchInfo"]])
    chat_url = lp.request_chat(account, LETagVisitorId=session["visitorId"], LETagSessionId=session["sessionId"])
    personal, cart, status, search = (a["fields"] for a in lp.console(chat_url).json()["engagementAttributes"])
    assert personal[2:5] == [  # in the order of LivePerson's table
        {"name": "age", "value": "30, born 1986-07-22"},
        {"name": "contacts[0].email", "value": "sarah@gmail.com"},
        {"name": "contacts[0].phone", "value": "0987653"},
    ]
    assert {"name": "products[0].product.price", "value": "7.8"} in cart
    assert status == [{"name": "status", "value": "10 (Waiting for Customer Response)"}]
    assert search == [{"name": "keywords", "value": "Reset password"}]


@pytest.mark.parametrize(
    "ids",
    [{"LETagSessionId": None, "LETagVisitorId": None}, {"LETagSessionId": "theirs"}, {"LETagVisitorId": "another"}],
)
def test_a_chat_of_no_session_of_ours_shows_none(lp: LpClient, ids: dict[str, str | None]) -> None:
    account = lp.new_account(agent_mode="console")
    session = lp.create_session(account, engagementAttributes=[DOC_EXAMPLES["lead"]]).json()
    named = {"LETagVisitorId": session["visitorId"], "LETagSessionId": session["sessionId"], **ids}
    shown = lp.console(lp.request_chat(account, **named)).json()
    assert (shown["engagementSession"], shown["engagementAttributes"]) == (None, [])
