"""The flag catalogue, part 1b: treatment and outcomes (gathered with waiting and contact by
``flags_case``).

Rules are worded as in CLINICAL-RULES.md section 2; ``{name}`` is a policy setting.
"""

from __future__ import annotations

from caseboard.domain import evidence_fields as fields
from caseboard.domain import evidence_risk as risk_fields
from caseboard.domain.flag_types import ALL_PROFILES, COMMUNITY, TALKING_THERAPIES, Flag

HOLD_BACK = ("RECOVERED", "READY_TO_STEP_DOWN")

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
            "change index). Not raised beside DETERIORATING."
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
        holds_back=(*HOLD_BACK, "NOT_IMPROVING"),
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
            "safety plan is dated on or after it. Once reviewed, an item 9 of "
            "{risk_concerns_item9_threshold} or more is carried by RISK_CONCERNS. Suppresses "
            "RECOVERED and READY_TO_STEP_DOWN until the item is reviewed."
        ),
        source="seed 002 §9.2 (risk); CLINICAL-RULES §2 (revision 2)",
        evidence_template=(
            "PHQ-9 item 9 scored {item9} on {date}; risk last recorded "
            "{risk_recorded_on}, safety plan {safety_plan_on}: no review since"
        ),
        safety=True,
        holds_back=HOLD_BACK,
        applies_when="a PHQ-9 has been recorded in the referral (community profiles rarely "
        "record one; with none the flag is not_applicable there)",
        lane="safety",
        fields=risk_fields.item9,
    ),
    Flag(
        code="SEVERITY_STEP",
        title="Severity above the step: is another step indicated?",
        level="case",
        severity="amber",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Step 2: the latest PHQ-9 >= {severity_step_phq9} or GAD-7 >= {severity_step_gad7} "
            "(an ADSM has no severe cut-off in policy: cannot be assessed), with no step-up "
            "pending and no signed supervision decision to continue at the step since the first "
            "such measure; raised again on a reliable rise or a new item 9 >= "
            "{risk_concerns_item9_threshold} measured after that decision. Step 3: PHQ-9 >= "
            "{severity_step_secondary_phq9} with item 9 >= {risk_concerns_item9_threshold} or "
            "risk concerns recorded: consider secondary care."
        ),
        source=(
            "seed 002 §9 step table, §12.1, app. 2 ('is another step indicated?'); NICE NG222 "
            "(less and more severe depression split at PHQ-9 16); CLINICAL-RULES revision 2"
        ),
        evidence_template=(
            "step {step}; {scores}; item 9 {item9}; severe since {since}; {decision}"
        ),
        lane="clinical",
        fields=risk_fields.severity_step,
        no_data="the anxiety measure is an ADSM with no severe cut-off in policy",
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
            "GAD-7 < {gad7_caseness} or the ADSM's). Not raised with DETERIORATING, PHQ9_ITEM9, "
            "RISK_CONCERNS or SAFETY_PLAN_STALE. The wording is 'consider discharge', never "
            "'discharge'."
        ),
        source="seed 002 app. 2; CLINICAL-RULES §2 (revision 2)",
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
