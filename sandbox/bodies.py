"""Request bodies: JSON only when sent as JSON, validated by pydantic models; anything else is refused in the calling
API's shape."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from sandbox.errors import BAD_REQUEST, Refusal

Model = TypeVar("Model", bound=BaseModel)


async def read_json(request: Request, internal_code: int = BAD_REQUEST) -> Any:
    """The body as JSON, if it is declared `application/json`. A page on any site can POST `text/plain` to a
    developer's localhost without a preflight; only a JSON content type makes the browser ask first (CORS).
    assumed: 415 in the calling API's shape (LivePerson documents `Content-Type: application/json` on every call)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise Refusal(415, "Send the body as Content-Type: application/json", internal_code)
    try:
        return json.loads(await request.body())
    except json.JSONDecodeError as exc:
        raise Refusal(400, f"Malformed JSON: {exc.msg}", internal_code) from exc


async def parse_body(request: Request, model: type[Model], internal_code: int = BAD_REQUEST) -> Model:
    try:
        return model.model_validate(await read_json(request, internal_code))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise Refusal(400, f"Bad request body: {problems}", internal_code) from exc
