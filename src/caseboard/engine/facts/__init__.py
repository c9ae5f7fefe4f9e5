"""Per-referral facts the flags are built from, one module per area.

Each function takes the engine's Tables and as_of and returns one row per referral keyed by
``referral_id``. Dates are compared as Europe/London calendar dates; elapsed days are differences
of ``epoch_days`` (integers), which every backend computes alike. Counting conventions:
CLINICAL-RULES.md section 2.
"""

from caseboard.engine.facts.common import days

__all__ = ["days"]
