"""Security for the web app: response headers, request size limit and CSRF tokens.

- Every response carries a Content-Security-Policy that allows scripts, styles
  and images from this server only (no inline script, no CDN), ``nosniff``, a
  strict referrer policy and no framing.
- Request bodies over ``Settings.max_body_bytes`` get 413 before they are read.
- Every HTML form carries a CSRF token: a random cookie (``SameSite=Strict``)
  and a hidden field holding the cookie's value signed with the app's secret
  (double submit). Form posts without a matching pair get 403. The JSON API
  uses no cookies and accepts only ``application/json`` bodies, which a page
  on another site cannot send here without a CORS preflight (never granted).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "unknot_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (pure ASGI, no buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if scope["path"].startswith("/api/") or scope["path"].startswith("/fhir/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuses request bodies larger than ``limit`` bytes with 413.

    A declared Content-Length over the limit is refused before reading; a
    streamed body is counted, and once over the limit the 413 is sent and the
    app sees the client as gone (its own answer is dropped).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(send, self.limit)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    if not started:
                        await _too_large(send, self.limit)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise


async def _too_large(send: Send, limit: int) -> None:
    body = (
        '{"detail":[{"loc":["body"],"msg":"Request body is larger than '
        f'{limit} bytes","type":"too_large"}}]}}'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class CsrfTokens:
    """Makes and checks the signed double-submit tokens."""

    def __init__(self, secret_key: str) -> None:
        self._signer = URLSafeSerializer(secret_key, salt="unknot-csrf")

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, cookie: str) -> str:
        """The hidden-field value that goes with this cookie."""
        return str(self._signer.dumps(cookie))

    def matches(self, cookie: str | None, token: Any) -> bool:
        if not cookie or not isinstance(token, str):
            return False
        try:
            signed = self._signer.loads(token)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, cookie)


def csrf_cookie(request: Request) -> str:
    """The browser's CSRF cookie, or a new one that the response will set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 16 <= len(existing) <= 64:
        return existing
    fresh: str | None = getattr(request.state, "new_csrf_cookie", None)
    if fresh is None:
        fresh = CsrfTokens.new_cookie()
        request.state.new_csrf_cookie = fresh
    return fresh


class CsrfCookieMiddleware:
    """Sets the CSRF cookie when a page handed out a token for a new one, and
    refuses unsafe requests that the browser marks as coming from another site."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app, self.secure = app, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["method"] in UNSAFE_METHODS and headers.get(b"sec-fetch-site") == b"cross-site":
            await _forbidden(send)
            return
        state = scope.setdefault("state", {})

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get("new_csrf_cookie"):
                cookie = (
                    f"{CSRF_COOKIE}={state['new_csrf_cookie']}; Path=/; HttpOnly; SameSite=Strict"
                )
                if self.secure:
                    cookie += "; Secure"
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


async def _forbidden(send: Send) -> None:
    body = b'{"detail":"Requests from other sites are not accepted."}'
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
