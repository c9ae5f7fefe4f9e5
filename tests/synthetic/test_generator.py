"""The synthetic trust: shape, determinism, the two serialisations and the invariants a clinician
or the engine relies on."""

import collections
import csv
import datetime as dt
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from caseboard.contract import schema
from caseboard.domain.nhs_number import is_valid
from caseboard.synthetic import writers
from caseboard.synthetic.draw import LONDON
from caseboard.synthetic.measures import RANGES
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import arrow_schema
from caseboard.synthetic.trust import DEMO_PEOPLE, SUPERVISION_TABLES, generate

AS_OF = dt.date(2026, 5, 15)
PARAMS = Params(seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def tables():
    return generate(PARAMS)


@pytest.fixture(scope="module")
def rows(tables):
    return {name: table.to_pylist() for name, table in tables.items()}


@pytest.fixture(scope="module")
def by_id(rows):
    return {name: {row["id"]: row for row in table} for name, table in rows.items()}


def _files(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- shape ---------------------------------------------------------------------------------------


def test_generate_gives_every_record_table_and_the_supervision_tables(tables):
    expected = {t.name for t in schema.RECORD_TABLES} | set(SUPERVISION_TABLES)
    assert set(tables) == expected
    assert "app_user" not in tables
    order = [t.name for t in schema.load_order() if t.name in tables]
    assert list(tables) == order


@pytest.mark.parametrize(
    "name", sorted({t.name for t in schema.RECORD_TABLES} | set(SUPERVISION_TABLES))
)
def test_generate_mirror_form_exactly_declared_columns_and_types(tables, name):
    table = tables[name]
    assert table.schema.equals(arrow_schema(schema.table(name)))
    assert table.schema.metadata is None
    assert table.column("id").to_pylist() == list(range(1, table.num_rows + 1))


def test_generate_record_tables_carry_readable_unique_source_ids(rows):
    for declared in schema.RECORD_TABLES:
        ids = [row["source_id"] for row in rows[declared.name]]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(r"[A-Z]+-\d{6}", value) for value in ids)
        assert {row["source_system"] for row in rows[declared.name]} <= {"synthetic-epr"}
    assert rows["patient"][122]["source_id"] == "PAT-000123"


def test_generate_default_shape_services_and_teams(rows, by_id):
    services = [(s["name"], s["kind"]) for s in rows["service"]]
    assert services == [
        ("Talking Therapies", "talking_therapies"),
        ("Community Mental Health", "adult_cmh"),
    ]
    teams = [(t["name"], t["service_id"], t["uses_care_clusters"]) for t in rows["team"]]
    assert teams == [
        ("Talking Therapies North", 1, False),
        ("Talking Therapies South", 1, False),
        ("Community Mental Health North", 2, True),
    ]
    assert len(rows["practitioner"]) == 16
    # 60% of params.referrals are open at as_of; the closed ones are a steady state's history.
    statuses = collections.Counter(r["status"] for r in rows["referral"])
    assert statuses["open"] == 360
    assert 1500 <= statuses["closed"] <= 3000
    assert all(any(p["team_id"] == t["id"] for p in rows["practitioner"]) for t in rows["team"])


@pytest.mark.parametrize("name", [t.name for t in schema.RECORD_TABLES] + list(SUPERVISION_TABLES))
def test_generate_non_nullable_columns_never_null(tables, name):
    for column in schema.table(name).columns:
        if not column.nullable:
            assert tables[name].column(column.name).null_count == 0, column.name


def test_generate_codes_within_declared_codes(rows):
    for name, table_rows in rows.items():
        for column in schema.table(name).columns:
            if column.codes:
                used = {row[column.name] for row in table_rows} - {None}
                assert used <= set(column.codes), (name, column.name, used - set(column.codes))


def test_generate_every_foreign_key_resolves(rows, by_id):
    for name, table_rows in rows.items():
        for column in schema.table(name).foreign_keys:
            values = {row[column.name] for row in table_rows} - {None}
            assert values <= set(by_id[column.references]), (name, column.name)


# -- people --------------------------------------------------------------------------------------


def test_generate_every_nhs_number_valid_unique_and_in_test_range(rows):
    numbers = [p["nhs_number"] for p in rows["patient"]]
    assert all(is_valid(n) and n.startswith("999") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_generate_restricted_patients_have_no_address(rows):
    restricted = [p for p in rows["patient"] if p["restricted"]]
    assert restricted
    assert all(p["postcode"] is None and p["locality"] is None for p in restricted)
    assert all(p["postcode"].startswith("QX") for p in rows["patient"] if not p["restricted"])


def test_generate_deceased_patients_have_their_referrals_closed(rows):
    deceased = {p["id"]: p["deceased_on"] for p in rows["patient"] if p["deceased_on"]}
    assert deceased
    for referral in rows["referral"]:
        if referral["patient_id"] in deceased:
            assert referral["status"] == "closed"
            assert referral["closed_on"] <= deceased[referral["patient_id"]]


def test_generate_practitioners_wte_and_roles(rows):
    for p in rows["practitioner"]:
        assert 0.4 <= p["wte"] <= 1.0 and 0 < p["clinical_fraction"] <= 1.0
        assert p["started_on"] < AS_OF
    leavers = [p for p in rows["practitioner"] if not p["active"]]
    assert len(leavers) == 1 and leavers[0]["ended_on"] < AS_OF
    assert all(p["ended_on"] is None for p in rows["practitioner"] if p["active"])


def _open_leads(rows, by_id):
    leads = collections.Counter()
    for row in rows["referral_care_team"]:
        referral = by_id["referral"][row["referral_id"]]
        if row["role"] == "lead" and row["ends_on"] is None and referral["status"] == "open":
            leads[row["practitioner_id"]] += 1
    return leads


def test_generate_leaver_still_leads_orphaned_open_cases(rows, by_id):
    leaver = next(p for p in rows["practitioner"] if not p["active"])
    assert 1 <= _open_leads(rows, by_id)[leaver["id"]] <= 3


def test_generate_a_pwp_over_the_seed_caseload_cap(rows, by_id):
    # OVER_CAPACITY's count rule: PWP lead caseload > 70 x WTE x clinical fraction (seed 002).
    leads = _open_leads(rows, by_id)
    over = [
        p
        for p in rows["practitioner"]
        if p["role"] == "pwp"
        and p["active"]
        and leads[p["id"]] > 70 * p["wte"] * p["clinical_fraction"]
    ]
    assert over and all(p["source_id"] != DEMO_PEOPLE["practitioner"] for p in over)


def test_generate_absence_with_cover_in_progress(rows):
    covered = [a for a in rows["absence"] if a["cover_practitioner_id"] is not None]
    assert any(a["starts_on"] <= AS_OF and a["ends_on"] is None for a in covered)
    assert all(a["cover_practitioner_id"] != a["practitioner_id"] for a in covered)


def test_generate_every_open_referral_has_one_current_lead_or_none_at_all(rows, by_id):
    leads = collections.defaultdict(list)
    for row in rows["referral_care_team"]:
        if row["role"] == "lead":
            leads[row["referral_id"]].append(row)
    unallocated = 0
    for referral in rows["referral"]:
        if referral["status"] != "open":
            continue
        current = [r for r in leads[referral["id"]] if r["ends_on"] is None]
        if leads[referral["id"]]:
            assert len(current) == 1, referral["source_id"]
        else:
            unallocated += 1
            assert referral["pathway_stage"] in ("awaiting_screening", "awaiting_assessment")
    assert unallocated > 0
    assert any(len(rs) > 1 for rs in leads.values())  # lead changes: ended row, then a new one
    assert any(r["role"] == "co_worker" for r in rows["referral_care_team"])


# -- the demo people -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2023])
def test_demo_people_hold_for_any_seed(seed):
    trust = {n: t.to_pylist() for n, t in generate(Params(seed=seed, as_of=AS_OF)).items()}
    index = {n: {r["id"]: r for r in t} for n, t in trust.items()}
    by_source = {
        n: {r["source_id"]: r for r in t} for n, t in trust.items() if n not in SUPERVISION_TABLES
    }
    service = by_source["service"][DEMO_PEOPLE["service"]]
    team = by_source["team"][DEMO_PEOPLE["manager_team"]]
    assert service["kind"] == "talking_therapies" and team["service_id"] == service["id"]
    leads = _open_leads(trust, index)
    practitioner = by_source["practitioner"][DEMO_PEOPLE["practitioner"]]
    assert practitioner["role"] == "pwp" and practitioner["team_id"] == team["id"]
    assert practitioner["active"] and 40 <= leads[practitioner["id"]] <= 70
    manager = by_source["practitioner"][DEMO_PEOPLE["manager"]]
    assert manager["role"] == "team_manager" and manager["team_id"] == team["id"]
    assert 1 <= leads[manager["id"]] <= 15
    supervisor = by_source["practitioner"][DEMO_PEOPLE["supervisor"]]
    supervisees = [p for p in trust["practitioner"] if p["supervisor_id"] == supervisor["id"]]
    assert len({p["team_id"] for p in supervisees}) == 2
    assert practitioner in supervisees


# -- contacts and measures -----------------------------------------------------------------------


def test_generate_contacts_inside_the_episode_and_before_as_of_unless_booked(rows, by_id):
    for contact in rows["contact"]:
        referral = by_id["referral"][contact["referral_id"]]
        assert contact["starts_on"] >= referral["received_on"]
        if referral["closed_on"] is not None:
            assert contact["starts_on"] <= referral["closed_on"]
            assert contact["outcome"] != "booked" or contact["starts_on"] < AS_OF
        if contact["starts_on"] >= AS_OF:
            assert contact["outcome"] == "booked"
        if contact["outcome"] == "attended":
            assert contact["starts_on"] < AS_OF and contact["minutes"] > 0


def test_generate_contacts_include_future_bookings_and_a_few_unrecorded(rows):
    outcomes = collections.Counter((c["outcome"], c["starts_on"] >= AS_OF) for c in rows["contact"])
    assert outcomes[("booked", True)] > 50
    assert 1 <= outcomes[("booked", False)] <= 3
    for outcome in ("did_not_attend", "cancelled_by_patient", "cancelled_by_service"):
        assert outcomes[(outcome, False)] > 0
    kinds = {c["kind"] for c in rows["contact"]}
    assert {
        "assessment",
        "assessment_and_treatment",
        "treatment",
        "review",
        "keeping_in_touch",
    } <= kinds


def test_generate_contact_times_are_london_working_hours(rows):
    for contact in rows["contact"]:
        local = contact["starts_at"].astimezone(LONDON)
        assert local.date() == contact["starts_on"]
        assert 9 <= local.hour < 17 and local.weekday() < 5
    summer = next(c for c in rows["contact"] if c["starts_on"].month == 7)
    assert summer["starts_at"].utcoffset() == dt.timedelta(0)
    assert summer["starts_at"].astimezone(LONDON).utcoffset() == dt.timedelta(hours=1)


def test_generate_measures_only_at_attended_contacts_of_the_same_referral(rows, by_id):
    for measure in rows["measure"]:
        contact = by_id["contact"][measure["contact_id"]]
        assert contact["outcome"] == "attended"
        assert contact["referral_id"] == measure["referral_id"]
        assert measure["measured_on"] == contact["starts_on"]


def test_generate_scores_in_instrument_range(rows):
    for measure in rows["measure"]:
        low, high = RANGES[measure["instrument"]]
        assert low <= measure["score"] <= high, measure


def test_generate_phq9_items_sum_to_the_total(rows, by_id):
    items = collections.defaultdict(dict)
    for item in rows["measure_item"]:
        items[item["measure_id"]][item["item"]] = item["score"]
    phq9 = [m for m in rows["measure"] if m["instrument"] == "phq9"]
    assert set(items) == {m["id"] for m in phq9}
    for measure in phq9:
        scores = items[measure["id"]]
        assert sorted(scores) == list(range(1, 10))
        assert all(0 <= s <= 3 for s in scores.values())
        assert sum(scores.values()) == measure["score"]
    item9 = [items[m["id"]][9] for m in phq9]
    assert 0 < sum(1 for s in item9 if s >= 1) < 0.1 * len(item9)


def test_generate_measure_mix_by_service(rows, by_id):
    kinds = {t["id"]: by_id["service"][t["service_id"]]["kind"] for t in rows["team"]}
    used = collections.defaultdict(set)
    for measure in rows["measure"]:
        used[kinds[by_id["referral"][measure["referral_id"]]["team_id"]]].add(measure["instrument"])
    assert {"phq9", "gad7", "wsas"} <= used["talking_therapies"]
    assert used["talking_therapies"] & {"spin", "pcl5", "pdss", "oci_r", "shai", "mi"}
    assert "honos" in used["adult_cmh"] and "phq9" not in used["adult_cmh"]
    assert used["adult_cmh"] & {"dialog", "reqol10"}


# -- referrals -----------------------------------------------------------------------------------


def test_generate_referrals_in_window_and_closed_ones_closed(rows):
    brought_forward = 0
    for referral in rows["referral"]:
        assert referral["received_on"] <= AS_OF
        if referral["received_on"] < PARAMS.window_start:
            # Received before the window: only if still open at its start.
            brought_forward += 1
            closed_on = referral["closed_on"]
            assert closed_on is None or closed_on >= PARAMS.window_start
        closed = referral["status"] == "closed"
        assert (
            (referral["closed_on"] is not None)
            == closed
            == (referral["closure_reason"] is not None)
        )
        if closed:
            assert referral["received_on"] <= referral["closed_on"] < AS_OF
    statuses = collections.Counter(r["status"] for r in rows["referral"])
    assert statuses["open"] > 0 and statuses["closed"] > 0
    # About one open caseload (the one at the window's start) is brought forward.
    assert 0 < brought_forward < 0.2 * len(rows["referral"])


def test_generate_talking_therapies_steps_and_community_clusters(rows):
    tt = [r for r in rows["referral"] if r["team_id"] in (1, 2)]
    steps = collections.Counter(r["step"] for r in tt)
    assert set(steps) == {2, 3} and steps[2] > steps[3]
    cmh = [r for r in rows["referral"] if r["team_id"] == 3]
    assert all(r["step"] is None and r["problem_descriptor"] is None for r in cmh)
    clustered = [r for r in cmh if r["care_cluster"] is not None]
    assert len(clustered) > len(cmh) / 2
    assert all(r["cluster_assessed_on"] is not None for r in clustered)
    assert all(r["care_cluster"] is None for r in tt)


def test_generate_priority_groups_include_a_referral_with_two(rows):
    groups = collections.defaultdict(set)
    for row in rows["referral_priority_group"]:
        groups[row["referral_id"]].add(row["priority_group"])
    assert any({"perinatal", "veteran"} <= g for g in groups.values())


def test_generate_step_changes_include_one_not_actioned(rows):
    assert any(s["actioned_on"] is None for s in rows["step_change"])
    assert any(s["actioned_on"] is not None for s in rows["step_change"])


def test_generate_clinical_records_present(rows):
    assert {d["kind"] for d in rows["care_document"]} >= {
        "care_plan",
        "safety_summary",
        "safety_plan",
    }
    assert any(d["review_due_on"] and d["review_due_on"] < AS_OF for d in rows["care_document"])
    assert rows["event"] and rows["letter"]
    assert any(s["closed_on"] is None for s in rows["safeguarding_concern"])
    assert any(r["level"] == "high" for r in rows["risk_information"])
    assert any(letter["kind"] == "waiting" for letter in rows["letter"])


# -- supervision ---------------------------------------------------------------------------------


def test_generate_declared_pairs_set_together_or_not_at_all(rows):
    paired = [t for t in schema.TABLES if t.name in rows and t.pairs]
    assert {t.name for t in paired} >= {"supervision_session", "supervision_discussion"}
    for table in paired:
        for first, second in table.pairs:
            for row in rows[table.name]:
                assert (row[first] is None) == (row[second] is None), (table.name, row["id"])
    assert any(s["signed_off_at"] is None for s in rows["supervision_session"])


def test_generate_caseload_sessions_have_one_attendee(rows):
    attendees = collections.Counter(a["session_id"] for a in rows["supervision_attendee"])
    for session in rows["supervision_session"]:
        if session["kind"] == "caseload":
            assert attendees[session["id"]] == 1 and session["counts_toward_standard"]
        assert session["held_on"] < AS_OF


def test_generate_discussions_are_of_open_referrals_on_the_session_date(rows, by_id):
    discussed = set()
    for discussion in rows["supervision_discussion"]:
        session = by_id["supervision_session"][discussion["session_id"]]
        referral = by_id["referral"][discussion["referral_id"]]
        assert discussion["session_date"] == session["held_on"]
        assert referral["received_on"] <= session["held_on"]
        assert referral["closed_on"] is None or session["held_on"] < referral["closed_on"]
        assert discussion["entry"]
        discussed.add(referral["id"])
    open_ids = {r["id"] for r in rows["referral"] if r["status"] == "open"}
    assert open_ids - discussed  # some referrals were never discussed


def test_generate_some_supervisee_missed_recent_months(rows):
    supervisees = {p["id"] for p in rows["practitioner"] if p["supervisor_id"] and p["active"]}
    sessions = by_session = {
        s["id"]: s for s in rows["supervision_session"] if s["kind"] == "caseload"
    }
    recent = {
        a["practitioner_id"]
        for a in rows["supervision_attendee"]
        if a["session_id"] in by_session
        and sessions[a["session_id"]]["held_on"] >= AS_OF - dt.timedelta(days=75)
    }
    assert supervisees - recent


def test_generate_actions_some_completed_some_overdue(rows):
    actions = rows["supervision_action"]
    assert any(a["completed_on"] is not None for a in actions)
    assert any(a["completed_on"] is None and a["due_on"] < AS_OF for a in actions)
    assert all((a["completed_on"] is None) == (a["completed_by_id"] is None) for a in actions)


# -- other shapes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        {"referrals": 1, "services": 1, "teams": 1, "practitioners": 1, "years": 1},
        {"referrals": 250, "services": 3, "teams": 5, "practitioners": 11, "years": 1},
        {"referrals": 120, "services": 10, "teams": 10, "practitioners": 12, "years": 3},
    ],
)
def test_generate_other_shapes(shape):
    trust = generate(Params(seed=3, as_of=AS_OF, **shape))
    statuses = trust["referral"].column("status").to_pylist()
    assert statuses.count("open") == max(1, round(0.6 * shape["referrals"]))
    assert trust["team"].num_rows == shape["teams"]
    assert trust["practitioner"].num_rows == shape["practitioners"]
    kinds = trust["service"].column("kind").to_pylist()
    assert len(set(kinds)) == shape["services"] and kinds[0] == "talking_therapies"
    teams_with_staff = set(trust["practitioner"].column("team_id").to_pylist())
    assert teams_with_staff == set(trust["team"].column("id").to_pylist())


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"seed": -1}, "seed"),
        ({"referrals": 0}, "referrals"),
        ({"teams": 1, "services": 2}, "teams"),
        ({"practitioners": 2}, "practitioners"),
        ({"years": 0}, "years"),
        ({"services": 11, "teams": 11, "practitioners": 11}, "services"),
        ({"referrals": True}, "referrals"),
        ({"as_of": dt.datetime(2026, 1, 1)}, "as_of"),
    ],
)
def test_params_refuse_impossible_values(values, message):
    with pytest.raises(ValueError, match=message):
        Params(**{"seed": 1, "as_of": AS_OF, **values})


