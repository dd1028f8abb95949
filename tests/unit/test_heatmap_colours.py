"""The heatmap's colours stay readable: ink contrast on every cell, and the two directions
(below and above) stay apart for people with red-green colour blindness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "hr.css"
INK = "#1f2933"
# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def _heat_colours() -> dict[str, str]:
    return dict(
        re.findall(
            r"\.heat-(lo2|lo1|mid|hi1|hi2) \{ background: (#[0-9a-f]{6}); \}", CSS.read_text()
        )
    )


def _linear(hex_colour: str) -> tuple[float, ...]:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def _luminance(rgb: tuple[float, ...]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_linear(a)), _luminance(_linear(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _seen(hex_colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, ...]:
    rgb = _linear(hex_colour)
    return tuple(
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
    )


def _distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def test_the_five_heatmap_classes_are_all_defined():
    assert set(_heat_colours()) == {"lo2", "lo1", "mid", "hi1", "hi2"}


@pytest.mark.parametrize("name", ["lo2", "lo1", "mid", "hi1", "hi2"])
def test_the_printed_value_keeps_aa_contrast_on_every_cell(name):
    assert _contrast(INK, _heat_colours()[name]) >= 4.5


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_below_and_above_stay_apart_for_red_green_colour_blindness(vision):
    colours = {k: _seen(v, SIMULATIONS[vision]) for k, v in _heat_colours().items()}
    assert _distance(colours["lo2"], colours["hi2"]) > 0.5
    assert _distance(colours["lo1"], colours["hi1"]) > 0.3
    for strong, mild in (("lo2", "lo1"), ("hi2", "hi1")):
        assert _distance(colours[strong], colours["mid"]) > _distance(colours[mild], colours["mid"])
