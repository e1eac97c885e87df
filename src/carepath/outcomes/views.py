"""Progress pages: a person's episodes of support, and per episode a chart and table per measure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carepath import policy
from carepath.errors import FieldProblem
from carepath.outcomes import selectors, services
from carepath.outcomes.chart import progress_chart
from carepath.outcomes.forms import EndEpisodeForm, StartEpisodeForm, show_problem
from carepath.outcomes.models import Episode
from carepath.outcomes.summary import progress_summary
from carepath.web.forms import as_sentence


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request, StartEpisodeForm(initial={"started_on": timezone.localdate()}))
    form = StartEpisodeForm(request.POST)
    if form.is_valid():
        try:
            episode = services.start_episode(
                person=request.user,
                pathway=form.cleaned_data["pathway"],
                started_on=form.cleaned_data["started_on"],
                requested_on=form.cleaned_data["requested_on"],
                service_id=form.cleaned_data["service_id"],
            )
        except FieldProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, _("Your episode of support is started."))
            return redirect("progress_episode", episode_id=episode.pk)
    return _list_page(request, form, status=400)


@login_required
def episode(request: HttpRequest, episode_id: int) -> HttpResponse:
    found = _own_episode(request, episode_id)
    return _episode_page(request, found, EndEpisodeForm(initial={"ended_on": timezone.localdate()}))


@login_required
@require_POST
def record_session(request: HttpRequest, episode_id: int) -> HttpResponse:
    found = _own_episode(request, episode_id)
    try:
        services.record_session(actor=request.user, episode=found)
    except FieldProblem as problem:
        messages.error(request, as_sentence(problem))
    else:
        messages.success(request, _("The session is recorded."))
    return redirect("progress_episode", episode_id=found.pk)


@login_required
@require_POST
def end_episode(request: HttpRequest, episode_id: int) -> HttpResponse:
    found = _own_episode(request, episode_id)
    form = EndEpisodeForm(request.POST)
    if form.is_valid():
        try:
            services.end_episode(actor=request.user, episode=found, ended_on=form.cleaned_data["ended_on"])
        except FieldProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, _("The episode is ended. Its check-ins stay on this page."))
            return redirect("progress_episode", episode_id=found.pk)
    return _episode_page(request, found, form, status=400)


def _own_episode(request: HttpRequest, episode_id: int) -> Episode:
    found = selectors.episode_by_id(episode_id)
    if found is None or not policy.can_view_episode(request.user, found):
        raise Http404
    return found


def _list_page(request: HttpRequest, form: StartEpisodeForm, status: int = 200) -> HttpResponse:
    context = {"episodes": list(selectors.episodes_of(request.user)), "form": form}
    return render(request, "outcomes/progress.html", context, status=status)


def _episode_page(
    request: HttpRequest, found: Episode, end_form: EndEpisodeForm, status: int = 200
) -> HttpResponse:
    series = selectors.measure_series(found)
    services.record_episode_read(actor=request.user, episode=found, measures=len(series))
    measures: list[dict[str, Any]] = [{"series": s, "chart": progress_chart(s)} for s in series]
    context = {
        "episode": found,
        "measures": measures,
        "summary": progress_summary(series, selectors.episode_outcome(found, series)),
        "end_form": end_form,
        "can_change": policy.can_change_episode(request.user, found),
    }
    return render(request, "outcomes/episode.html", context, status=status)