# -- serialisations ------------------------------------------------------------------------------


def test_write_same_seed_identical_bytes_different_seed_differs(tmp_path):
    other = Params(seed=8, as_of=AS_OF)
    trusts = generate(PARAMS), generate(PARAMS), generate(other)
    for fmt, write in (("parquet", writers.write_parquet), ("csv", writers.write_csv)):
        write(trusts[0], PARAMS, tmp_path / f"a-{fmt}")
        write(trusts[1], PARAMS, tmp_path / f"b-{fmt}")
        write(trusts[2], other, tmp_path / f"c-{fmt}")
        first, second = _files(tmp_path / f"a-{fmt}"), _files(tmp_path / f"b-{fmt}")
        assert first == second
        third = _files(tmp_path / f"c-{fmt}")
        assert first["patient." + fmt] != third["patient." + fmt]
        assert first["manifest.json"] != third["manifest.json"]


def test_write_parquet_declared_schema_and_manifest_counts(tables, tmp_path):
    manifest = writers.write_parquet(tables, PARAMS, tmp_path)
    on_disk = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert on_disk == manifest
    assert on_disk["seed"] == 7 and on_disk["as_of"] == "2026-05-15"
    assert on_disk["parameters"]["referrals"] == 600
    assert on_disk["format"] == "caseboard-mirror-parquet" and on_disk["format_version"] == 1
    assert set(on_disk["row_counts"]) == set(tables)
    for name, count in on_disk["row_counts"].items():
        read = pq.read_table(tmp_path / f"{name}.parquet")
        assert read.num_rows == count == tables[name].num_rows
        assert read.schema.remove_metadata().equals(arrow_schema(schema.table(name)))
        assert b"pandas" not in (read.schema.metadata or {})
    text = (tmp_path / "manifest.json").read_text("utf-8")
    assert text.endswith("}\n") and text == json.dumps(on_disk, sort_keys=True, indent=2) + "\n"


