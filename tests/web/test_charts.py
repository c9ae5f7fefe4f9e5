"""Charts are built from the numbers (tested here) and drawn as SVG without script or style."""

import datetime as dt

from caseboard.web.dashboard.charts import line_spec, svg


def test_a_line_over_month_ends_from_the_numbers():
    spec = line_spec(
        [(dt.date(2026, 9, 30), 40.0), (dt.date(2026, 10, 31), None), (dt.date(2026, 11, 30), 44)],
        title="Open cases",
        y_title="Open cases",
    )
    assert spec["data"]["values"] == [
        {"month": "2026-09-30", "value": 40.0},
        {"month": "2026-11-30", "value": 44},
    ]
    assert spec["encoding"]["y"]["zero"] is True  # a trend is never drawn from a false origin
    assert spec["title"]["text"] == "Open cases"


def test_nothing_to_draw_is_an_empty_state():
    assert line_spec([], title="Open cases", y_title="n") is None
    assert line_spec([(dt.date(2026, 9, 30), None)], title="Open cases", y_title="n") is None


def test_the_svg_has_no_script_and_no_style_attribute():
    spec = line_spec([(dt.date(2026, 9, 30), 40.0)], title="Open cases", y_title="Open cases")
    drawing = svg(spec)
    assert drawing.startswith("<svg") and "Open cases" in drawing
    assert "<script" not in drawing and "style=" not in drawing
