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
    "Action": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "scales": {"type": "array", "items": {"type": "string"}},
            "title": {"type": "string"},
            "why": {"type": "string"},
            "steps": {"type": "array", "items": {"type": "string"}},
            "horizon": {"type": "string"},
            "horizon_days": {"type": "integer"},
            "indicator": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "unit": {"type": "string"},
                    "direction": {"type": "string", "enum": ["increase", "decrease"]},
                    "suggested_target": {"type": "number"},
                    "baseline_hint": {"type": "string"},
                },
            },
        },
        "required": ["id", "scales", "title", "why", "steps", "horizon", "indicator"],
    },
    "Suggestions": {
        "type": "object",
        "properties": {
            "assessment": {
                "type": ["string", "null"],
                "description": "null before any is submitted",
            },
            "round": {
                "type": ["string", "null"],
                "description": "the latest closed 360 round used",
            },
            "suggestions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "scale": {"type": "string"},
                        "name": {"type": "string"},
                        "priority": {"type": "number"},
                        "reason": {"type": "string", "description": "one line naming the figures"},
                        "parts": {
                            "type": "object",
                            "properties": {
                                "low": {"type": "number"},
                                "blind_spot": {"type": "number"},
                                "balance": {"type": "number"},
                            },
                        },
                        "actions": {"type": "array", "items": _ref("Action")},
                    },
                    "required": ["scale", "name", "priority", "reason", "actions"],
                },
            },
        },
        "required": ["assessment", "round", "suggestions"],
    },
    "Change": {
        "type": ["object", "null"],
        "description": "The latest change of self score; null without two cycles",
        "properties": {
            "verdict": {"type": "string", "enum": ["Improved", "Declined", "No reliable change"]},
            "kind": {"type": "string", "enum": ["improved", "declined", "no_reliable_change"]},
            "before": {"type": "number"},
            "after": {"type": "number"},
            "delta": {"type": "number"},
            "rci": {"type": "number"},
            "band": {"type": "number", "description": "the smallest change that counts"},
            "sem": {"type": "number"},
            "explanation": {"type": "string"},
        },
    },
    "Goal": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "scale": {"type": "string"},
            "action": {"type": ["string", "null"]},
            "indicator": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "unit": {"type": "string"},
                    "direction": {"type": "string", "enum": ["increase", "decrease"]},
                    "baseline": {"type": "number"},
                    "target": {"type": "number"},
                },
            },
            "start_date": {"type": "string", "format": "date"},
            "due_date": {"type": "string", "format": "date"},
            "done": {"type": "boolean"},
            "status": {
                "type": "object",
                "properties": {
                    "state": {
                        "type": "string",
                        "enum": ["not_started", "on_track", "at_risk", "off_track", "done"],
                    },
                    "label": {"type": "string"},
                    "progress": {"type": ["number", "null"]},
                    "expected": {"type": "number"},
                    "explanation": {"type": "string"},
                },
            },
            "next_due": {"type": ["object", "null"]},
            "milestones": {"type": "array", "items": {"type": "object"}},
            "checkins": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "recorded_on": {"type": "string", "format": "date"},
                        "value": {"type": "number"},
                        "note": {"type": "string"},
                    },
                },
            },
            "scale_change": _ref("Change"),
        },
        "required": ["id", "title", "scale", "indicator", "status", "checkins"],
    },
    "Plan": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "active": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "shared_with_manager": {"type": "boolean"},
            "reminders": {"type": "boolean"},
            "assessment": {"type": ["string", "null"]},
            "focus_areas": {"type": "array", "items": {"type": "object"}},
            "goals": {"type": "array", "items": _ref("Goal")},
        },
        "required": ["id", "active", "focus_areas", "goals"],
    },
    "Trends": {
        "type": "object",
        "properties": {
            "instrument": {"type": "string"},
            "measurement": {"type": "object"},
            "cycles": {"type": "array", "items": {"type": "object"}},
            "scales": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "self": {"type": "array", "items": {"type": ["number", "null"]}},
                        "others": {"type": "array", "items": {"type": ["number", "null"]}},
                        "sd": {"type": "number"},
                        "reliability": {"type": "number"},
                        "change": _ref("Change"),
                    },
                },
            },
        },
        "required": ["instrument", "cycles", "scales"],
    },
    "HrFigure": {
        "type": "object",
        "description": "One scale's figure for a slice; absent when it may not be shown.",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["pole", "skill"]},
            "pole": {"type": ["string", "null"]},
            "n": {"type": "integer", "minimum": 5},
            "mean": {"type": "number"},
            "sd": {"type": ["number", "null"]},
        },
        "required": ["id", "n", "mean"],
    },
    "HrBlock": {
        "type": "object",
        "description": "Self-assessments or others' ratings of the selected unit. With "
        "shown false nothing else is present: the slice has fewer than 5 people or would let "
        "such a group be worked out.",
        "properties": {
            "shown": {"type": "boolean"},
            "n": {"type": "integer", "minimum": 5, "description": "people in the slice"},
            "scales": {"type": "array", "items": _ref("HrFigure")},
            "indexes": {
                "type": "object",
                "description": "leader and manager index: n, mean, sd and bands of >= 5 people",
                "additionalProperties": {"type": "object"},
            },
            "quadrants": {"type": "array", "items": {"type": "object"}},
            "archetypes": {"type": "array", "items": {"type": "object"}},
            "participation": {
                "type": "object",
                "properties": {
                    "invited": {"type": "integer"},
                    "responded": {"type": "integer"},
                    "rate": {"type": ["number", "null"]},
                },
            },
            "heatmap": {
                "type": "array",
                "description": "child units; cells (by scale id) only where shown",
                "items": {"type": "object"},
            },
        },
        "required": ["shown"],
    },
    "HrSummary": {
        "type": "object",
        "properties": {
            "available": {"type": "boolean"},
            "instrument": {"type": "object"},
            "filters": {"type": "object"},
            "options": {"type": "object"},
            "unit": {"type": "object"},
            "children": {"type": "array", "items": {"type": "object"}},
            "scales": {"type": "array", "items": {"type": "object"}},
            "self": _ref("HrBlock"),
            "others": _ref("HrBlock"),
            "trends": {
                "type": "object",
                "description": "per source, one point per cycle that may be shown",
                "additionalProperties": {"type": "array", "items": {"type": "object"}},
            },
            "plans": {"type": ["object", "null"]},
        },
        "required": ["available", "instrument", "filters", "options"],
    },
    "HrArchetypes": {
        "type": "object",
        "properties": {
            "available": {"type": "boolean"},
            "note": {"type": "string"},
            "people": {"type": "integer"},
            "quality": {"type": "object"},
            "cards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "size": {"type": "integer", "description": "absent when suppressed"},
                        "share": {"type": "number"},
                        "centroid": {"type": "array", "items": {"type": "object"}},
                        "lowest": {"type": "array", "items": {"type": "string"}},
                        "actions": {"type": "array", "items": {"type": "object"}},
                    },
                    "required": ["key", "name", "description", "centroid"],
                },
            },
        },
        "required": ["available", "note", "cards"],
    },
    "HrPsychometrics": {
        "type": "object",
        "properties": {
            "instrument": {"type": "string"},
            "computed_at": {"type": "string", "format": "date-time"},
            "groups": {"type": "array", "items": {"type": "string"}},
            "respondents": {"type": "object", "additionalProperties": {"type": "integer"}},
            "scales": {
                "type": "array",
                "description": "per scale, one object per respondent group: n, mean, sd, "
                "pct_missing, pct_not_observed, alpha, alpha_ci, omega, items, icc, flags "
                "(only shown: false below 5 respondents)",
                "items": {"type": "object"},
            },
        },
        "required": ["instrument", "computed_at", "groups", "scales"],
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


def _query(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


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
            "/me/suggestions": _get(
                "My suggested development areas, each with its reason and actions",
                _ref("Suggestions"),
            ),
            "/me/plan": _get("My active development plan (404 when I have none)", _ref("Plan")),
            "/me/trends": _get(
                "Each scale per cycle, self and others, with the reliable-change verdict",
                _ref("Trends"),
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
            "/hr/summary": _hr(
                _get(
                    "HR figures of one view, each with its n; suppressed figures are absent",
                    _ref("HrSummary"),
                    [
                        _query("unit", "A unit id: that unit and everything below it."),
                        _query("cycle", "A half-year code such as 20261; 0 = latest per person."),
                        _query(
                            "rater_group",
                            "Others' ratings of one group: manager, peer, direct_report, other.",
                        ),
                        _query("archetype", "An archetype key of the current model."),
                        _query("instrument", "An instrument id (default: the default one)."),
                    ],
                )
            ),
            "/hr/archetypes": _hr(
                _get(
                    "The current archetype model: quality figures, centroids, sizes",
                    _ref("HrArchetypes"),
                    [_query("instrument", "An instrument id (default: the default one).")],
                )
            ),
            "/hr/psychometrics": _hr(
                _get(
                    "Instrument quality per scale and respondent group (404 before computed)",
                    _ref("HrPsychometrics"),
                    [_query("instrument", "An instrument id (default: the default one).")],
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
