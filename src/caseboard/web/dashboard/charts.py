"""Charts: Vega-Lite specs built from the numbers (plain functions, tested on the numbers),
rendered to SVG on the server by vl-convert (ADR 9). The SVG carries no script and no style
attribute, so it sits inside the page under the site's CSP and prints in black and white."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

FONT = "Arial"
WIDTH, HEIGHT = 400, 160


def line_spec(
    points: list[tuple[dt.date, float | None]], *, title: str, y_title: str
) -> dict[str, Any] | None:
    """A line over month ends; None when there is nothing to draw (the page says so)."""
    values = [
        {"month": day.isoformat(), "value": value} for day, value in points if value is not None
    ]
    if not values:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start", "fontSize": 14},
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "color": "#005eb8"},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": "Month end",
                "axis": {"format": "%b %Y", "labelAngle": -40},
            },
            "y": {"field": "value", "type": "quantitative", "title": y_title, "zero": True},
        },
        "config": {"font": FONT, "view": {"stroke": None}, "background": "white"},
    }


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document (cached: the same numbers draw the same chart)."""
    return _svg(json.dumps(spec, sort_keys=True))
