"""Plausible postal codes and region names for demo addresses, only where they can be plausible.

A demo address gets a postal code shaped like the country's and right for the town's region:
US ZIP codes from the state's three-digit prefixes, Canadian codes from the province's first
letter, Australian postcodes from the state's range, and UK postcodes from the postcode area of
the listed towns. Anywhere else (Ireland, New Zealand, UK towns not listed) `postal_code` returns
None: HSDS requires a postal code in an address, so such locations are published without one.
"""

from __future__ import annotations

import random

# US state -> ranges of ZIP code three-digit prefixes (inclusive).
US_ZIP_PREFIXES: dict[str, tuple[tuple[int, int], ...]] = {
    "MA": ((10, 27),), "RI": ((28, 29),), "NH": ((30, 38),), "ME": ((39, 49),), "VT": ((50, 59),),
    "CT": ((60, 69),), "NJ": ((70, 89),), "NY": ((100, 149),), "PA": ((150, 196),),
    "DE": ((197, 199),), "DC": ((200, 205),), "MD": ((206, 219),), "VA": ((220, 246),),
    "WV": ((247, 268),), "NC": ((270, 289),), "SC": ((290, 299),), "GA": ((300, 319),),
    "FL": ((320, 349),), "AL": ((350, 369),), "TN": ((370, 385),), "MS": ((386, 397),),
    "KY": ((400, 427),), "OH": ((430, 459),), "IN": ((460, 479),), "MI": ((480, 499),),
    "IA": ((500, 528),), "WI": ((530, 549),), "MN": ((550, 567),), "SD": ((570, 577),),
    "ND": ((580, 588),), "MT": ((590, 599),), "IL": ((600, 629),), "MO": ((630, 658),),
    "KS": ((660, 679),), "NE": ((680, 693),), "LA": ((700, 714),), "AR": ((716, 729),),
    "OK": ((730, 749),), "TX": ((750, 799),), "CO": ((800, 816),), "WY": ((820, 831),),
    "ID": ((832, 838),), "UT": ((840, 847),), "AZ": ((850, 865),), "NM": ((870, 884),),
    "NV": ((889, 898),), "CA": ((900, 961),), "HI": ((967, 968),), "OR": ((970, 979),),
    "WA": ((980, 994),), "AK": ((995, 999),),
}  # fmt: skip

# GeoNames admin1 code -> (province abbreviation, first letters of its postal codes).
CA_PROVINCES = {
    "01": ("AB", "T"), "02": ("BC", "V"), "03": ("MB", "R"), "04": ("NB", "E"), "05": ("NL", "A"),
    "07": ("NS", "B"), "08": ("ON", "KLMNP"), "09": ("PE", "C"), "10": ("QC", "GHJ"),
    "11": ("SK", "S"), "12": ("YT", "Y"), "13": ("NT", "X"), "14": ("NU", "X"),
}  # fmt: skip
# Canadian postal codes never use D, F, I, O, Q or U.
CA_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"

# GeoNames admin1 code -> (state abbreviation, postcode ranges).
AU_STATES = {
    "01": ("ACT", ((2600, 2618), (2900, 2920))),
    "02": ("NSW", ((2000, 2599), (2619, 2899), (2921, 2999))),
    "03": ("NT", ((800, 899),)),
    "04": ("QLD", ((4000, 4999),)),
    "05": ("SA", ((5000, 5799),)),
    "06": ("TAS", ((7000, 7799),)),
    "07": ("VIC", ((3000, 3999),)),
    "08": ("WA", ((6000, 6797),)),
}

