"""Every boundary case, by area."""

from __future__ import annotations

from .cases_oversight import CASES as OVERSIGHT
from .cases_treatment import CASES as TREATMENT
from .cases_waiting import CASES as WAITING

CASES = [*WAITING, *TREATMENT, *OVERSIGHT]
