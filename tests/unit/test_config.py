"""The window's configuration is the brand's file, and still checked: what goes into a header, a policy or a page
is validated and bounded, and each wrong field is named."""

from __future__ import annotations

import json

import pytest

from window.config import ConfigError, parse_config

GOOD = {
    "account_id": "12345678",
    "csds_url": "https://api.liveperson.net",
    "app_key": "721c180b09eb463d9f3191c41762bb68",
}


def test_a_brands_usual_configuration_is_taken() -> None:
    config = parse_config(
        json.dumps(
            GOOD
            | {
                "service_urls": {"conversationVep": "https://chat-proxy.brand.example"},
                "embed_origins": ["https://www.brand.example", "http://localhost:8080"],
                "sections": ["support"],
            }
        )
    )
    assert config.embed_origins == ["https://www.brand.example", "http://localhost:8080"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"app_key": "key\r\nX-Injected: 1"}, "app_key"),
        ({"app_key": "two words"}, "app_key"),
        (
            {"service_urls": {"conversationVep; script-src *": "https://proxy.example"}},
            "service_urls.conversationVep; script-src *.[key]",
        ),
        ({"service_urls": {"conversationVep": "javascript:alert(1)"}}, "service_urls.conversationVep"),
        ({"embed_origins": ["*"]}, "embed_origins.0"),
        ({"embed_origins": ["https://www.brand.example/page"]}, "embed_origins.0"),
        ({"embed_origins": [f"https://p{n}.brand.example" for n in range(51)]}, "embed_origins"),
        ({"sections": ["s"] * 51}, "sections"),
        ({"engagement_attributes": [{"type": "ctmrinfo"}] * 51}, "engagement_attributes"),
        ({"brand_name": "B" * 201}, "brand_name"),
        ({"csds_url": "javascript:alert(1)"}, "csds_url"),
    ],
)
def test_a_value_that_does_not_fit_is_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_config(json.dumps(GOOD | change))
    assert any(detail.startswith(f"{field}:") for detail in refused.value.details), refused.value.details
