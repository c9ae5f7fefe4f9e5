"""The facts each case flag's rule reads, as found in its expression (engine/rules/inputs.py):
what an acknowledgement hashes, so a change in any of them raises the flag again (hazard H5)."""

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.engine.rules.inputs import rule_inputs


def test_every_case_flag_reads_facts_the_snapshot_keeps():
    found = rule_inputs()
    assert set(found) == {flag.code for flag in CASE_FLAGS}
    kept = set(CASE_SNAPSHOT.column_names)
    for code, names in found.items():
        assert names and set(names) <= kept, (code, set(names) - kept)
        assert "as_of" not in names, code


def test_the_inputs_are_what_the_rules_read():
    found = rule_inputs()
    # WAIT_FIRST counts days from receipt: the date, never the count, so time alone changes
    # nothing; and it reads whether anything is booked.
    assert found["WAIT_FIRST"] == (
        "first_assessment_on",
        "next_booked_on",
        "received_on",
        "service_kind",
    )
    # Facts a hand-kept list once missed (a snooze then held while they worsened):
    assert {"treatment_contacts", "step", "anxiety_instrument"} <= set(found["NOT_IMPROVING"])
    assert {"phq9_at_last_contact", "gad7_at_last_contact"} <= set(found["MEASURE_MISSING"])
    assert {"assessment_outcome", "treatment_contacts", "first_assessment_on"} <= set(
        found["KIT_DUE"]
    )
    # READY_TO_STEP_DOWN is held back by PHQ9_ITEM9 and DETERIORATING: their facts count too.
    assert {"phq9_item9", "phq9_item9_on", "safety_plan_on"} <= set(found["READY_TO_STEP_DOWN"])
    assert "uses_care_clusters" in found["CLUSTER_MISSING"]
