"""The safety plan form: six steps, each in the person's own words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carepath.safety.models import PLAN_STEP_TITLES, PLAN_STEPS, SafetyPlan
from carepath.safety.services import MAX_STEP_LENGTH

STEP_HINTS = {
    "warning_signs": _(
        "Thoughts, feelings, situations or behaviour that tell you things are getting harder."
    ),
    "coping_on_my_own": _(
        "Things you can do by yourself to feel a little better or get through a hard moment."
    ),
    "people_and_places": _("People to be around and places to go that help you think about something else."),
    "people_to_ask": _("Friends or family you can tell that you are struggling, with their phone numbers."),
    "professionals_and_lines": _(
        "Your doctor, therapist or support worker, and crisis lines you can call or text."
    ),
    "safer_surroundings": _(
        "Steps to keep things you might use to hurt yourself out of reach, and who can help."
    ),
}


class SafetyPlanForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for number, step in enumerate(PLAN_STEPS, start=1):
            self.fields[step] = forms.CharField(
                label=f"{number}. {PLAN_STEP_TITLES[step]}",
                help_text=STEP_HINTS[step],
                required=False,
                max_length=MAX_STEP_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @classmethod
    def from_plan(cls, plan: SafetyPlan | None) -> SafetyPlanForm:
        initial = {step: getattr(plan, step) for step in PLAN_STEPS} if plan else {}
        return cls(initial=initial)
