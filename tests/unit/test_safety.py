from hypothesis import given
from hypothesis import strategies as st

from carepath_core.safety import SafetyReason, decide_safety


def test_no_risk_means_no_crisis_first() -> None:
    decision = decide_safety([], says_in_danger=False)
    assert not decision.crisis_first and decision.reasons == () and not decision.offer_safety_plan


def test_a_risk_item_puts_crisis_help_first_and_offers_a_safety_plan() -> None:
    decision = decide_safety(["phq9_9"])
    assert decision.crisis_first and decision.offer_safety_plan
    assert decision.reasons == (SafetyReason.RISK_ITEM,)
    assert decision.risk_items == ("phq9_9",)


def test_saying_you_are_in_danger_is_enough_on_its_own() -> None:
    decision = decide_safety([], says_in_danger=True)
    assert decision.crisis_first and decision.reasons == (SafetyReason.SAYS_IN_DANGER,)


@given(st.lists(st.sampled_from(["phq9_9", "x_1", "y_2"]), min_size=1), st.booleans())
def test_any_risk_signal_is_never_silent(items: list[str], in_danger: bool) -> None:
    decision = decide_safety(items, says_in_danger=in_danger)
    assert decision.crisis_first
    assert set(decision.risk_items) == set(items) and len(decision.risk_items) == len(set(items))
