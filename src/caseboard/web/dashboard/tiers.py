"""Service and trust pages: aggregates from the tier summaries, never identifiable. At trust
tier a count from 1 to 4 reads "fewer than 5" (DESIGN "Team variation")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from caseboard.records.models import TierSummary
from caseboard.web.dashboard.case_view import NOT_RECORDED  # no high-risk share, never "0%"

SMALL_NUMBER = 5

# (measure, heading, kind): kind "count", "share" (0-1 shown as a percentage) or "month".
COLUMNS = (
    ("open_cases", "Open cases", "count"),
    ("unallocated_cases", "Waiting for allocation", "count"),
    ("flagged_orphaned_case", "Lead left or absent", "count"),
    ("cases_priority_0", "Red safety flag", "count"),
    ("flagged_cases", "Any flag raised", "count"),
    ("high_risk_share", "High risk", "share"),
    ("capacity_used", "Capacity used (lead cases)", "share"),
    ("practitioners_over_capacity", "Practitioners over capacity", "count"),
    ("tt_waiting_within_6_weeks_share", "Waiting within 6 weeks (TT)", "share"),
    ("tt_waiting_within_18_weeks_share", "Waiting within 18 weeks (TT)", "share"),
    ("compliance_share", "Supervised (last frozen month)", "share"),
)


@dataclass(frozen=True)
class TierRow:
    name: str
    cells: tuple[str, ...]


def cell(value: float | None, kind: str, *, suppress: bool) -> str:
    if value is None:
        return "n/a" if kind == "share" else "unknown"
    if kind == "share":
        return f"{value * 100:.0f}%"
    count = int(value)
    if suppress and 0 < count < SMALL_NUMBER:
        return f"fewer than {SMALL_NUMBER}"
    return str(count)


def rows(tier: str, names: dict[int | None, str], *, suppress: bool) -> tuple[list[TierRow], bool]:
    """One row per named object of ``tier`` (None: the trust); False when nothing is computed."""
    ids = [key for key in names if key is not None]
    found: dict[int | None, dict[str, float | None]] = defaultdict(dict)
    query = TierSummary.objects.filter(month__isnull=True, tier=tier)
    query = query.filter(tier_id__in=ids) if tier != "trust" else query
    for tier_id, measure, value in query.values_list("tier_id", "measure", "value"):
        found[tier_id][measure] = value
    table = [
        TierRow(
            name,
            tuple(
                NOT_RECORDED
                if measure == "high_risk_share"
                and not found[key].get("high_risk_recorded_cases")
                and found[key]
                else cell(found[key].get(measure), kind, suppress=suppress)
                for measure, _, kind in COLUMNS
            ),
        )
        for key, name in names.items()
    ]
    return table, bool(found)
