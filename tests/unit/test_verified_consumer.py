"""What the agent is shown of a signed-in consumer's claims: LivePerson takes only some engagement attributes from
`lp_sdes` ([AUTH]), and shows nested facts one per line."""

from __future__ import annotations

from sandbox.verified_consumer import supported_sdes, verified_consumer


def test_only_ctmrinfo_without_its_store_fields_and_personal_are_taken_from_lp_sdes() -> None:
    claims = {
        "sub": "c-1",
        "lp_sdes": [
            {"type": "ctmrinfo", "info": {"customerId": "c-1", "storeNumber": "12", "storeZipCode": "02110"}},
            {"type": "cart", "total": 11.7, "numItems": 6},
            {"type": "personal", "personal": {"firstname": "Ann"}},
            {"type": "personal"},
            "not an SDE",
        ],
    }
    assert supported_sdes(claims) == [
        {"type": "ctmrinfo", "info": {"customerId": "c-1"}},
        {"type": "personal", "personal": {"firstname": "Ann"}},
    ]
    assert supported_sdes({"lp_sdes": {"type": "ctmrinfo"}}) == []


def test_claims_are_labelled_and_nested_facts_named_by_their_path() -> None:
    personal = {"contacts": [{"email": "a@example.com"}], "age": {"age": 30}}
    claims = {
        "sub": "c-1",
        "family_name": "Lee",
        "email": "ann@example.com",
        "lp_sdes": [{"type": "personal", "personal": personal}],
    }
    shown = verified_consumer(claims)
    assert shown["facts"] == [
        {"label": "Name", "value": "Lee"},
        {"label": "Customer ID", "value": "c-1"},
        {"label": "Email", "value": "ann@example.com"},
    ]
    assert shown["customerInfo"] == [
        {
            "type": "personal",
            "title": "Personal info",
            "facts": [{"label": "contacts.1.email", "value": "a@example.com"}, {"label": "age.age", "value": "30"}],
        }
    ]
