"""Team allocation and leave cover (CLINICAL-RULES "What a team expects on day one" 1, 2 and 5).

The EPR stays the system of record: an allocation or an absence recorded here is a request
(allocation_request, absence_request) shown as pending in the EPR until an import loads a
matching referral_care_team or absence row. Confirmation is derived from the record each time
it is shown, never written.
"""