def test_write_csv_extract_format(tables, rows, tmp_path):
    manifest = writers.write_csv(tables, PARAMS, tmp_path)
    record_names = {t.name for t in schema.RECORD_TABLES}
    assert set(manifest["row_counts"]) == record_names
    assert set(manifest["excluded_tables"]) == set(SUPERVISION_TABLES)
    assert not any(tmp_path.glob("supervision*"))
    for name, count in manifest["row_counts"].items():
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            data = list(csv.DictReader(handle))
        assert len(data) == count
        header = list(data[0]) if data else []
        assert "id" not in header
        for column in schema.table(name).foreign_keys:
            assert column.name not in header
            assert column.name.removesuffix("_id") + "_source_id" in header
    with (tmp_path / "practitioner.csv").open(encoding="utf-8", newline="") as handle:
        staff = list(csv.DictReader(handle))
    assert staff[1]["supervisor_source_id"] == "PRAC-000003"
    assert {s["active"] for s in staff} == {"true", "false"}
    with (tmp_path / "contact.csv").open(encoding="utf-8", newline="") as handle:
        contact = next(csv.DictReader(handle))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", contact["starts_at"])
    assert contact["referral_source_id"].startswith("REF-")
    assert dt.datetime.fromisoformat(contact["starts_at"]) == rows["contact"][0]["starts_at"]
    with (tmp_path / "patient.csv").open(encoding="utf-8", newline="") as handle:
        patients = list(csv.DictReader(handle))
    assert all(re.fullmatch(r"\d{10}", p["nhs_number"]) for p in patients)
    assert any(p["postcode"] == "" for p in patients)  # restricted: empty field is null


def test_write_refuses_undeclared_columns(tables, tmp_path):
    broken = dict(tables)
    broken["team"] = tables["team"].append_column("colour", pa.array(["red"] * 3))
    with pytest.raises(ValueError, match="colour"):
        writers.write_parquet(broken, PARAMS, tmp_path)
