"""The OpenAPI 3.1 document for /api/v1, written by hand and checked by the tests."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


_ERRORS = {
    "401": {"description": "Not signed in", "content": {JSON: {"schema": _ref("Error")}}},
    "404": {
        "description": "Unknown, or not yours to read",
        "content": {JSON: {"schema": _ref("Error")}},
    },
}

_SCHEMAS: dict[str, Any] = {
    "Unit": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "path": {"type": "string"},
            "people": {"type": "integer", "description": "active people in this unit"},
            "people_including_below": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}},
        },
        "required": ["id", "name", "path", "people", "people_including_below", "children"],
    },
    "Person": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "unit": {"type": ["object", "null"]},
            "manager": {"type": ["object", "null"]},
            "role": {"type": "string", "enum": ["manager", "hr", "admin"]},
            "active": {"type": "boolean"},
        },
        "required": ["id", "name", "email", "role", "active"],
    },
    "Round": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "state": {"type": "string", "enum": ["draft", "open", "closed"]},
            "deadline": {"type": "string", "format": "date-time"},
            "anonymity_floor": {"type": ["integer", "null"]},
            "responses": {
                "type": "object",
                "description": "submitted responses per rater group",
                "additionalProperties": {"type": "integer"},
            },
        },
        "required": ["id", "state", "deadline", "responses"],
    },
    "RoundReport": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "state": {"type": "string"},
            "anonymity_floor": {"type": "integer"},
            "notes": {"type": "array", "items": {"type": "string"}},
            "scales": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "self": {"type": ["number", "null"]},
                        "category": {"type": ["string", "null"]},
                        "figures": {
                            "type": "array",
                            "description": "only the figures that may be shown on this scale",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "figure": {"type": "string"},
                                    "label": {"type": "string"},
                                    "mean": {"type": "number"},
                                    "n": {"type": "integer"},
                                    "band": {"type": "array", "items": {"type": "number"}},
                                    "raters_disagree": {"type": "boolean"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
        "required": ["error", "message"],
    },
    "InstrumentSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "title": {"type": "string"},
        },
        "required": ["id", "version", "title"],
    },
    "Instrument": {
        "allOf": [
            _ref("InstrumentSummary"),
            {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "response_options": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "value": {
                                    "type": ["integer", "null"],
                                    "description": "null means 'not able to observe'",
                                },
                                "label": {"type": "string"},
                            },
                        },
                    },
                    "dimensions": {"type": "array", "items": {"type": "object"}},
                    "scales": {"type": "array", "items": {"type": "object"}},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "scale": {"type": "string"},
                                "key": {"type": "integer", "enum": [-1, 1]},
                                "self_text": {"type": "string"},
                                "observer_text": {"type": "string"},
                            },
                        },
                    },
                },
            },
        ]
    },
    "AssessmentSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "instrument": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
            },
            "status": {"type": "string", "enum": ["draft", "submitted"]},
            "started_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "submitted_at": {"type": ["string", "null"], "format": "date-time"},
        },
        "required": ["id", "instrument", "status", "started_at"],
    },
    "Assessment": {
        "allOf": [
            _ref("AssessmentSummary"),
            {
                "type": "object",
                "properties": {
                    "scales": {
                        "type": "array",
                        "description": "Empty until the assessment is submitted.",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "name": {"type": "string"},
                                "score": {
                                    "type": ["number", "null"],
                                    "description": "null: not enough answers",
                                },
                                "answered": {"type": "integer"},
                                "items": {"type": "integer"},
                            },
                        },
                    }
                },
            },
        ]
    },
}


def _get(summary: str, schema: dict[str, Any], params: list[dict[str, Any]] | None = None) -> dict:
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {"200": _ok(schema, "OK"), **_ERRORS},
    }
    if params:
        operation["parameters"] = params
    return {"get": operation}


def _hr(path_item: dict[str, Any]) -> dict[str, Any]:
    path_item["get"]["responses"]["403"] = {
        "description": "Not HR or an administrator",
        "content": {JSON: {"schema": _ref("Error")}},
    }
    return path_item


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def openapi_document() -> dict[str, Any]:
    """The whole document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "coach API",
            "version": "1",
            "description": "Signed-in session cookie required. Individual results are only "
            "ever returned to their owner.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/instruments": _get(
                "List instruments",
                {
                    "type": "object",
                    "properties": {
                        "instruments": {"type": "array", "items": _ref("InstrumentSummary")}
                    },
                },
            ),
            "/instruments/{instrument_id}": _get(
                "One instrument", _ref("Instrument"), [_path_param("instrument_id")]
            ),
            "/me/assessments": _get(
                "My assessments",
                {
                    "type": "object",
                    "properties": {
                        "assessments": {"type": "array", "items": _ref("AssessmentSummary")}
                    },
                },
            ),
            "/hr/units": _hr(
                _get(
                    "The unit tree with people counts (HR and admin)",
                    {
                        "type": "object",
                        "properties": {"units": {"type": "array", "items": _ref("Unit")}},
                    },
                )
            ),
            "/hr/people": _hr(
                _get(
                    "People in a unit and below it (HR and admin)",
                    {
                        "type": "object",
                        "properties": {
                            "unit": {"type": ["string", "null"]},
                            "page": {"type": "integer"},
                            "pages": {"type": "integer"},
                            "total": {"type": "integer"},
                            "people": {"type": "array", "items": _ref("Person")},
                        },
                    },
                    [
                        {
                            "name": "unit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "A unit id; people in every unit below it count too.",
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1},
                            "description": "500 people a page, by name.",
                        },
                    ],
                )
            ),
            "/rounds/{round_id}": _get(
                "State and response counts per rater group of my round (never who)",
                _ref("Round"),
                [_path_param("round_id")],
            ),
            "/rounds/{round_id}/report": _get(
                "The 360 report of my closed round; suppressed groups are absent, not zero",
                _ref("RoundReport"),
                [_path_param("round_id")],
            ),
            "/assessments/{assessment_id}": _get(
                "One of my assessments with its scale scores",
                _ref("Assessment"),
                [_path_param("assessment_id")],
            ),
        },
        "components": {"schemas": _SCHEMAS},
    }
