"""Controlled vocabularies shipped as data, shared by the directory, search and matching."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def lived_experience_topics() -> dict[str, str]:
    """Topic code -> the plain-language label shown to people, in the file's order."""
    raw = json.loads(resources.files(__package__).joinpath("lived_experience_topics.json").read_text("utf-8"))
    return {entry["code"]: entry["label"] for entry in raw["topics"]}


@cache
def search_languages() -> dict[str, str]:
    """Language code -> English name, for the languages the search form offers."""
    raw = json.loads(resources.files(__package__).joinpath("languages.json").read_text("utf-8"))
    return {entry["code"]: entry["label"] for entry in raw["languages"]}
