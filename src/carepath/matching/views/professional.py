"""A professional's own profile (/professional/profile/), kept like a peer supporter's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carepath import policy
from carepath.errors import FieldProblem
from carepath.matching import selectors, services
from carepath.matching.forms import show_problem
from carepath.matching.models import ProfessionalProfile
from carepath.matching.professional_form import ProfessionalProfileForm, professional_initial

EMPTY = {"languages": ["en"], "capacity": 0, "active": True}


@login_required
def professional_profile(request: HttpRequest) -> HttpResponse:
    if not policy.can_edit_professional_profile(request.user, request.user):
        raise PermissionDenied
    profile = selectors.professional_profile_of(request.user)
    if request.method != "POST":
        initial = professional_initial(profile) if profile is not None else EMPTY
        return _page(request, ProfessionalProfileForm(initial=initial), profile)
    form = ProfessionalProfileForm(request.POST)
    if form.is_valid():
        try:
            services.save_professional_profile(actor=request.user, owner=request.user, data=form.document())
        except FieldProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("professional_profile")
    return _page(request, form, profile, status=400)


def _page(
    request: HttpRequest,
    form: ProfessionalProfileForm,
    profile: ProfessionalProfile | None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "profile": profile}
    return render(request, "matching/professional_profile.html", context, status=status)
