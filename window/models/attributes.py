"""Engagement attributes (SDEs) [EAT]: one model per kind, a union discriminated on `type`.

Where the payload sits varies by kind (`info`, `personal`, `lead`, … or flat beside `type`); each model mirrors
LivePerson's table: `type` is always mandatory, other fields only where the table marks them so.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Literal

from pydantic import AliasChoices, BeforeValidator, Field

from window.models import Payload


class DayMonthYear(Payload):
    day: int | None = Field(default=None, ge=1, le=31)
    month: int | None = Field(default=None, ge=1, le=12)
    year: int | None = None


class CustomerInfo(Payload):
    ctype: str | None = None  # case-insensitive tier, e.g. "vip"
    cstatus: str | None = None  # case-insensitive lifecycle status
    balance: float | None = None
    currency: str | None = None
    customer_id: str | None = Field(default=None, alias="customerId")
    social_id: str | None = Field(default=None, alias="socialId")
    imei: str | None = None
    user_name: str | None = Field(default=None, alias="userName")
    company_size: int | None = Field(default=None, alias="companySize")
    company_branch: str | None = Field(default=None, alias="companyBranch")
    account_name: str | None = Field(default=None, alias="accountName")
    role: str | None = None
    last_payment_date: DayMonthYear | None = Field(default=None, alias="lastPaymentDate")
    registration_date: DayMonthYear | None = Field(default=None, alias="registrationDate")
    login_status: int | None = Field(default=None, alias="loginStatus")
    store_zip_code: str | None = Field(default=None, alias="storeZipCode")  # not in the authenticated flow
    store_number: str | None = Field(default=None, alias="storeNumber")  # not in the authenticated flow


class CustomerInfoSde(Payload):
    type: Literal["ctmrinfo"] = "ctmrinfo"
    info: CustomerInfo


class Age(Payload):
    age: int | None = None  # computed from year/month/day when absent
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)


class Address(Payload):
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None


PhoneType = Literal["HOME", "MOBILE", "WORK", "FAX", "MAIN", "HOME_FAX", "WORK_FAX", "PAGER", "OTHER"]


class Contact(Payload):
    email: str | None = None
    phone: str | None = None
    phone_type: PhoneType | None = Field(default=None, alias="phoneType")
    address: Address | None = None


_GENDERS = ("MALE", "FEMALE", "OTHER")


def _gender_name(value: object) -> object:
    # The table says int 0/1/2, every example sends the name; assumed: accept both, send the name.
    if isinstance(value, int) and 0 <= value < len(_GENDERS):
        return _GENDERS[value]
    if isinstance(value, str) and value.isdigit() and int(value) < len(_GENDERS):
        return _GENDERS[int(value)]
    return value


class Personal(Payload):
    firstname: str | None = None
    lastname: str | None = None
    age: Age | None = None
    contacts: list[Contact] | None = None
    gender: Annotated[Literal["MALE", "FEMALE", "OTHER"], BeforeValidator(_gender_name)] | None = None
    company: str | None = None
    language: str | None = None  # e.g. "en-US"


class PersonalSde(Payload):
    type: Literal["personal"] = "personal"
    personal: Personal


class Product(Payload):
    name: str | None = None
    category: str | None = None
    sku: str | None = None
    price: float | None = None


class ProductItem(Payload):
    product: Product
    quantity: int | None = None


class CartSde(Payload):
    type: Literal["cart"] = "cart"
    total: float
    currency: str | None = None
    num_items: int = Field(alias="numItems")
    products: list[ProductItem] | None = None


class PurchaseCart(Payload):
    products: list[ProductItem]
    num_items: int | None = Field(default=None, alias="numItems")


class PurchaseSde(Payload):
    type: Literal["purchase"] = "purchase"
    total: float | None = None
    currency: str | None = None
    order_id: str | None = Field(default=None, alias="orderId")
    cart: PurchaseCart | None = None


class ProductViewSde(Payload):
    type: Literal["prodView"] = "prodView"
    currency: str | None = None
    products: list[ProductItem] | None = None


class Lead(Payload):
    topic: str | None = None
    value: float | None = None
    currency: str | None = None
    lead_id: str | None = Field(default=None, alias="leadId")


class LeadSde(Payload):
    type: Literal["lead"] = "lead"
    lead: Lead | None = None


class ServiceStatus(IntEnum):
    COMPLETE = 0
    IN_PROGRESS = 1
    APPROVED = 2
    CANCELLED = 3
    NOT_APPROVED = 4
    REVIEWED = 5
    MISSING_DETAILS = 6
    CLOSED = 7
    REMOVED = 8
    ASSIGNED = 9
    WAITING_FOR_CUSTOMER_RESPONSE = 10
    WAITING_FOR_RESPONSE = 11
    PENDING = 12
    RESOLVED = 13


class Service(Payload):
    topic: str | None = None
    status: ServiceStatus | None = None
    category: str | None = None
    service_id: str | None = Field(default=None, alias="serviceId")


class ServiceSde(Payload):
    type: Literal["service"] = "service"
    service: Service | None = None


class MarketingChannel(IntEnum):
    DIRECT = 0
    SEARCH = 1
    SOCIAL = 2
    EMAIL = 3
    REFERRAL = 4


class MarketingInfo(Payload):
    channel: MarketingChannel | None = None
    affiliate: str | None = None
    # The table spells `campaignID`, the example `campaignId`; assumed: accept both, send the example's.
    campaign_id: str | None = Field(
        default=None, validation_alias=AliasChoices("campaignId", "campaignID"), alias="campaignId"
    )


class MarketingInfoSde(Payload):
    type: Literal["mrktInfo"] = "mrktInfo"
    info: MarketingInfo | None = None


class VisitorError(Payload):
    context_id: str | None = Field(default=None, alias="contextId")
    message: str | None = None
    code: str | None = None
    level: int | None = None
    resolved: bool | None = None


class VisitorErrorSde(Payload):
    type: Literal["error"] = "error"
    error: VisitorError | None = None


class SearchInfoSde(Payload):
    type: Literal["searchInfo"] = "searchInfo"
    keywords: list[str] | None = None


EngagementAttribute = Annotated[
    CustomerInfoSde
    | PersonalSde
    | CartSde
    | PurchaseSde
    | ProductViewSde
    | LeadSde
    | ServiceSde
    | MarketingInfoSde
    | VisitorErrorSde
    | SearchInfoSde,
    Field(discriminator="type"),
]
