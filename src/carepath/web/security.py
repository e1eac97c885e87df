"""Security headers that Django and django-csp do not set themselves.

Content-Security-Policy comes from django-csp, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy
and HSTS from Django's SecurityMiddleware, X-Frame-Options from its clickjacking middleware (all
configured in settings.py). This adds Permissions-Policy: Carepath uses no camera, microphone,
location or payment features, so no page, nor anything injected into one, may ask for them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