GB_NATIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}
# Town (as GeoNames names it; no name two GB towns share) -> its postcode area(s).
GB_POSTCODE_AREAS = {
    "London": ("E", "N", "NW", "SE", "SW", "W"), "Manchester": ("M",), "Salford": ("M",),
    "Birmingham": ("B",), "Leeds": ("LS",), "Glasgow": ("G",), "Liverpool": ("L",),
    "Bristol": ("BS",), "Sheffield": ("S",), "Edinburgh": ("EH",), "Cardiff": ("CF",),
    "Leicester": ("LE",), "Nottingham": ("NG",), "Newcastle upon Tyne": ("NE",), "Belfast": ("BT",),
    "Brighton": ("BN",), "Southampton": ("SO",), "Portsmouth": ("PO",), "Plymouth": ("PL",),
    "Coventry": ("CV",), "Kingston upon Hull": ("HU",), "Bradford": ("BD",), "Stoke-on-Trent": ("ST",),
    "Wolverhampton": ("WV",), "Derby": ("DE",), "Swansea": ("SA",), "Aberdeen": ("AB",),
    "Dundee": ("DD",), "Oxford": ("OX",), "Cambridge": ("CB",), "York": ("YO",), "Norwich": ("NR",),
    "Exeter": ("EX",), "Reading": ("RG",), "Luton": ("LU",), "Sunderland": ("SR",), "Preston": ("PR",),
    "Bolton": ("BL",), "Blackpool": ("FY",), "Middlesbrough": ("TS",), "Milton Keynes": ("MK",),
    "Northampton": ("NN",), "Ipswich": ("IP",), "Peterborough": ("PE",), "Gloucester": ("GL",),
    "Bath": ("BA",), "Huddersfield": ("HD",), "Wakefield": ("WF",), "Doncaster": ("DN",),
    "Warrington": ("WA",), "Stockport": ("SK",), "Oldham": ("OL",), "Wigan": ("WN",),
    "Bournemouth": ("BH",), "Swindon": ("SN",), "Chelmsford": ("CM",), "Colchester": ("CO",),
    "Lincoln": ("LN",), "Carlisle": ("CA",), "Lancaster": ("LA",), "Inverness": ("IV",),
    "Stirling": ("FK",), "Canterbury": ("CT",), "Guildford": ("GU",),
    "Crawley": ("RH",), "Watford": ("WD",), "Slough": ("SL",), "Harrogate": ("HG",),
    "Halifax": ("HX",), "Durham": ("DH",), "Darlington": ("DL",), "Telford": ("TF",),
    "Worcester": ("WR",), "Hereford": ("HR",), "Shrewsbury": ("SY",), "Torquay": ("TQ",),
    "Truro": ("TR",), "Taunton": ("TA",), "Salisbury": ("SP",), "Southend-on-Sea": ("SS",),
    "Kilmarnock": ("KA",), "Paisley": ("PA",), "Dumfries": ("DG",), "Kirkcaldy": ("KY",),
}  # fmt: skip
LONDON_AREAS = frozenset(("E", "N", "NW", "SE", "SW", "W"))
# Letters of the last part of a UK postcode (never C, I, K, M, O or V).
GB_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def state_province(country: str, region_code: str) -> str:
    """The address's state_province as people write it: NY, ON, NSW, England."""
    if country == "CA":
        return CA_PROVINCES.get(region_code, ("", ""))[0]
    if country == "AU":
        return AU_STATES.get(region_code, ("", ()))[0]
    if country == "GB":
        return GB_NATIONS.get(region_code, "")
    return region_code if country == "US" else ""


def postal_code(rng: random.Random, country: str, region_code: str, town: str) -> str | None:
    """A postal code plausible for the town, or None when one cannot be made plausible."""
    if country == "US" and region_code in US_ZIP_PREFIXES:
        low, high = rng.choice(US_ZIP_PREFIXES[region_code])
        return f"{rng.randint(low, high):03d}{rng.randint(1, 99):02d}"
    if country == "CA" and region_code in CA_PROVINCES:
        first = rng.choice(CA_PROVINCES[region_code][1])
        letters = [rng.choice(CA_LETTERS) for _ in range(3)]
        digits = [rng.randint(0, 9) for _ in range(3)]
        return f"{first}{digits[0]}{letters[0]} {digits[1]}{letters[1]}{digits[2]}"
    if country == "AU" and region_code in AU_STATES:
        low, high = rng.choice(AU_STATES[region_code][1])
        return f"{rng.randint(low, high):04d}"
    if country == "GB" and town in GB_POSTCODE_AREAS:
        area = rng.choice(GB_POSTCODE_AREAS[town])
        district = rng.randint(2, 9) if area in LONDON_AREAS else rng.randint(1, 4)
        unit = rng.choice(GB_UNIT_LETTERS) + rng.choice(GB_UNIT_LETTERS)
        return f"{area}{district} {rng.randint(1, 9)}{unit}"
    return None
