from __future__ import annotations

from pydantic import BaseModel

from finlife.kit.auth import Role


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class UserOut(BaseModel):
    id: str
    username: str
    roles: list[Role]
    customer_id: str | None
