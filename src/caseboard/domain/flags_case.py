"""The flag catalogue, part 1: waiting, contact and attendance (treatment and outcomes are in
``flags_treatment``).

Rules are worded as in CLINICAL-RULES.md section 2; ``{name}`` is a policy setting.
"""

from __future__ import annotations

from caseboard.domain import evidence_fields as fields
from caseboard.domain.flag_types import ALL_PROFILES, TALKING_THERAPIES, Flag
from caseboard.domain.flags_treatment import TREATMENT

WAITING = (
    Flag(
        code="WAIT_FIRST",
        title="Waiting for a first assessment",
        level="case",
        severity="amber_or_red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Clock from referral received to the first attended assessment (a DNA does not stop "
            "it). Amber: no appointment booked on or before day {first_appointment_internal_days}"
            " and days >= {wait_first_amber_days}. Red (internal): days > "
            "{first_appointment_internal_days}. Red (national): > "
            "{first_appointment_national_days}. Shown on the team waiting list even when "
            "unallocated. For the 6/18-week standard the clock stops at the first treatment "
            "contact (assessment_and_treatment counts)."
        ),
        source="seed 002 §9.2, §9.3; app. 1 §4.1",
        evidence_template=(
            "waiting {days} since referral received on {received_on}, not yet "
            "assessed; next appointment: {next_booked}"
        ),
        lane="clinical",
        fields=fields.wait_first,
    ),
    Flag(
        code="WAIT_SECOND",
        title="Waiting for a second treatment contact",
        level="case",
        severity="amber_or_red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Anchor: the first attended assessment or treatment contact. Still waiting = fewer "
            "than two treatment contacts (the anchor counts if it is one), not closed, and not "
            "taken off the waiting list by the assessment's outcome (signposted, not suitable, "
            "declined, stepped up). Amber when days > "
            "{second_appointment_amber_days}, red when > {second_appointment_red_days}. The "
            "{second_appointment_over_red_max_percent}% expectation is reported two ways, "
            "labelled: (a) those now waiting with days > {second_appointment_red_days} as a share "
            "of all those waiting (the seed's wording); (b) second contacts in the period after a "
            "gap > {second_appointment_red_days} days (the NHS England style)."
        ),
        source="seed 002 app. 1 §1, §4.2; CLINICAL-RULES section 2 (revision 2)",
        evidence_template=(
            "first seen {days} ago on {first_seen_on}; {treatment_contacts} since; waiting for "
            "treatment"
        ),
        lane="clinical",
        fields=fields.wait_second,
    ),
    Flag(
        code="KIT_DUE",
        title="Keeping-in-touch call due",
        level="case",
        severity="amber_or_red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Same anchor and 'still waiting' as WAIT_SECOND. Amber: still waiting, days since the "
            "anchor (or the last attended KIT call) >= {kit_amber_days}, no KIT booked. Red: "
            "days > {kit_red_days} with no attended KIT (a DNA'd KIT is not done) and no "
            "opt-out. Repeats every {kit_recurrence_days} days while the wait continues (local "
            "choice)."
        ),
        source="seed 002 app. 1 §4.2.2.1; CLINICAL-RULES section 2 (revision 2)",
        evidence_template=(
            "waiting for treatment since first seen on {first_seen_on}; last attended KIT "
            "call: {last_kit_on}; {days} without one; next KIT call: {next_kit}"
        ),
        lane="clinical",
        fields=fields.kit_due,
    ),
    Flag(
        code="WAIT_LETTER_DUE",
        title="Waiting letter not sent",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "First-appointment wait beyond the internal target ({first_appointment_internal_days}"
            " days) and no waiting letter to the patient and GP (with emergency helplines and "
            "other sources of support)."
        ),
        source="seed 002 app. 1 §4.1.5",
        evidence_template=(
            "waiting {days} since referral received on {received_on}, not yet "
            "assessed; no waiting letter recorded"
        ),
        lane="process",
        fields=fields.wait_letter_due,
    ),
    Flag(
        code="UNSCREENED",
        title="Referral not screened",
        level="case",
        severity="red",
        applies_to=ALL_PROFILES,
        rule=(
            "An urgent referral not screened within {unscreened_urgent_days} days of receipt "
            "(0 = the same day); any referral not screened beyond {unscreened_days} days "
            "(local default)."
        ),
        source="seed 002 §8, §9.1",
        evidence_template=(
            "{priority} referral received on {received_on}, {days} ago; not screened"
        ),
        safety=True,
        lane="safety",
        fields=fields.unscreened,
    ),
)

