"""Forwarded headers, believed only from the reverse proxies this install names.

With COACH_TRUSTED_PROXY_COUNT at 0 (the default) X-Forwarded-* headers are ignored: any
client could write them. Set to the number of proxies in front of the app, Werkzeug's ProxyFix
takes the client address and scheme from that many hops of X-Forwarded-For and
X-Forwarded-Proto, but only on requests that arrive from an address listed in
COACH_TRUSTED_PROXIES (loopback by default); a client reaching the app directly cannot
pretend to be someone else.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or networks ("127.0.0.1, 10.0.0.0/8"); ValueError if invalid."""
    parts = (part.strip() for part in text.split(","))
    return tuple(ipaddress.ip_network(part, strict=False) for part in parts if part)


class TrustedProxyFix:
    """ProxyFix applied to requests from a trusted proxy address; others pass untouched."""

    def __init__(self, app: WSGIApplication, hops: int, proxies: Iterable[Network]) -> None:
        self.direct = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)
        self.proxies = tuple(proxies)

    def _from_proxy(self, environ: WSGIEnvironment) -> bool:
        try:
            peer = ipaddress.ip_address(str(environ.get("REMOTE_ADDR", "")))
        except ValueError:
            return False
        return any(peer in network for network in self.proxies)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request, with the forwarded client address only from a trusted proxy."""
        if self._from_proxy(environ):
            return self.fixed(environ, start_response)
        return self.direct(environ, start_response)


def register(app: Flask) -> None:
    """Trust forwarded headers from the configured proxies; with none configured, from nobody."""
    settings = app.config["COACH"]
    if settings.trusted_proxy_count > 0:
        networks = parse_networks(settings.trusted_proxies)
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, settings.trusted_proxy_count, networks
        )
        return
    warned: list[bool] = []

    @app.before_request
    def warn_about_an_unconfigured_proxy() -> None:
        # Every visitor behind an unconfigured proxy shares the proxy's address, and so one
        # budget of attempts: say so once per worker, where the operator reads the logs.
        if not warned and request.headers.get("X-Forwarded-For"):
            warned.append(True)
            app.logger.warning(
                "requests carry X-Forwarded-For but COACH_TRUSTED_PROXY_COUNT is 0: every "
                "client behind the proxy is counted as %s by the rate limits",
                request.remote_addr,
            )
