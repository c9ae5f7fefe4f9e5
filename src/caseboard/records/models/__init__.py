"""The record tables, import and refresh bookkeeping, and the derived snapshot, as Django models.

Built from contract/schema.py (see build.py); this module only names them for the rest of Django.
"""

from caseboard.records.models.build import build_area

_models = build_area("records", module=__name__)

Service = _models["Service"]
Team = _models["Team"]
Practitioner = _models["Practitioner"]
PractitionerModality = _models["PractitionerModality"]
Absence = _models["Absence"]
Patient = _models["Patient"]
Referral = _models["Referral"]
ReferralPriorityGroup = _models["ReferralPriorityGroup"]
ReferralCareTeam = _models["ReferralCareTeam"]
Contact = _models["Contact"]
Measure = _models["Measure"]
MeasureItem = _models["MeasureItem"]
CareDocument = _models["CareDocument"]
Event = _models["Event"]
SafeguardingConcern = _models["SafeguardingConcern"]
RiskInformation = _models["RiskInformation"]
StepChange = _models["StepChange"]
Letter = _models["Letter"]
AllocationRequest = _models["AllocationRequest"]
AbsenceRequest = _models["AbsenceRequest"]
ImportBatch = _models["ImportBatch"]
QuarantinedRow = _models["QuarantinedRow"]
RefreshQueue = _models["RefreshQueue"]
RefreshRun = _models["RefreshRun"]
CaseSnapshot = _models["CaseSnapshot"]
TierSummary = _models["TierSummary"]
