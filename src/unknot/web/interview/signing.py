"""A signed copy of a result, carried by the "start a diary episode" form."""

from __future__ import annotations

from typing import Any

from itsdangerous import URLSafeSerializer

RESULT_SALT = "unknot-result"


class StateSigner:
    """Signs small values so that an altered form is noticed."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key

    def dumps_value(self, value: Any, salt: str = RESULT_SALT) -> str:
        return str(URLSafeSerializer(self._key, salt=salt).dumps(value))

    def loads_value(self, token: str, salt: str = RESULT_SALT) -> Any:
        """The value, or itsdangerous.BadSignature."""
        return URLSafeSerializer(self._key, salt=salt).loads(token)
