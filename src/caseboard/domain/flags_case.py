"""The flag catalogue, part 1: waiting, contact and attendance, treatment and outcomes.

Rules are worded as in CLINICAL-RULES.md section 2; ``{name}`` is a policy setting.
"""

from __future__ import annotations

from caseboard.domain import evidence_fields as fields
from caseboard.domain.flag_types import ALL_PROFILES, COMMUNITY, TALKING_THERAPIES, Flag

HOLD_BACK = ("RECOVERED", "READY_TO_STEP_DOWN")

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

TREATMENT = (
    Flag(
        code="SESSION_LIMIT",
        title="Session limit",
        level="case",
        severity="amber_or_red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Step 2: amber when treatment contacts >= {step2_session_review} and no extension "
            "has been agreed ('discuss by session 4'). Red when attended assessment and "
            "treatment contacts (KIT and review calls never count) > {step2_session_limit} "
            "without an agreed extension, or > {step2_session_maximum} at all. Step 3: >= "
            "{step3_session_review} / > {step3_session_limit} / > {step3_session_maximum} in the "
            "same way. More than 7 / 13 contacts needs the supervisor's agreement in advance "
            "(agreed_session_limit)."
        ),
        source="seed 002 §11; app. 2",
        evidence_template=(
            "step {step}: {count} attended assessment and treatment contacts "
            "({treatment_count} treatment); limit agreed in supervision or on the "
            "referral: {agreed_limit}"
        ),
        lane="clinical",
        fields=fields.session_limit,
        no_data="no stepped-care step is recorded",
    ),
    Flag(
        code="NOT_IMPROVING",
        title="Not improving",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Treatment contacts >= {not_improving_step2_contacts} (step 2) or >= "
            "{not_improving_step3_contacts} (step 3); first paired score in caseness; latest "
            "still in caseness; no reliable improvement on any relevant measure (PHQ-9 fall >= "
            "{phq9_reliable_change}, GAD-7 fall >= {gad7_reliable_change}, or the ADSM's reliable "
            "change index)."
        ),
        source="seed 002 app. 2",
        evidence_template=(
            "{count} treatment contacts; PHQ-9 {phq9_first} to {phq9_last}, "
            "{anxiety_instrument} {anxiety_first} to {anxiety_last} ({first_on} to "
            "{last_on})"
        ),
        lane="clinical",
        fields=fields.not_improving,
        no_data="no paired PHQ-9 or anxiety scores are recorded",
    ),
    Flag(
        code="DETERIORATING",
        title="Reliable deterioration",
        level="case",
        severity="red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "A reliable rise on either measure, first to latest, whatever the other measure did "
            "(PHQ-9 rise >= {phq9_reliable_change}, GAD-7 rise >= {gad7_reliable_change}, or the "
            "ADSM's reliable change index). The KPI keeps the NHS Talking Therapies definition "
            "('a reliable rise on either measure and no reliable fall on the other')."
        ),
        source="NHS Talking Therapies definitions; CLINICAL-RULES §2",
        evidence_template=(
            "PHQ-9 {phq9_first} to {phq9_last}, {anxiety_instrument} "
            "{anxiety_first} to {anxiety_last} ({first_on} to {last_on})"
        ),
        safety=True,
        holds_back=HOLD_BACK,
        lane="safety",
        fields=fields.deteriorating,
    ),
    Flag(
        code="PHQ9_ITEM9",
        title="PHQ-9 item 9 not reviewed",
        level="case",
        severity="red",
        applies_to=ALL_PROFILES,
        rule=(
            "Red when the latest PHQ-9 item 9 >= {phq9_item9_threshold} and no risk review or "
            "safety plan is dated on or after it. Suppresses RECOVERED and READY_TO_STEP_DOWN "
            "until the item is reviewed."
        ),
        source="seed 002 §9.2 (risk); CLINICAL-RULES §2",
        evidence_template=(
            "PHQ-9 item 9 scored {item9} on {date}; risk last recorded "
            "{risk_recorded_on}, safety plan {safety_plan_on}: no review since"
        ),
        safety=True,
        holds_back=HOLD_BACK,
        applies_when="a PHQ-9 has been recorded in the referral (community profiles rarely "
        "record one; with none the flag is not_applicable there)",
        lane="safety",
        fields=fields.item9,
    ),
    Flag(
        code="RECOVERED",
        title="Recovered: consider discharge",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "First paired score in caseness, and the last two consecutive measured contacts "
            "below caseness (PHQ-9 < {phq9_caseness} and the anxiety measure below its cut-off: "
            "GAD-7 < {gad7_caseness} or the ADSM's). Not raised with DETERIORATING or PHQ9_ITEM9."
            " The wording is 'consider discharge', never 'discharge'."
        ),
        source="seed 002 app. 2; CLINICAL-RULES §2",
        evidence_template=(
            "first PHQ-9 {phq9_first}, {anxiety_instrument} {anxiety_first} on "
            "{first_on}; the last two: PHQ-9 {phq9_previous} and {phq9_last}, "
            "{anxiety_instrument} {anxiety_previous} and {anxiety_last} (last on "
            "{last_on}), below caseness: consider discharge"
        ),
        lane="clinical",
        fields=fields.recovered,
    ),
    Flag(
        code="NOT_CASENESS",
        title="Not in caseness: discuss first",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "First measure below caseness on all relevant measures. Cleared only by a signed "
            "supervision discussion dated after the assessment ('discuss... first, before "
            "agreeing an intervention'), not by acknowledgement."
        ),
        source="seed 002 app. 2",
        evidence_template=(
            "assessed on {date}; first scores on {first_on}: PHQ-9 {phq9}, "
            "{anxiety_instrument} {anxiety}, below caseness; last discussed "
            "{last_discussed_on}"
        ),
        lane="clinical",
        fields=fields.not_caseness,
        no_data="assessed, but no PHQ-9 or anxiety scores are recorded",
    ),
    Flag(
        code="MEASURE_MISSING",
        title="Outcome measures missing",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Talking Therapies only. An attended clinical contact (the latest) with no PHQ-9 "
            "and GAD-7 linked to it or dated in [contact - {measure_window_days} days, contact]."
        ),
        source="seed 002 §17.2",
        evidence_template=(
            "last attended contact on {date}: no {missing} dated within {window} days of it"
        ),
        lane="process",
        fields=fields.measure_missing,
    ),
    Flag(
        code="DESCRIPTOR_MISSING",
        title="Problem descriptor missing",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule="A Talking Therapies case with no problem descriptor recorded after assessment.",
        source="seed 002 app. 2 checklist",
        evidence_template="assessed on {date}; no problem descriptor",
        lane="process",
        fields=fields.descriptor_missing,
    ),
    Flag(
        code="ADSM_MISSING",
        title="Disorder-specific measure missing",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "The problem descriptor calls for an anxiety-disorder-specific measure (social "
            "anxiety SPIN, PTSD PCL-5, panic PDSS, OCD OCI-R, health anxiety SHAI, agoraphobia "
            "MI) and none is recorded."
        ),
        source="seed 002 app. 2 checklist; §17.2",
        evidence_template="problem descriptor {descriptor}: no {instrument} recorded",
        lane="process",
        fields=fields.adsm_missing,
    ),
    Flag(
        code="LONG_EPISODE",
        title="Long episode",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Weeks since the first treatment contact > the configured value per step "
            "({long_episode_step2_weeks} at step 2, {long_episode_step3_weeks} at step 3; local "
            "default, not from the seeds). Community teams use STAGE_STALLED."
        ),
        source="seed 002 app. 2 ('open to the service for a long time'); local default",
        evidence_template=(
            "step {step}: {weeks} weeks since the first treatment contact on {first_treatment_on}"
        ),
        lane="clinical",
        fields=fields.long_episode,
        no_data="no stepped-care step is recorded",
    ),
    Flag(
        code="OUTCOME_DUE",
        title="Outcome measures due",
        level="case",
        severity="amber",
        applies_to=COMMUNITY,
        rule=(
            "A clinician-rated and patient-reported outcome pair (HoNOS / HoNOS 65+ with DIALOG "
            "or ReQoL; LD: HoNOS-LD; CAMHS: HoNOSCA with RCADS/SDQ or goal-based outcomes) not "
            "taken when due: none in the last {outcome_due_months} months (local interval)."
        ),
        source="seed 000 §4.4 ('timely and paired')",
        evidence_template=(
            "assessed on {first_assessment_on}; clinician-rated measure last "
            "{clinician_on}, patient-reported {patient_on}; a pair is due every "
            "{months} months"
        ),
        lane="process",
        fields=fields.outcome_due,
    ),
)

CASE_FLAGS = WAITING + CONTACT + TREATMENT
