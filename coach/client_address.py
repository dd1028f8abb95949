"""Who is asking: the one key every per-client limit and throttle counts attempts under.

An IPv4 client is its address. An IPv6 client is its /64 network: one household, office or
server is handed a whole /64 (billions of addresses), so counting addresses one by one would
give an attacker a fresh budget per address. IPv4 addresses written in IPv6 form count as
the IPv4 address. Behind a reverse proxy the address is the client's only when the proxy is
trusted (COACH_TRUSTED_PROXY_COUNT, coach/proxies.py).
"""

from __future__ import annotations

import ipaddress

from flask import request

IPV6_PREFIX = 64


def source_key(address: str) -> str:
    """The key a client address counts under: the IPv4 address, or the IPv6 /64 network."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return str(parsed)


def client_source() -> str:
    """The key of the client making the current request (Flask-Limiter's key function)."""
    return source_key(request.remote_addr or "")
