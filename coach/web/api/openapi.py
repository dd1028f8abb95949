"""The OpenAPI 3.1 document for /api/v1, written by hand and checked by the tests."""

from __future__ import annotations

from typing import Any

from coach.scoring.hr_anonymity import HR_MIN_N

JSON = "application/json"

Schema = dict[str, Any]

# Schema builders: each returns a fresh dict, keys in the order the document has always had.


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**extra: Any) -> Schema:
    return {"type": "string", **extra}


def _enum(*values: str) -> Schema:
    return _string(enum=list(values))


def _date() -> Schema:
    return _string(format="date")


def _date_time() -> Schema:
    return _string(format="date-time")


def _integer(**extra: Any) -> Schema:
    return {"type": "integer", **extra}


def _number(**extra: Any) -> Schema:
    return {"type": "number", **extra}


def _boolean() -> Schema:
    return {"type": "boolean"}


def _nullable(type_: str, **extra: Any) -> Schema:
    """``type_`` or null, e.g. a score that is null when there are too few answers."""
    return {"type": [type_, "null"], **extra}


def _array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", **extra, "items": items}


def _object(
    properties: Schema | None = None, required: tuple[str, ...] = (), **extra: Any
) -> Schema:
    """An object; without properties, any object."""
    schema: Schema = {"type": "object", **extra}
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = list(required)
    return schema


def _map(values: Schema, **extra: Any) -> Schema:
    """An object whose keys are free and whose values all follow ``values``."""
    return {"type": "object", **extra, "additionalProperties": values}


