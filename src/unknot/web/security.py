"""Security for the web app: who may talk to it, response headers, request size
limit and CSRF tokens.

- Every request must name this server in its ``Host`` header: ``localhost``,
  ``127.0.0.1``, ``[::1]`` or a name from ``Settings.allowed_hosts`` (or the host
  of ``Settings.public_origin``). Anything else gets 421 before any route runs,
  so a page on another domain that resolves to 127.0.0.1 (DNS rebinding) can
  neither read nor change the diary.
- Every state-changing request (POST, PUT, PATCH, DELETE) that a browser marks
  with ``Origin`` must come from this server's own origin, and one that the
  browser marks ``Sec-Fetch-Site`` other than ``same-origin`` or ``none`` is
  refused with 403. Clients that send neither (curl, scripts) are not browsers
  that another site can drive, and are let through.
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
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: Paths whose answers hold nothing personal and may be cached.
PUBLIC_PREFIXES = ("/static/", "/exercises/")

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
    # same-origin: no address is ever sent to another site, while the browser's own
    # form posts keep their real Origin (with no-referrer, Chromium sends "null").
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


_RAW_SECURITY_HEADERS = [
    (k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]
_NO_STORE = (b"cache-control", b"no-store")


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
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw += [pair for pair in _RAW_SECURITY_HEADERS if pair[0] not in present]
                if not scope["path"].startswith(PUBLIC_PREFIXES):
                    # Diary pages, results, summaries, PDFs and exports: never kept
                    # in a browser's or a proxy's cache.
                    raw = [pair for pair in raw if pair[0].lower() != b"cache-control"]
                    raw.append(_NO_STORE)
                message = {**message, "headers": raw}
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


# --- Host and Origin ------------------------------------------------------------------


def host_name(value: str) -> str | None:
    """The host name in a ``Host`` header or an origin's authority, lower case, no port.

    ``[::1]:8000`` -> ``::1``; ``Example.org:80`` -> ``example.org``; None when malformed.
    """
    value = value.strip().lower()
    if not value or any(c in value for c in "/\\@ \t?#"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or (value[end + 1 :] and not _is_port(value[end + 1 :])):
            return None
        return value[1:end] or None
    name, sep, port = value.partition(":")
    if sep and not _is_port(":" + port):
        return None
    return name.rstrip(".") or None


def _is_port(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit() and 0 < len(text) <= 6


def split_origin(origin: str) -> tuple[str, str] | None:
    """``https://Example.org:8443`` -> (``https``, ``example.org:8443``); None if not an origin."""
    scheme, sep, rest = origin.strip().partition("://")
    if not sep or scheme.lower() not in ("http", "https") or host_name(rest) is None:
        return None
    return scheme.lower(), rest.lower()


class TrustedHostMiddleware:
    """Refuses requests for another host (421) and cross-origin writes (403).

    ``allowed_hosts`` adds names to the loopback ones; ``public_origins`` are
    origins (``https://name[:port]``) a reverse proxy serves this app at.
    """

    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: tuple[str, ...] = (),
        public_origins: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.hosts = LOOPBACK_HOSTS | {h.strip().lower().strip("[]") for h in allowed_hosts}
        self.origins = {o for o in (split_origin(p) for p in public_origins) if o is not None}
        self.hosts |= {name for _, authority in self.origins if (name := host_name(authority))}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host")
        if host is None or host_name(host) not in self.hosts:
            await _refuse(
                send,
                421,
                "This server only answers requests addressed to it (for example "
                "http://127.0.0.1:8000). To use another name, add it to UNKNOT_ALLOWED_HOSTS.",
            )
            return
        if scope.get("method") in UNSAFE_METHODS and not self._same_origin(headers, host):
            await _refuse(send, 403, "Requests from other sites are not accepted.")
            return
        await self.app(scope, receive, send)

    def _same_origin(self, headers: dict[str, str], host: str) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        parsed = split_origin(origin)
        if parsed is None:  # "null" (sandboxed frames, file: pages) or garbage
            return False
        if parsed in self.origins:
            return True
        return parsed[1] == host.strip().lower() and host_name(parsed[1]) in self.hosts


def _headers(scope: Scope) -> dict[str, str]:
    """Request headers (latin-1, as HTTP defines them); the first of repeated ones."""
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        out.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return out


async def _refuse(send: Send, status: int, message: str) -> None:
    import json

    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
