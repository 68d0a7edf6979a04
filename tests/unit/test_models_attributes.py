"""Engagement attributes (SDEs): LivePerson's examples validate, broken ones do not, the union picks by `type`."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from window.models.attributes import (
    CartSde,
    CustomerInfoSde,
    EngagementAttribute,
    LeadSde,
    MarketingChannel,
    MarketingInfoSde,
    PersonalSde,
    ProductViewSde,
    PurchaseSde,
    SearchInfoSde,
    ServiceSde,
    ServiceStatus,
    VisitorErrorSde,
)

SDES: TypeAdapter[list[EngagementAttribute]] = TypeAdapter(list[EngagementAttribute])

# [EAT] JSON examples (comments removed; the error example's missing comma restored).
CTMRINFO = {
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
}
PERSONAL = {
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
}
CART = {
    "type": "cart",
    "total": 11.7,
    "currency": "USD",
    "numItems": 6,
    "products": [{"product": {"name": "prod1", "category": "category", "sku": "sku", "price": 7.8}, "quantity": 1}],
}
PURCHASE = {
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
}
PROD_VIEW = {
    "type": "prodView",
    "currency": "USD",
    "products": [
        {"product": {"name": "red high heel shoe", "category": "women shoes", "sku": "xyz567", "price": 77.8}}
    ],
}
LEAD = {
    "type": "lead",
    "lead": {"topic": "luxury car test drive 2015", "value": 22.22, "currency": "USD", "leadId": "xyz123"},
}
SERVICE = {
    "type": "service",
    "service": {"topic": "order checkbook", "status": 0, "category": "finance", "serviceId": "service12"},
}
MRKT_INFO = {"type": "mrktInfo", "info": {"channel": "1", "affiliate": "Yahoo", "campaignId": "US coupon campaign"}}
ERROR = {
    "type": "error",
    "error": {
        "contextId": "Credit card application",
        "message": "Expiration date missing",
        "code": "er100004",
        "level": 10,
        "resolved": False,
    },
}
SEARCH = {"type": "searchInfo", "keywords": ["Reset password"]}

EXAMPLES = [CTMRINFO, PERSONAL, CART, PURCHASE, PROD_VIEW, LEAD, SERVICE, MRKT_INFO, ERROR, SEARCH]
KINDS = [
    CustomerInfoSde,
    PersonalSde,
    CartSde,
    PurchaseSde,
    ProductViewSde,
    LeadSde,
    ServiceSde,
    MarketingInfoSde,
    VisitorErrorSde,
    SearchInfoSde,
]


def test_every_documented_example_validates_as_its_kind_and_round_trips() -> None:
    parsed = SDES.validate_python(EXAMPLES)
    assert [type(sde) for sde in parsed] == KINDS
    # Serialised back, each is the documented object (mrktInfo's channel as the number the table asks for).
    back = [sde.wire() for sde in parsed]
    assert back[:7] + back[8:] == EXAMPLES[:7] + EXAMPLES[8:]
    assert back[7] == {
        "type": "mrktInfo",
        "info": {"channel": 1, "affiliate": "Yahoo", "campaignId": "US coupon campaign"},
    }


def test_typed_fields_come_out_typed() -> None:
    ctmr, personal, _, _, _, _, service, mrkt, *_ = SDES.validate_python(EXAMPLES)
    assert isinstance(ctmr, CustomerInfoSde)
    assert ctmr.info.balance == -400.99
    assert ctmr.info.last_payment_date is not None
    assert ctmr.info.last_payment_date.month == 10
    assert isinstance(service, ServiceSde)
    assert service.service is not None
    assert service.service.status is ServiceStatus.COMPLETE
    assert isinstance(mrkt, MarketingInfoSde)
    assert mrkt.info is not None
    assert mrkt.info.channel is MarketingChannel.SEARCH
    assert isinstance(personal, PersonalSde)
    assert personal.personal.contacts is not None
    assert personal.personal.contacts[0].email == "myname@example.com"


def test_gender_as_the_tables_integer_is_sent_as_the_examples_name() -> None:
    sde = PersonalSde.model_validate({"type": "personal", "personal": {"gender": 1}})
    assert sde.wire() == {"type": "personal", "personal": {"gender": "FEMALE"}}


def test_marketing_campaign_id_accepts_the_tables_spelling() -> None:
    sde = MarketingInfoSde.model_validate({"type": "mrktInfo", "info": {"campaignID": "camp12"}})
    assert sde.wire() == {"type": "mrktInfo", "info": {"campaignId": "camp12"}}


def test_built_in_python_with_python_names() -> None:
    assert CartSde(total=3.5, num_items=2).wire() == {"type": "cart", "total": 3.5, "numItems": 2}


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "cart", "total": 11.7},  # numItems mandatory
        {"type": "cart", "numItems": 6},  # total mandatory
        {"type": "cart", "total": "eleven", "numItems": 6},  # a double
        {"type": "cart", "total": 1, "numItems": 1.5},  # an integer
        {"type": "purchase", "cart": {"numItems": 2}},  # a purchase cart needs its products
        {"type": "prodView", "products": [{"quantity": 1}]},  # each item needs its product
        {"type": "ctmrinfo"},  # the payload sits under `info`
        {"type": "ctmrinfo", "info": {"companySize": "large"}},
        {"type": "ctmrinfo", "info": {"lastPaymentDate": {"day": 32, "month": 1, "year": 2020}}},
        {"type": "personal", "personal": {"contacts": [{"phoneType": "CELL"}]}},
        {"type": "personal", "personal": {"gender": "UNKNOWN"}},
        {"type": "service", "service": {"status": 14}},
        {"type": "mrktInfo", "info": {"channel": 5}},
        {"type": "error", "error": {"resolved": "maybe"}},
        {"type": "searchContent", "keywords": ["x"]},  # no such kind
        {"keywords": ["x"]},  # no type
    ],
)
def test_invalid_attributes_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        SDES.validate_python([bad])