CONTACT = (
    Flag(
        code="NO_CONTACT",
        title="No recent contact",
        level="case",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "Every open referral after its first attended clinical contact that is not waiting "
            "for treatment (as WAIT_SECOND defines it). Interval: {no_contact_days} days (the "
            "profile's; Talking Therapies: 'exceeds 2 weeks'), {no_contact_stable_days} while "
            "stable. Amber when days since the last attended clinical contact > the interval "
            "and nothing is booked within the interval from today (a booking further away does "
            "not clear it). Beyond twice the interval it stays raised whatever is booked: red "
            "with nothing booked within the interval, amber with a booking. Also amber: "
            "allocated, never seen, and more than {never_seen_days} days since allocation "
            "(not in Talking Therapies, where WAIT_FIRST counts that wait)."
        ),
        source="seed 002 app. 2 checklist; CLINICAL-RULES §1, §2 (revision 2)",
        evidence_template="{text}",
        lane="clinical",
        fields=fields.no_contact,
        no_data="no contact interval is set for this service profile",
    ),
    Flag(
        code="DNA_REVIEW",
        title="Missed appointments: review",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Count DNAs (or was not brought) and patient cancellations among booked clinical "
            "contacts of any kind dated within {dna_review_window_days} days of as_of. Raise at "
            ">= {dna_review_count} (seed: 'more than one') unless a signed supervision discussion "
            "is dated on or after the latest of them. Talking Therapies: discharge considered. "
            "Community: never auto-discharge; review. LD and CAMHS: 'was not brought', with a "
            "safeguarding prompt."
        ),
        source="seed 002 §10; app. 2; CLINICAL-RULES section 2 (revision 2)",
        evidence_template=(
            "{count} or more missed appointments ({missed_term}) or patient cancellations in "
            "the last {window} days, the latest on {latest_on}; not discussed in supervision "
            "since"
        ),
        lane="clinical",
        fields=fields.dna_review,
    ),
    Flag(
        code="DNA_ASSESSMENT",
        title="First assessment missed",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "A DNA (or was not brought) of the first assessment: a risk review is needed before "
            "closure. Caseboard never closes a referral."
        ),
        source="seed 002 §9.1, §10",
        evidence_template="first assessment offered: {missed_term}; no assessment attended since",
        lane="safety",
        fields=fields.dna_assessment,
    ),
    Flag(
        code="DNA_FOLLOWUP",
        title="Missed appointment not followed up",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Any single DNA (or was not brought) with no follow-up recorded within "
            "{dna_followup_working_days} working days (Monday to Friday; bank holidays are not "
            "modelled)."
        ),
        source="seed 002 §10",
        evidence_template=(
            "{missed_term} on {date}; no contact recorded since, follow-up was due by {due_on}"
        ),
        lane="clinical",
        fields=fields.dna_followup,
    ),
    Flag(
        code="OUTCOME_NOT_RECORDED",
        title="Appointment outcome not recorded",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "A past contact still 'booked' after {outcome_not_recorded_days} days is 'outcome not "
            "recorded'. It never counts as attended (otherwise it hides DNAs)."
        ),
        source="data quality; CLINICAL-RULES §2",
        evidence_template=("{count} still booked; the oldest on {date}, {days} ago"),
        lane="process",
        fields=fields.outcome_not_recorded,
    ),
)


CASE_FLAGS = WAITING + CONTACT + TREATMENT
