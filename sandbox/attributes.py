"""Engagement attributes (SDEs) as App Engagement receives them ([EAT], types.md): one model per kind, with the field
names and types of LivePerson's tables; `check` refuses a bad item naming it and its field.

The sandbox's own models (it never imports the window's). Only what a table marks mandatory is required. Where the
docs' own examples stray from their tables, both are accepted; each such leniency is marked `assumed:`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from sandbox.errors import ENGAGEMENT_BAD_REQUEST, Refusal
from sandbox.whole_numbers import whole_number


class _Part(BaseModel):
    # assumed: a field no table lists is refused (LivePerson's docs do not say), so a misspelt or misplaced one
    # (`customerID`, `info` fields sent flat) is named instead of silently lost. Any field may be null.
    # assumed: numbers may come as strings and whole floats as integers (pydantic's lax mode), as the docs' examples
    # send them (`"channel": "1"`, `"year": "1969"`, `"age": 30.0`).
    model_config = ConfigDict(extra="forbid")


class Sde(_Part):
    """One kind: `type`, then its payload, under one key (`payload_key`) or flat beside `type`."""

    kind: ClassVar[str]  # the docs' heading
    payload_key: ClassVar[str | None] = None


# --- Visitor info -------------------------------------------------------------------------------------------------
class DateBody(_Part):
    """ "3 integer fields: year, month, day" (assumed: no range checked; the docs give none)."""

    day: int | None = None
    month: int | None = None
    year: int | None = None


def _number_as_text(value: object) -> object:
    """assumed: `socialId` may be a number too: the table's example value is 2.6 (its columns are shifted), the JSON
    example sends a string."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class CustomerInfoBody(_Part):
    ctype: str | None = None  # case-insensitive
    cstatus: str | None = None  # case-insensitive
    balance: float | None = None
    currency: str | None = None
    customerId: str | None = None
    socialId: Annotated[str | None, BeforeValidator(_number_as_text)] = None
    imei: str | None = None
    userName: str | None = None
    companySize: int | None = None
    companyBranch: str | None = None
    accountName: str | None = None
    role: str | None = None
    lastPaymentDate: DateBody | None = None
    registrationDate: DateBody | None = None
    loginStatus: int | None = None
    storeZipCode: str | None = None
    storeNumber: str | None = None


class CustomerInfoAttribute(Sde):
    kind: ClassVar[str] = "Customer info"
    payload_key: ClassVar[str | None] = "info"
    type: Literal["ctmrinfo"]
    info: CustomerInfoBody | None = None


class ChannelCode(IntEnum):
    Direct = 0
    Search = 1
    Social = 2
    Email = 3
    Referral = 4


class MarketingInfoBody(_Part):
    channel: ChannelCode | None = None  # an integer; the example sends "1" (numbers as strings pass)
    # assumed: the table's example writes `Affiliate`, its name column `affiliate`; both.
    affiliate: str | None = Field(None, validation_alias=AliasChoices("affiliate", "Affiliate"))
    # assumed: the table writes `campaignID`, the example `campaignId`; both.
    campaignId: str | None = Field(None, validation_alias=AliasChoices("campaignId", "campaignID"))


class MarketingSourceAttribute(Sde):
    kind: ClassVar[str] = "Marketing source"
    payload_key: ClassVar[str | None] = "info"
    type: Literal["mrktInfo"]
    info: MarketingInfoBody | None = None


class AgeBody(_Part):
    age: int | None = None  # the examples send 30.0: a whole float passes
    year: int | None = None  # the table's example is "1969": numbers as strings pass
    month: int | None = None
    day: int | None = None


class AddressBody(_Part):
    country: str | None = None
    region: str | None = None


class ContactBody(_Part):
    email: str | None = None
    phone: str | None = None
    phoneType: Literal["HOME", "MOBILE", "WORK", "FAX", "MAIN", "HOME_FAX", "WORK_FAX", "PAGER", "OTHER"] | None = None
    address: AddressBody | None = None


GENDERS = ("MALE", "FEMALE", "OTHER")


def _gender_name(value: object) -> object:
    """assumed: the table says an integer (0 MALE, 1 FEMALE, 2 OTHER), every example sends the name: both (and the
    integer as a string), kept as the name."""
    number = whole_number(value) if isinstance(value, str) else None
    if number is not None:
        value = number
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(GENDERS):
        return GENDERS[value]
    return value


class PersonalBody(_Part):
    firstname: str | None = None
    lastname: str | None = None
    age: AgeBody | None = None
    contacts: list[ContactBody] | None = None
    gender: Annotated[Literal["MALE", "FEMALE", "OTHER"], BeforeValidator(_gender_name)] | None = None
    company: str | None = None
    language: str | None = None  # "en-US"


class PersonalInfoAttribute(Sde):
    kind: ClassVar[str] = "Personal info"
    payload_key: ClassVar[str | None] = "personal"
    type: Literal["personal"]
    personal: PersonalBody | None = None


