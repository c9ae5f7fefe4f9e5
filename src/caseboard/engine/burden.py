"""The alert-burden report (domain/burden.py) read from the stored snapshot, with the names of
the practitioners and teams it is about."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ibis.backends import BaseBackend

from caseboard.domain.burden import Burden, burden
from caseboard.domain.evidence_text import as_date

CSV_COLUMNS = (
    "tier",
    "name",
    "profile",
    "cases",
    "red_not_discussed",
    "safety_or_clinical",
    "no_flag",
    "flags",
    "flags_per_case",
    "triggers",
)


def read_lines(con: BaseBackend) -> tuple[list[Burden], dt.date | None]:
    """The report's lines and the snapshot's as_of (None, and no lines, before a refresh)."""
    rows = con.table("case_snapshot").to_pyarrow().to_pylist()
    if not rows:
        return [], None
    names = con.table("practitioner").select("id", "name").to_pyarrow().to_pylist()
    teams = con.table("team").select("id", "name").to_pyarrow().to_pylist()
    lines = burden(
        rows,
        {row["id"]: row["name"] for row in names},
        {row["id"]: row["name"] for row in teams},
    )
    return lines, as_date(rows[0]["as_of"])


def write_csv(lines: list[Burden], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for line in lines:
            per_case = line.flags_per_case
            writer.writerow(
                [
                    line.tier,
                    line.name,
                    line.profile,
                    line.cases,
                    line.red_not_discussed,
                    line.safety_or_clinical,
                    line.no_flag,
                    line.flags,
                    "" if per_case is None else f"{per_case:.2f}",
                    "; ".join(line.triggers),
                ]
            )