def _response(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> Schema:
    return _response(description, _ref("Error"))


_ERRORS = {"401": _error("Not signed in"), "404": _error("Unknown, or not yours to read")}


def _indicator(**more: Schema) -> Schema:
    """A goal's or an action's indicator: what is measured, in what, which way is better."""
    return _object(
        {"name": _string(), "unit": _string(), "direction": _enum("increase", "decrease"), **more}
    )


_SCHEMAS: dict[str, Any] = {
    "Unit": _object(
        {
            "id": _string(),
            "name": _string(),
            "path": _string(),
            "people": _integer(description="active people in this unit"),
            "people_including_below": _integer(),
            "children": _array(_ref("Unit")),
        },
        required=("id", "name", "path", "people", "people_including_below", "children"),
    ),
    "Person": _object(
        {
            "id": _string(),
            "name": _string(),
            "email": _string(),
            "unit": _nullable("object"),
            "manager": _nullable("object"),
            "role": _enum("manager", "hr", "admin"),
            "active": _boolean(),
        },
        required=("id", "name", "email", "role", "active"),
    ),
    "Round": _object(
        {
            "id": _string(),
            "state": _enum("draft", "open", "closed"),
            "deadline": _date_time(),
            "anonymity_floor": _nullable("integer"),
            "responses": _map(_integer(), description="submitted responses per rater group"),
        },
        required=("id", "state", "deadline", "responses"),
    ),
    "RoundReport": _object(
        {
            "id": _string(),
            "state": _string(),
            "anonymity_floor": _integer(),
            "notes": _array(_string()),
            "scales": _array(
                _object(
                    {
                        "id": _string(),
                        "name": _string(),
                        "self": _nullable("number"),
                        "category": _nullable("string"),
                        "figures": _array(
                            _object(
                                {
                                    "figure": _string(),
                                    "label": _string(),
                                    "mean": _number(),
                                    "n": _integer(),
                                    "band": _array(_number()),
                                    "raters_disagree": _boolean(),
                                }
                            ),
                            description="only the figures that may be shown on this scale",
                        ),
                        "hidden": _array(_string(), description="why figures are not shown"),
                        "items": _array(
                            _object(
                                {
                                    "id": _string(),
                                    "self": _nullable("integer"),
                                    "figures": _array(
                                        _object(
                                            {
                                                "figure": _string(),
                                                "label": _string(),
                                                "mean": _number(),
                                                "n": _integer(),
                                            }
                                        )
                                    ),
                                    "hidden": _array(_string()),
                                }
                            ),
                            description="each item's figures: the scale figure's raters only",
                        ),
                    }
                )
            ),
        }
    ),
    "Action": _object(
        {
            "id": _string(),
            "scales": _array(_string()),
            "title": _string(),
            "why": _string(),
            "steps": _array(_string()),
            "horizon": _string(),
            "horizon_days": _integer(),
            "indicator": _indicator(suggested_target=_number(), baseline_hint=_string()),
        },
        required=("id", "scales", "title", "why", "steps", "horizon", "indicator"),
    ),
    "Suggestions": _object(
        {
            "assessment": _nullable("string", description="null before any is submitted"),
            "round": _nullable("string", description="the latest closed 360 round used"),
            "suggestions": _array(
                _object(
                    {
                        "scale": _string(),
                        "name": _string(),
                        "priority": _number(),
                        "reason": _string(description="one line naming the figures"),
                        "parts": _object(
                            {"low": _number(), "blind_spot": _number(), "balance": _number()}
                        ),
                        "actions": _array(_ref("Action")),
                    },
                    required=("scale", "name", "priority", "reason", "actions"),
                )
            ),
        },
        required=("assessment", "round", "suggestions"),
    ),
    "Change": _nullable(
        "object",
        description="The latest change of self score; null without two cycles",
        properties={
            "verdict": _enum("Improved", "Declined", "No reliable change"),
            "kind": _enum("improved", "declined", "no_reliable_change"),
            "before": _number(),
            "after": _number(),
            "delta": _number(),
            "rci": _number(),
            "band": _number(description="the smallest change that counts"),
            "sem": _number(),
            "explanation": _string(),
        },
    ),
    "Goal": _object(
        {
            "id": _string(),
            "title": _string(),
            "scale": _string(),
            "action": _nullable("string"),
            "indicator": _indicator(baseline=_number(), target=_number()),
            "start_date": _date(),
            "due_date": _date(),
            "done": _boolean(),
            "status": _object(
                {
                    "state": _enum("not_started", "on_track", "at_risk", "off_track", "done"),
                    "label": _string(),
                    "progress": _nullable("number"),
                    "expected": _number(),
                    "explanation": _string(),
                }
            ),
            "next_due": _nullable("object"),
            "milestones": _array(_object()),
            "checkins": _array(
                _object({"recorded_on": _date(), "value": _number(), "note": _string()})
            ),
            "scale_change": _ref("Change"),
        },
        required=("id", "title", "scale", "indicator", "status", "checkins"),
    ),
    "Plan": _object(
        {
            "id": _string(),
            "active": _boolean(),
            "created_at": _date_time(),
            "shared_with_manager": _boolean(),
            "reminders": _boolean(),
            "assessment": _nullable("string"),
            "focus_areas": _array(_object()),
            "goals": _array(_ref("Goal")),
        },
        required=("id", "active", "focus_areas", "goals"),
    ),
    "Trends": _object(
        {
            "instrument": _string(),
            "measurement": _object(),
            "cycles": _array(_object()),
            "scales": _array(
                _object(
                    {
                        "id": _string(),
                        "name": _string(),
                        "self": _array(_nullable("number")),
                        "others": _array(_nullable("number")),
                        "sd": _number(),
                        "reliability": _number(),
                        "change": _ref("Change"),
                    }
                )
            ),
        },
        required=("instrument", "cycles", "scales"),
    ),
    "HrFigure": _object(
        {
            "id": _string(),
            "name": _string(),
            "kind": _enum("pole", "skill"),
            "pole": _nullable("string"),
            "n": _integer(minimum=5),
            "mean": _number(),
            "sd": _nullable("number"),
        },
        required=("id", "n", "mean"),
        description="One scale's figure for a slice; absent when it may not be shown.",
    ),
    "HrBlock": _object(
        {
            "shown": _boolean(),
            "n": _integer(minimum=5, description="people in the slice"),
            "scales": _array(_ref("HrFigure")),
            "indexes": _map(
                _object(),
                description="leader and manager index: n, mean, sd; bands (whole organisation "
                "only) of >= 5 people",
            ),
            "quadrants": _array(_object(), description="whole organisation only"),
            "participation": _object(
                {"invited": _integer(), "responded": _integer(), "rate": _nullable("number")}
            ),
            "heatmap": _array(
                _object(), description="child units; cells (by scale id) only where shown"
            ),
        },
        required=("shown",),
        description="Self-assessments or others' ratings of the selected unit. With "
        f"shown false nothing else is present: the slice has fewer than {HR_MIN_N} people or "
        "would let such a group be worked out.",
    ),
    "HrSummary": _object(
        {
            "available": _boolean(),
            "instrument": _object(),
            "filters": _object(),
            "options": _object(),
            "unit": _object(),
            "children": _array(_object()),
            "scales": _array(
                _object(
                    {
                        "id": _string(),
                        "name": _string(),
                        "kind": _enum("pole", "skill"),
                        "dimension": _nullable("string"),
                        "pole": _nullable("string"),
                    },
                    description="the instrument's scales in table order; a pole names its "
                    "dimension and whether it is the leader or the manager pole",
                )
            ),
            "self": _ref("HrBlock"),
            "others": _ref("HrBlock"),
            "trends": _map(
                _array(_object()),
                description="per source, one point per cycle that may be shown",
            ),
            "plans": _nullable("object"),
        },
        required=("available", "instrument", "filters", "options"),
    ),
    "HrArchetypes": _object(
        {
            "available": _boolean(),
            "note": _string(),
            "people": _integer(),
            "quality": _object(),
            "cards": _array(
                _object(
                    {
                        "key": _string(),
                        "name": _string(),
                        "description": _string(),
                        "size": _integer(description="absent when suppressed"),
                        "share": _number(),
                        "centroid": _array(_object()),
                        "lowest": _array(_string()),
                        "actions": _array(_object()),
                    },
                    required=("key", "name", "description", "centroid"),
                )
            ),
        },
        required=("available", "note", "cards"),
    ),
    "HrPsychometrics": _object(
        {
            "instrument": _string(),
            "computed_at": _date_time(),
            "groups": _array(_string()),
            "respondents": _map(_integer()),
            "scales": _array(
                _object(),
                description="per scale, one object per respondent group: n, mean, sd, "
                "pct_missing, pct_not_observed, alpha, alpha_ci, omega, items, icc, flags "
                "(only shown: false below 5 respondents)",
            ),
        },
        required=("instrument", "computed_at", "groups", "scales"),
    ),
    "Error": _object({"error": _string(), "message": _string()}, required=("error", "message")),
    "InstrumentSummary": _object(
        {"id": _string(), "version": _string(), "title": _string()},
        required=("id", "version", "title"),
    ),
    "Instrument": {
        "allOf": [
            _ref("InstrumentSummary"),
            _object(
                {
                    "description": _string(),
                    "response_options": _array(
                        _object(
                            {
                                "value": _nullable(
                                    "integer", description="null means 'not able to observe'"
                                ),
                                "label": _string(),
                            }
                        )
                    ),
                    "dimensions": _array(_object()),
                    "scales": _array(_object()),
                    "items": _array(
                        _object(
                            {
                                "id": _string(),
                                "scale": _string(),
                                "key": _integer(enum=[-1, 1]),
                                "self_text": _string(),
                                "observer_text": _string(),
                            }
                        )
                    ),
                }
            ),
        ]
    },
    "AssessmentSummary": _object(
        {
            "id": _string(),
            "instrument": _object({"id": _string(), "version": _string()}),
            "status": _enum("draft", "submitted"),
            "started_at": _date_time(),
            "updated_at": _date_time(),
            "submitted_at": _nullable("string", format="date-time"),
        },
        required=("id", "instrument", "status", "started_at"),
    ),
    "Assessment": {
        "allOf": [
            _ref("AssessmentSummary"),
            _object(
                {
                    "scales": _array(
                        _object(
                            {
                                "id": _string(),
                                "name": _string(),
                                "score": _nullable(
                                    "number", description="null: not enough answers"
                                ),
                                "answered": _integer(),
                                "items": _integer(),
                            }
                        ),
                        description="Empty until the assessment is submitted.",
                    )
                }
            ),
        ]
    },
}


def _get(summary: str, schema: Schema, params: list[Schema] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {"200": _response("OK", schema), **_ERRORS},
    }
    if params:
        operation["parameters"] = params
    return {"get": operation}


def _hr(path_item: dict[str, Any]) -> dict[str, Any]:
    path_item["get"]["responses"]["403"] = _error("Not HR or an administrator")
    return path_item


def _path_param(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": _string()}


def _query(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema or _string(),
        "description": description,
    }


def _instrument_query() -> Schema:
    return _query("instrument", "An instrument id (default: the default one).")


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
                "List instruments", _object({"instruments": _array(_ref("InstrumentSummary"))})
            ),
            "/instruments/{instrument_id}": _get(
                "One instrument", _ref("Instrument"), [_path_param("instrument_id")]
            ),
            "/me/assessments": _get(
                "My assessments", _object({"assessments": _array(_ref("AssessmentSummary"))})
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
                    _object({"units": _array(_ref("Unit"))}),
                )
            ),
            "/hr/people": _hr(
                _get(
                    "People in a unit and below it (HR and admin)",
                    _object(
                        {
                            "unit": _nullable("string"),
                            "page": _integer(),
                            "pages": _integer(),
                            "total": _integer(),
                            "people": _array(_ref("Person")),
                        }
                    ),
                    [
                        _query("unit", "A unit id; people in every unit below it count too."),
                        _query("page", "500 people a page, by name.", _integer(minimum=1)),
                    ],
                )
            ),
            "/hr/summary": _hr(
                _get(
                    "HR figures of one view, each with its n; suppressed figures are absent",
                    _ref("HrSummary"),
                    [
                        _query("unit", "A unit id: that unit and everything below it."),
                        _query("cycle", "A half-year code such as 20262; default the newest."),
                        _query(
                            "rater_group",
                            "Others' ratings of one group: peer, direct_report, other.",
                        ),
                        _instrument_query(),
                    ],
                )
            ),
            "/hr/archetypes": _hr(
                _get(
                    "The current archetype model: quality figures, centroids, sizes",
                    _ref("HrArchetypes"),
                    [_instrument_query()],
                )
            ),
            "/hr/psychometrics": _hr(
                _get(
                    "Instrument quality per scale and respondent group (404 before computed)",
                    _ref("HrPsychometrics"),
                    [_instrument_query()],
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
