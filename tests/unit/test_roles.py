from carepath_core.roles import SELF_SERVICE_ROLES, Role


def test_the_four_roles_and_their_stable_codes() -> None:
    assert [role.value for role in Role] == ["help_seeker", "peer_supporter", "professional", "coordinator"]


def test_only_help_seekers_may_sign_themselves_up() -> None:
    assert {Role.HELP_SEEKER} == SELF_SERVICE_ROLES


def test_staff_roles_are_the_ones_that_handle_other_peoples_records() -> None:
    assert {role for role in Role if role.is_staff_role} == {Role.PROFESSIONAL, Role.COORDINATOR}
