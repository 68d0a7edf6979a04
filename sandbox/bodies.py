"""Request bodies validated by pydantic models; anything malformed is a 400 in the calling API's shape."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from sandbox.errors import BAD_REQUEST, Refusal

Model = TypeVar("Model", bound=BaseModel)


async def parse_body(request: Request, model: type[Model], internal_code: int = BAD_REQUEST) -> Model:
    raw = await request.body()
    try:
        return model.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise Refusal(400, f"Malformed JSON: {exc.msg}", internal_code) from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise Refusal(400, f"Bad request body: {problems}", internal_code) from exc
