"""A help-seeker's wishes and suggested peer supporters (/matches/), a peer
supporter's own profile (/supporter/profile/), and one profile for its owner or a coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carepath import policy
from carepath.errors import FieldProblem
from carepath.matching import selectors, services
from carepath.matching.forms import (
    SupporterProfileForm,
    WishesForm,
    hours_initial,
    profile_initial,
    show_problem,
)
from carepath.matching.models import MatchingWishes, PeerSupporterProfile
from carepath.matching.suggestions import suggestions_for
from carepath_core.vocabulary import lived_experience_topics


@login_required
def matches(request: HttpRequest) -> HttpResponse:
    if not policy.can_ask_for_matches(request.user):
        raise PermissionDenied
    wishes = selectors.wishes_of(request.user)
    if request.method != "POST":
        form = WishesForm(initial=_wishes_initial(wishes))
        return _matches_page(request, form, wishes)
    form = WishesForm(request.POST)
    if form.is_valid():
        try:
            data = {**form.document(), **_kept_from_before(wishes)}
            services.save_matching_wishes(actor=request.user, person=request.user, data=data)
        except FieldProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, _("Your wishes are saved. Your suggestions are below."))
            return redirect("matches")
    return _matches_page(request, form, wishes, status=400)


def _kept_from_before(wishes: MatchingWishes | None) -> dict[str, object]:
    """What the page does not ask but the person said before: it stays as it was."""
    if wishes is None:
        return {}
    known = selectors.supporter_ids()  # a supporter who has since left needs no excluding
    kept: dict[str, object] = {"excluded_supporters": [i for i in wishes.excluded_supporters if i in known]}
    if wishes.latitude is not None and wishes.longitude is not None:
        kept["location"] = {"latitude": wishes.latitude, "longitude": wishes.longitude}
    if wishes.max_distance_km is not None:
        kept["max_distance_km"] = wishes.max_distance_km
    return kept


def _wishes_initial(wishes: MatchingWishes | None) -> dict[str, object]:
    if wishes is None:
        return {"languages": ["en"]}
    extra = {"experience": wishes.experience, "stated_preferences": wishes.stated_preferences}
    return {**hours_initial(wishes), **extra}


def _matches_page(
    request: HttpRequest, form: WishesForm, wishes: MatchingWishes | None, status: int = 200
) -> HttpResponse:
    # Suggestions follow the saved wishes, so a form sent back with problems shows the last good ones.
    found = suggestions_for(selectors.as_seeker(wishes)) if wishes is not None else None
    return render(request, "matching/matches.html", {"form": form, "found": found}, status=status)


@login_required
def supporter_profile(request: HttpRequest) -> HttpResponse:
    if not policy.can_edit_supporter_profile(request.user, request.user):
        raise PermissionDenied
    profile = selectors.supporter_profile_of(request.user)
    if request.method != "POST":
        empty = {"languages": ["en"], "capacity": 0, "current_load": 0}
        initial = profile_initial(profile) if profile is not None else empty
        return _profile_page(request, SupporterProfileForm(initial=initial), profile)
    form = SupporterProfileForm(request.POST)
    if form.is_valid():
        try:
            services.save_supporter_profile(actor=request.user, owner=request.user, data=form.document())
        except FieldProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("supporter_profile")
    return _profile_page(request, form, profile, status=400)


def _profile_page(
    request: HttpRequest, form: SupporterProfileForm, profile: PeerSupporterProfile | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "matching/supporter_profile.html", {"form": form, "profile": profile}, status=status
    )


@login_required
def supporter_profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    """The whole profile, read-only: for its owner and for coordinators; 404 for everyone else."""
    profile = selectors.supporter_profile_by_id(profile_id)
    if profile is None or not policy.can_view_supporter_profile(request.user, profile.user):
        raise Http404
    labels = lived_experience_topics()
    topics = [labels.get(code, code) for code in profile.topics]
    return render(request, "matching/supporter_profile_detail.html", {"profile": profile, "topics": topics})
