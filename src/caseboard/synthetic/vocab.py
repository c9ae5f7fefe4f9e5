"""Small embedded word lists: names, places and text. Every place here is invented, and the
postcode area QX does not exist (no UK postcode area starts with Q)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SERVICE_KIND_ORDER = (
    "talking_therapies",
    "adult_cmh",
    "learning_disability",
    "older_adult_cmh",
    "eip",
    "perinatal",
    "camhs",
    "eating_disorder",
    "home_based_treatment",
    "forensic_outreach",
)
SERVICE_NAMES = {
    "talking_therapies": "Talking Therapies",
    "adult_cmh": "Community Mental Health",
    "learning_disability": "Learning Disability",
    "older_adult_cmh": "Older Adults Community Mental Health",
    "eip": "Early Intervention in Psychosis",
    "perinatal": "Perinatal Mental Health",
    "camhs": "Children and Young People's Mental Health",
    "eating_disorder": "Eating Disorders",
    "home_based_treatment": "Home Based Treatment",
    "forensic_outreach": "Forensic Outreach",
}
TEAM_AREAS = ("North", "South", "East", "West", "Central", "Coast", "Vale", "Forest")
# Towns of each area, used for patients' locality.
AREA_TOWNS = {
    "North": ("Brackenholt", "Highmoor", "Carrow Fell"),
    "South": ("Marrowfield", "Elmscote", "Saltmere"),
    "East": ("Fenwick Cross", "Oxley Marsh", "Dunhollow"),
    "West": ("Ravensby", "Thornwick", "Greyford"),
    "Central": ("Kingsmead", "Wellbrook", "Stannerley"),
    "Coast": ("Gullhaven", "Shingle Bay", "Portreath Down"),
    "Vale": ("Appledene", "Meadwick", "Orchard Vale"),
    "Forest": ("Birchen", "Hollins Wood", "Deerhurst Edge"),
}
POSTCODE_AREA = "QX"
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FEMALE_NAMES = _words(
    """
    Amelia Olivia Isla Ava Mia Grace Sophie Emily Chloe Hannah Aisha Fatima Priya Anjali
    Zara Maryam Chiamaka Ngozi Abena Kemi Agnieszka Katarzyna Ioana Elena Siobhan Niamh
    Rhiannon Catrin Mei Lucy Sarah Joanne Karen Susan Margaret Patricia Janet Ruth Bethany
    Leah
    """
)
MALE_NAMES = _words(
    """
    Oliver George Harry Jack Noah Leo Thomas James William Daniel Mohammed Ahmed Imran Raj
    Arjun Kwame Chinedu Tunde Kofi Emeka Piotr Tomasz Andrei Mihai Sean Liam Rhys Dafydd Wei
    Jun Paul Mark David Stephen Gary Peter Michael Brian Kieran Callum
    """
)
OTHER_NAMES = ("Alex", "Sam", "Jordan", "Robin", "Charlie", "Jamie", "Morgan", "Rowan")
FAMILY_NAMES = _words(
    """
    Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson
    Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Ahmed Hussain Begum Ali
    Shah Singh Kaur Sharma Okafor Adeyemi Mensah Owusu Boateng Nowak Kowalski Wisniewski
    Popescu Ionescu Murphy O'Brien Kelly Byrne McCarthy Hughes Edwards Morgan Lloyd Price
    Chen Wang Li Nguyen Campbell Stewart Anderson Scott Mitchell Turner Harrison Cooper Ward
    Morris King Baker Hill Moore Lewis Young Allen Bennett Carter Shaw Fletcher Marsh Holt
    Ashworth Pickering Lindqvist
    """
)
# NHS Data Dictionary ethnic category codes with rough England shares; Z is "not stated".
ETHNIC_CATEGORIES = {
    "A": 73.0,
    "B": 1.0,
    "C": 6.0,
    "D": 0.8,
    "E": 0.6,
    "F": 0.8,
    "G": 0.8,
    "H": 3.0,
    "J": 2.5,
    "K": 1.1,
    "L": 1.6,
    "M": 1.1,
    "N": 2.3,
    "P": 0.6,
    "R": 0.6,
    "S": 2.0,
    "Z": 2.2,
}

TT_PATHWAY = "adult common mental health problems"
CMH_DIAGNOSES = (
    "F32.1",
    "F33.1",
    "F41.1",
    "F43.1",
    "F60.3",
    "F20.0",
    "F25.0",
    "F31.1",
    "F42.2",
    "F50.0",
)

DISCUSSION_ENTRIES = {
    "none": (
        "We talked about how the sessions are going and the plan stays the same for now.",
        "Your questionnaire scores and recent sessions were reviewed; we agreed to carry on with "
        "the current plan and look again next month.",
        "We discussed your progress and the goals you set. No change to the plan.",
    ),
    "extension_agreed": (
        "We reviewed your progress and agreed that a few more sessions would help you reach your "
        "goals. The number of sessions has been extended.",
    ),
    "step_up": (
        "Your scores have not improved as hoped, so we agreed to offer you a more intensive "
        "therapy. Your practitioner will talk this through with you.",
    ),
    "step_down": (
        "You have made good progress, so we agreed a lighter level of support is right for now.",
    ),
    "continue_at_step": (
        "Your questionnaire scores are high, so we talked about whether a more intensive therapy "
        "would suit you better. We agreed to carry on with the current sessions and look again "
        "if things do not start to improve.",
    ),
    "discharge": (
        "You have met the goals you set at the start. We agreed to talk with you about finishing "
        "treatment and what to do if things get harder again.",
    ),
    "stable_casing": (
        "Things have been settled for some time. We agreed to see you less often and to review "
        "this in six months.",
    ),
    "closure": (
        "We have not been able to reach you for some weeks. We agreed to write to you and your "
        "GP before closing the referral.",
    ),
    "reallocate": (
        "We agreed that another member of the team will work with you from now on, and they will "
        "contact you to introduce themselves.",
    ),
}
# What an entry says instead where the latest scores are still in caseness: an entry agrees
# with the record (no "you have met your goals" the day after a PHQ-9 of 19).
DISCUSSION_ENTRIES_IN_CASENESS = {
    "discharge": (
        "Your course is coming to an end and your questionnaire scores are still high. We agreed "
        "to talk with you about what has helped, whether another kind of support would suit you "
        "better, and what to do if things get harder.",
    ),
    "extension_agreed": (
        "Your questionnaire scores are still high, so we agreed a few more sessions to give the "
        "therapy a fair chance before deciding what comes next.",
    ),
    "none": (
        "Your questionnaire scores are still high. We talked about how the sessions are going "
        "and agreed to carry on for now and look again at the next review.",
    ),
}
ACTIONS = (
    "Book a risk review at the next appointment",
    "Update the safety plan with the patient",
    "Write to the GP about the change of plan",
    "Offer a face-to-face appointment",
    "Send the discharge letter",
    "Review the questionnaire scores at the next session",
    "Ask the duty worker to follow up the missed appointment",
    "Check the care plan review date",
)
PRACTITIONER_ACTIONS = (
    "Complete the safeguarding refresher training",
    "Bring three cases for the next random sample",
    "Review caseload size with the team manager",
)

# What a risk entry that records concerns says (the IAPT risk questions in Talking Therapies,
# seed 002 §9.2; a risk formulation in the community teams, seed 000 §4.2).
RISK_CONCERNS_TT = (
    "Risk questions: thoughts that life is not worth living on most days, no plan or intent; "
    "protective factors: her children, her sister nearby. Crisis numbers given.",
    "Risk questions: passive thoughts of self-harm this week, no actions; drinking more at "
    "weekends. Agreed to call the GP or NHS 111 option 2 if the thoughts get stronger.",
    "Risk questions: self-harm by cutting twice in the last month, superficial, no medical "
    "attention needed; no suicidal intent. Safety plan written together.",
    "Risk questions: thoughts of suicide with a vague plan, no intent or preparation; lives "
    "with partner, who knows. Discussed with supervisor the same day.",
    "Risk questions: no thoughts of harm to self; worried about a neighbour's threats (risk "
    "from others). Signposted to the housing officer.",
)
RISK_CONCERNS_COMMUNITY = (
    "Chronic suicidal ideation, no current plan; two overdoses in 2023. Lives alone; engages "
    "with the team and the day centre. Crisis plan shared with the GP.",
    "Self-neglect when unwell: not eating, missing depot. Relapse signature: sleeping in the "
    "day and stopping calls. Family visit weekly.",
    "Verbal aggression to neighbours when psychotic; no violence recorded in two years. "
    "Joint visits only.",
    "Financial exploitation by an acquaintance suspected; safeguarding referral discussed. "
    "Low mood, no thoughts of self-harm.",
    "Recent increase in alcohol use and thoughts of ending his life after a bereavement; "
    "no plan. Weekly contact agreed and crisis team details given.",
)
# The risk plan a supervision discussion records, with a review date (RISK_CONCERNS' qualifying
# discussion, CLINICAL-RULES revision 2).
RISK_PLANS = (
    "Risk discussed: safety plan reviewed and still fits; crisis numbers confirmed; review at "
    "the date below or sooner if anything changes.",
    "Risk discussed: thoughts of self-harm more frequent, so contact weekly and PHQ-9 item 9 "
    "asked at each session; GP informed; review at the date below.",
    "Risk discussed: agreed a joint review with the duty worker and an updated safety plan; "
    "review at the date below.",
    "Risk discussed: concerns stable, protective factors in place; plan unchanged, review at "
    "the date below.",
)
