"""Finding the POST forms of a page and the CSRF token they carry."""

from __future__ import annotations

import re

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_POST = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
_TOKEN = re.compile(r"""name=["']csrfmiddlewaretoken["'][^>]*value=["']([^"']+)["']""")


def post_forms(html: str) -> list[str]:
    """The inside of every <form method="post"> on the page."""
    return [inside for attributes, inside in _FORM.findall(html) if _POST.search(attributes)]


def csrf_token(html: str) -> str | None:
    found = _TOKEN.search(html)
    return found.group(1) if found else None
