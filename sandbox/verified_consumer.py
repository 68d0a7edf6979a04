"""What an agent sees of a signed-in consumer ([AUTH] DetailedAPI, "OpenID Token structure"): the verified standard
claims, under the names LivePerson shows them by, and the customer info the id_token carried in `lp_sdes`."""

from __future__ import annotations

from typing import Any

# LivePerson's table of standard claims, in its order; given_name and family_name show as one name.
CLAIM_LABELS = {
    "sub": "Customer ID",
    "email": "Email",
    "gender": "Gender",
    "preferred_username": "User name",
    "phone_number": "Phone",
}
# [AUTH]: of the engagement attributes only these are taken from lp_sdes, ctmrinfo without its store fields
# (assumed: the others are left out, not refused). Each: the key that holds its facts, and its title for the agent.
SUPPORTED_SDES = {"ctmrinfo": ("info", "Customer info"), "personal": ("personal", "Personal info")}
UNSUPPORTED_CTMRINFO = {"storeZipCode", "storeNumber"}

Fact = dict[str, str]  # {"label", "value"}


def verified_consumer(claims: dict[str, Any]) -> dict[str, Any]:
    """The claims as verified, and as the agent reads them: labelled facts, and each supported SDE's facts."""
    name = " ".join(str(claims[part]) for part in ("given_name", "family_name") if claims.get(part))
    facts = [{"label": "Name", "value": name}] if name else []
    facts += [{"label": label, "value": str(claims[claim])} for claim, label in CLAIM_LABELS.items() if claim in claims]
    return {"claims": claims, "facts": facts, "customerInfo": [_sde_facts(sde) for sde in supported_sdes(claims)]}


def supported_sdes(claims: dict[str, Any]) -> list[dict[str, Any]]:
    sdes = claims.get("lp_sdes")
    kept = []
    for sde in sdes if isinstance(sdes, list) else []:
        if not isinstance(sde, dict) or sde.get("type") not in SUPPORTED_SDES:
            continue
        key, _ = SUPPORTED_SDES[sde["type"]]
        body = sde.get(key)
        if not isinstance(body, dict):
            continue
        if sde["type"] == "ctmrinfo":
            body = {name: value for name, value in body.items() if name not in UNSUPPORTED_CTMRINFO}
        kept.append({"type": sde["type"], key: body})
    return kept


def _sde_facts(sde: dict[str, Any]) -> dict[str, Any]:
    key, title = SUPPORTED_SDES[sde["type"]]
    return {"type": sde["type"], "title": title, "facts": list(_flattened(sde[key]))}


def _flattened(value: Any, path: str = "") -> list[Fact]:
    """Nested objects and lists as one fact per leaf, named by its path (`lastPaymentDate.day`, `contacts.1.email`)."""
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(str(index + 1), item) for index, item in enumerate(value)]
    else:
        return [{"label": path, "value": str(value)}]
    return [fact for name, item in items for fact in _flattened(item, f"{path}.{name}" if path else name)]
