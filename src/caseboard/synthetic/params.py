"""The parameters of a synthetic trust: the same Params always give the same trust."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from caseboard.domain import codes

MAX_YEARS = 20


@dataclasses.dataclass(frozen=True)
class Params:
    """``referrals`` sets the trust's size: 60% of it are the referrals open at as_of (the
    default 600 gives the demo's 360 open cases), and the closed referrals are however many a
    steady state with that caseload received and closed in the window of ``years`` (the default
    shape has 2,455 referrals in all). The scaled trust (scale.py) takes it as the total."""

    seed: int
    as_of: dt.date
    referrals: int = 600
    years: int = 2
    services: int = 2
    teams: int = 3
    practitioners: int = 16

    def __post_init__(self) -> None:
        for field in ("seed", "referrals", "years", "services", "teams", "practitioners"):
            value = getattr(self, field)
            # bool is an int subclass; True referrals is a mistake, not 1.
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{field} must be a whole number, not {value!r}")
        if isinstance(self.as_of, dt.datetime) or not isinstance(self.as_of, dt.date):
            raise ValueError(f"as_of must be a date (not a datetime), not {self.as_of!r}")
        if self.seed < 0:
            raise ValueError(f"seed must be 0 or more, not {self.seed}")
        if self.referrals < 1:
            raise ValueError(f"referrals must be at least 1, not {self.referrals}")
        if not 1 <= self.years <= MAX_YEARS:
            raise ValueError(f"years must be between 1 and {MAX_YEARS}, not {self.years}")
        kinds = len(codes.SERVICE_KINDS)
        if not 1 <= self.services <= kinds:
            raise ValueError(
                f"services must be between 1 and {kinds} (one per service kind), "
                f"not {self.services}"
            )
        if self.teams < self.services:
            raise ValueError(
                f"teams ({self.teams}) must be at least services ({self.services}): "
                "every service needs a team"
            )
        if self.practitioners < self.teams:
            raise ValueError(
                f"practitioners ({self.practitioners}) must be at least teams ({self.teams}): "
                "every team needs a practitioner"
            )

    @property
    def window_start(self) -> dt.date:
        """The start of the window, ``years`` years of 365 days before as_of: referrals are
        received from then on, bar those received earlier and still open at its start."""
        return self.as_of - dt.timedelta(days=365 * self.years)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, for the manifest."""
        values = dataclasses.asdict(self)
        values["as_of"] = self.as_of.isoformat()
        return values
