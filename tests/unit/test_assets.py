"""The pinned Chart.js: the CDN's integrity hash is the hash of the copy served offline."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from coach.assets import CHART_JS_SRI, CHART_JS_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_package_json_pins_the_same_chart_js_version_as_the_page():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"]["chart.js"] == CHART_JS_VERSION


def test_the_subresource_integrity_hash_matches_the_local_fallback():
    local = ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.js"
    digest = base64.b64encode(hashlib.sha384(local.read_bytes()).digest()).decode()
    assert f"sha384-{digest}" == CHART_JS_SRI
