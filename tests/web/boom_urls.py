"""The project's URLs plus one view that fails, to see the 500 page's headers (test_security_headers)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from carepath.config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate failure for the 500 page")


urlpatterns = [path("test-boom/", _boom), *urlpatterns]