# --- eCommerce info -----------------------------------------------------------------------------------------------
class ProductBody(_Part):
    name: str | None = None
    category: str | None = None
    sku: str | None = None
    price: float | None = None


class ProductItemBody(_Part):
    product: ProductBody
    quantity: int | None = None


class CartUpdateAttribute(Sde):
    kind: ClassVar[str] = "Cart update"
    type: Literal["cart"]
    total: float
    currency: str | None = None
    numItems: int
    products: list[ProductItemBody] | None = None


class PurchaseCartBody(_Part):
    # assumed: the Cart object's table writes `Products`, the example `products`; both.
    products: list[ProductItemBody] = Field(validation_alias=AliasChoices("products", "Products"))
    numItems: int | None = None


class TransactionAttribute(Sde):
    kind: ClassVar[str] = "Transaction"
    type: Literal["purchase"]
    total: float | None = None
    currency: str | None = None
    orderId: str | None = None
    cart: PurchaseCartBody | None = None


class ViewedProductAttribute(Sde):
    kind: ClassVar[str] = "Viewed product"
    type: Literal["prodView"]
    currency: str | None = None
    products: list[ProductItemBody] | None = None


# --- Visitor journey ----------------------------------------------------------------------------------------------
class LeadBody(_Part):
    topic: str | None = None
    value: float | None = None
    currency: str | None = None
    leadId: str | None = None


class LeadAttribute(Sde):
    kind: ClassVar[str] = "Lead"
    payload_key: ClassVar[str | None] = "lead"
    type: Literal["lead"]
    lead: LeadBody | None = None


class ServiceStatusCode(IntEnum):
    """types.md lists 0 to 10; the Engagement Attributes API's example lists them all ([EAAPI])."""

    Complete = 0
    In_Progress = 1
    Approved = 2
    Cancelled = 3
    Not_Approved = 4
    Reviewed = 5
    Missing_Details = 6
    Closed = 7
    Removed = 8
    Assigned = 9
    Waiting_for_Customer_Response = 10
    Waiting_for_Response = 11
    Pending = 12
    Resolved = 13


class ServiceBody(_Part):
    topic: str | None = None
    status: ServiceStatusCode | None = None
    category: str | None = None
    serviceId: str | None = None


class ServiceActivityAttribute(Sde):
    kind: ClassVar[str] = "Service activity"
    payload_key: ClassVar[str | None] = "service"
    type: Literal["service"]
    service: ServiceBody | None = None


class VisitorErrorBody(_Part):
    contextId: str | None = None
    message: str | None = None
    code: str | None = None
    level: int | None = None  # a long
    resolved: bool | None = None


class VisitorErrorAttribute(Sde):
    kind: ClassVar[str] = "Visitor error"
    payload_key: ClassVar[str | None] = "error"
    type: Literal["error"]
    error: VisitorErrorBody | None = None


class SearchedContentAttribute(Sde):
    kind: ClassVar[str] = "Searched content"
    type: Literal["searchInfo"]
    keywords: list[str] | None = None


KINDS: dict[str, type[Sde]] = {
    "ctmrinfo": CustomerInfoAttribute,
    "personal": PersonalInfoAttribute,
    "cart": CartUpdateAttribute,
    "purchase": TransactionAttribute,
    "prodView": ViewedProductAttribute,
    "lead": LeadAttribute,
    "service": ServiceActivityAttribute,
    "mrktInfo": MarketingSourceAttribute,
    "error": VisitorErrorAttribute,
    "searchInfo": SearchedContentAttribute,
}


def parsed(item: Any) -> Sde:
    """One SDE as its kind's model; ValueError with the field named when it is not one."""
    if not isinstance(item, dict):
        raise ValueError("not an object")
    kind = item.get("type")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ValueError(f"type: {kind!r} is not one of {', '.join(KINDS)}" if "type" in item else "type: missing")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        raise ValueError("; ".join(_problem(error) for error in exc.errors())) from exc


def _problem(error: ErrorDetails) -> str:
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]).lstrip(".")
    messages = {"extra_forbidden": "unknown field", "model_type": "Input should be an object"}
    message = messages.get(error["type"], error["msg"])
    return f"{field}: {message}"


def _named(index: int, item: Any) -> str:
    """How a message names an item: its index in `engagementAttributes`, and its kind when that is one."""
    kind = item.get("type") if isinstance(item, dict) else None
    return f"engagementAttributes[{index}]" + (f" ({kind})" if isinstance(kind, str) and kind in KINDS else "")


def check(items: list[Any]) -> list[dict[str, Any]]:
    """The items as received, once every one is an SDE of its kind; else 400 in App Engagement's shape, naming each
    bad item (its index and kind) and field."""
    problems = []
    for index, item in enumerate(items):
        try:
            parsed(item)
        except ValueError as exc:
            problems.append(f"{_named(index, item)}: {exc}")
    if problems:
        raise Refusal(400, "Bad engagement attribute: " + "; ".join(problems), ENGAGEMENT_BAD_REQUEST)
    return items
