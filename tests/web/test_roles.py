from caseboard.domain import codes
from caseboard.web.accounts.roles import PERMISSIONS_OF_ROLE, SCOPE_OF_ROLE, Permission


def test_every_role_code_has_permissions_and_a_scope():
    assert set(PERMISSIONS_OF_ROLE) == set(codes.ROLES) == set(SCOPE_OF_ROLE)


def test_only_clinical_roles_see_patients():
    identifiable = {
        role for role, perms in PERMISSIONS_OF_ROLE.items() if Permission.VIEW_PATIENT in perms
    }
    assert identifiable == {"practitioner", "supervisor", "team_manager", "clinical_lead", "duty"}


def test_admin_has_no_clinical_permission():
    assert PERMISSIONS_OF_ROLE["admin"] == {Permission.ADMINISTER}


def test_every_permission_is_held_by_some_role():
    assert set().union(*PERMISSIONS_OF_ROLE.values()) == set(Permission)
