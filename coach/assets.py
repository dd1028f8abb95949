"""Pinned front-end assets: Chart.js from a CDN with Subresource Integrity, and its local copy."""

from __future__ import annotations

from flask import Flask, url_for

CHART_JS_VERSION = "4.4.7"  # keep equal to package.json; a test checks both and the hash
CHART_JS_CDN = f"https://cdn.jsdelivr.net/npm/chart.js@{CHART_JS_VERSION}/dist/chart.umd.js"
CHART_JS_SRI = "sha384-zYPBGXwO4633CABX/5Spf6emCKUJCfoOkhOMYyxMsatqQZPnDblmmOewfjsIVWCM"
CHART_JS_LOCAL = "vendor/chart.umd.js"  # under static/, copied from node_modules by make


def register(app: Flask) -> None:
    """Expose the chart script's addresses to templates."""

    @app.context_processor
    def chart_script() -> dict[str, object]:
        return {
            "chart_js": {
                "cdn": CHART_JS_CDN,
                "sri": CHART_JS_SRI,
                "local": url_for("static", filename=CHART_JS_LOCAL),
            }
        }
