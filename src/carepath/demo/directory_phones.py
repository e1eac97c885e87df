"""Telephone numbers for demo listings, only from ranges reserved for fiction, so none can ring anyone.

- UK: Ofcom's numbers for drama, 07700 900000-900999 (mobile) and 01632 960000-960999 (a
  fictional dialling code).
- US and Canada: 555-0100 to 555-0199, reserved in every North American area code for fictional
  use; the area code is one of the state's or province's, so the number looks local.
- Australia: a few of the mobile numbers the ACMA sets aside for creative works (its list is 30
  single numbers, not a range; only these five are used here).
- Ireland and New Zealand: no phone numbers (no reserved range this project is sure of).
"""

from __future__ import annotations

import random
import re

AU_FICTIONAL_MOBILES = ("0491 570 006", "0491 570 156", "0491 570 157", "0491 570 158", "0491 570 159")
# Any area code of the state or province would do (555-01xx is fictional in all of them).
US_AREA_CODES = {
    "AL": 205, "AK": 907, "AZ": 602, "AR": 501, "CA": 213, "CO": 303, "CT": 203, "DE": 302,
    "DC": 202, "FL": 305, "GA": 404, "HI": 808, "ID": 208, "IL": 312, "IN": 317, "IA": 515,
    "KS": 316, "KY": 502, "LA": 504, "ME": 207, "MD": 410, "MA": 617, "MI": 313, "MN": 612,
    "MS": 601, "MO": 314, "MT": 406, "NE": 402, "NV": 702, "NH": 603, "NJ": 201, "NM": 505,
    "NY": 212, "NC": 919, "ND": 701, "OH": 614, "OK": 405, "OR": 503, "PA": 215, "RI": 401,
    "SC": 803, "SD": 605, "TN": 615, "TX": 512, "UT": 801, "VT": 802, "VA": 804, "WA": 206,
    "WV": 304, "WI": 414, "WY": 307,
}  # fmt: skip
# GeoNames admin1 code of a Canadian province -> one of its area codes.
CA_AREA_CODES = {
    "01": 403, "02": 604, "03": 204, "04": 506, "05": 709, "07": 902, "08": 416, "09": 902,
    "10": 514, "11": 306, "12": 867, "13": 867, "14": 867,
}  # fmt: skip
NORTH_AMERICAN_DEFAULT_AREA_CODE = {"US": 212, "CA": 416}

# What every generated number must match, by country (tests check each one).
RESERVED_NUMBER_PATTERNS = {
    "GB": re.compile(r"^(07700 900\d{3}|01632 960\d{3})$"),
    "US": re.compile(r"^\(\d{3}\) 555-01\d{2}$"),
    "CA": re.compile(r"^\(\d{3}\) 555-01\d{2}$"),
    "AU": re.compile("^(" + "|".join(AU_FICTIONAL_MOBILES) + ")$"),
}


def fictional_number(rng: random.Random, country: str, region_code: str) -> str | None:
    """A number from the country's reserved fictional range, or None where there is none."""
    if country == "GB":
        if rng.random() < 0.5:
            return f"07700 900{rng.randint(0, 999):03d}"
        return f"01632 960{rng.randint(0, 999):03d}"
    if country in ("US", "CA"):
        codes = US_AREA_CODES if country == "US" else CA_AREA_CODES
        area = codes.get(region_code, NORTH_AMERICAN_DEFAULT_AREA_CODE[country])
        return f"({area}) 555-01{rng.randint(0, 99):02d}"
    if country == "AU":
        return rng.choice(AU_FICTIONAL_MOBILES)
    return None


def is_reserved_number(country: str, number: str) -> bool:
    pattern = RESERVED_NUMBER_PATTERNS.get(country)
    return pattern is not None and pattern.match(number) is not None
