"""How evidence reads: one snapshot row's facts by name, with dates as '3 Nov 2026', scores as
'14' and missing values as 'none'. Pure Python: no Django, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from caseboard.domain.policy import Policy

NONE = "none"
CHILD_OR_LD = frozenset({"camhs", "learning_disability"})  # "was not brought" (CLINICAL-RULES §1)
DOCUMENTS = ("care_plan", "safety_summary", "safety_plan")
SHORT_NAMES = {
    "phq9": "PHQ-9",
    "gad7": "GAD-7",
    "spin": "SPIN",
    "pcl5": "PCL-5",
    "pdss": "PDSS",
    "oci_r": "OCI-R",
    "shai": "SHAI",
    "mi": "MI",
}


class Facts:
    """One snapshot row, read by name, with dates and numbers shown the way people read them."""

    def __init__(self, row: Mapping[str, Any], policy: Policy) -> None:
        self.row = row
        self.policy = policy
        self.as_of = self.date("as_of")
        if self.as_of is None:
            raise ValueError("the snapshot row has no as_of")

    def __getitem__(self, name: str) -> Any:
        return self.row[name]

    def date(self, name: str) -> dt.date | None:
        return as_date(self.row[name])

    def days_since(self, name: str) -> int | None:
        day = self.date(name)
        return None if day is None else (self.today - day).days

    @property
    def today(self) -> dt.date:
        assert self.as_of is not None
        return self.as_of

    def shown(self, name: str, missing: str = NONE) -> str:
        """A fact as text: a date as '3 Nov 2026', a score as '14', missing as ``missing``."""
        value = self.row[name]
        if value is None or value == "":
            return missing
        if isinstance(value, dt.date | dt.datetime) or name.endswith("_on"):
            return day_text(self.date(name))
        return number_text(value)

    @property
    def missed_term(self) -> str:
        return "was not brought" if self.row["service_kind"] in CHILD_OR_LD else "did not attend"

    @property
    def anxiety_name(self) -> str:
        return instrument_name(str(self.row["anxiety_instrument"] or "gad7"))


def as_date(value: Any) -> dt.date | None:
    """A snapshot date as it arrives from any backend: a date, a datetime or ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def instrument_name(instrument: str) -> str:
    """'PHQ-9', 'GAD-7', 'PCL-5', else the code in capitals ('HONOS', 'DIALOG')."""
    return SHORT_NAMES.get(instrument, instrument.upper().replace("_", "-"))


def day_text(day: dt.date | None) -> str:
    return NONE if day is None else f"{day.day} {day:%b %Y}"


def days_text(days: int | None) -> str:
    """'1 day', '12 days', 'none'."""
    return NONE if days is None else f"{days} day" if days == 1 else f"{days} days"


def counted(count: object, noun: str, plural: str = "") -> str:
    """'1 open concern', '2 open concerns'."""
    return f"{number_text(count)} {noun if count == 1 else plural or noun + 's'}"


def number_text(value: object) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
