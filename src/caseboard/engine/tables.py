"""The engine's view of the record and application tables, read from the data contract.

Every table is selected to exactly its declared columns, so a backend's extra columns (or a
Parquet file's column order) never reach a rule. With ``referral_ids`` every referral-level table
is filtered to those referrals, and every patient-level table to their patients, before any
window or aggregate (the incremental path). With ``open_on`` they are cut the same way to the
referrals open on that day (the full refresh: only open cases reach the snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import ibis
from ibis.backends import BaseBackend

from caseboard.contract import schema

# Tables keyed by patient rather than referral.
PATIENT_LEVEL = ("patient", "event", "safeguarding_concern", "risk_information")
# Columns no fact reads: where a record came from, and free text. The full refresh's cut
# tables leave them out, so a database that keeps a cut table whole for its several readers
# (DuckDB, PostgreSQL) does not copy them: on the full mirror DuckDB's contact scan took 0.31 s
# of CPU without them, 0.88 s with.
UNREAD = ("source_system", "source_id", "entry")


class Tables:
    def __init__(
        self,
        con: BaseBackend,
        referral_ids: Collection[int] | None = None,
        *,
        open_on: dt.date | None = None,
    ) -> None:
        self.con = con
        self.referral_ids = None if referral_ids is None else sorted(set(referral_ids))
        self.open_on = open_on
        self._cache: dict[str, ibis.Table] = {}

    def __getattr__(self, name: str) -> ibis.Table:
        if name.startswith("_") or name not in schema.BY_NAME:
            raise AttributeError(name)
        if name not in self._cache:
            self._cache[name] = self._filtered(name)
        return self._cache[name]

    def _declared(self, name: str) -> ibis.Table:
        return self.con.table(name).select(*schema.table(name).column_names)

    def _filtered(self, name: str) -> ibis.Table:
        table = self._declared(name)
        if self.open_on is not None:
            table = self._open_only(name, table, self.open_on)
        if self.referral_ids is None:
            return table
        ids = self.referral_ids
        if name == "referral":
            return table.filter(table.id.isin(ids))
        if "referral_id" in table.columns:
            return table.filter(table.referral_id.isin(ids))
        if name in PATIENT_LEVEL:
            referrals = self._declared("referral")
            patients = referrals.filter(referrals.id.isin(ids)).select("patient_id")
            key = table.id if name == "patient" else table.patient_id
            return table.filter(key.isin(patients.patient_id))
        return table

    def _open_ids(self, day: dt.date) -> ibis.Table:
        """The ids and patients of the referrals open on ``day``, built once per instance."""
        key = f"_open_ids_{day.isoformat()}"
        if key not in self._cache:
            r = self._declared("referral")
            # The test of facts.ownership.open_referrals (which reads this class, so cannot be
            # used here).
            self._cache[key] = r.filter(
                (r.received_on <= day) & (r.closed_on.isnull() | (r.closed_on > day))
            ).select("id", "patient_id")
        return self._cache[key]

    def _open_only(self, name: str, table: ibis.Table, day: dt.date) -> ibis.Table:
        """``table`` cut to the referrals open on ``day`` (and their patients), by a semi-join
        on the open referrals' ids, without the UNREAD columns: the full refresh then windows
        and aggregates the open cases' rows only, not every closed case's history."""
        open_ids = self._open_ids(day)
        table = table.drop(*(column for column in UNREAD if column in table.columns))
        if name == "referral":
            return table.filter(table.id.isin(open_ids.id))
        if "referral_id" in table.columns:
            return table.filter(table.referral_id.isin(open_ids.id))
        if name in PATIENT_LEVEL:
            key = table.id if name == "patient" else table.patient_id
            return table.filter(key.isin(open_ids.patient_id))
        return table
