"""One code per language for the search: the code a listing's language is filed and asked under.

HSDS asks for an ISO 639-1 or 639-3 code in `language.code`, and directories send all of them for
the same language: `en`, `eng`, `en-GB`, `pt_BR`, and 639-2's bibliographic codes (`fre`, `wel`)
beside its terminological ones (`fra`, `cym`). The search index and the language filter both
know a language by `search_language(code)`, so a person asking for English finds a listing that
says `eng`, and an API caller asking for `eng` finds one that says `en`. The record keeps what was
sent (an export gives it back unchanged).

The pairs of three- and two-letter codes are ISO's, kept in `language_twins.json` (made from the
iso-codes project's tables by `scripts/make-language-twins`). Only a code that names the same
language as a two-letter one is mapped: Mandarin (`cmn`) stays `cmn`, since ISO 639-3 counts it a
member of the macrolanguage Chinese (`zh`), not the same language.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

SUBTAG_SEPARATOR = re.compile(r"[-_]")


@cache
def language_twins() -> dict[str, str]:
    """Three-letter ISO 639-2/639-3 code -> its ISO 639-1 twin, for every code that has one."""
    raw = json.loads(resources.files(__package__).joinpath("language_twins.json").read_text("utf-8"))
    twins: dict[str, str] = raw["twins"]
    return twins


def search_language(code: str) -> str:
    """The code the search knows `code`'s language by: its first subtag, lower case, as ISO 639-1
    when the language has a two-letter code (`eng`, `ENG-gb` -> `en`); anything else unchanged."""
    language = SUBTAG_SEPARATOR.split(code.strip().lower(), maxsplit=1)[0]
    return language_twins().get(language, language)
