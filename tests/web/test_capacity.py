"""The capacity view's rows, from practitioner summaries (plain values)."""

from caseboard.web.dashboard.capacity import loads


def test_rows_fullest_first_with_states_decoded():
    people = [
        {"id": 1, "name": "Ann", "role": "pwp", "wte": 0.6},
        {"id": 2, "name": "Bo", "role": "high_intensity_therapist", "wte": 1.0},
        {"id": 3, "name": "Cy", "role": "psychologist", "wte": 1.0},
    ]
    measures = {
        1: {"lead_cases": 45.0, "capacity": 35.7, "flag_over_capacity": 1.0},
        2: {"lead_cases": 18.0, "capacity": 27.2, "flag_over_capacity": 0.0},
        3: {"lead_cases": 9.0, "capacity": None, "flag_over_capacity": None},
    }
    rows = loads(people, measures, {1: ["cbt"]}, {2: "annual leave since 1 Nov 2026"})
    assert [row.name for row in rows] == ["Ann", "Bo", "Cy"]
    ann, bo, cy = rows
    assert ann.role == "PWP" and ann.over_capacity == "amber" and round(ann.used, 2) == 1.26
    assert ann.modalities == ("cbt",) and ann.away == ""
    assert bo.over_capacity == "clear" and bo.away.startswith("annual leave")
    assert cy.used is None and cy.over_capacity == "cannot_assess"  # a role with no cap
