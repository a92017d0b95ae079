"""Time zones as people choose them: the canonical IANA zones (one per place, from the
tz database's zone.tab, with the country each lies in), and an alias or legacy name a
browser may report ("Asia/Calcutta", "US/Eastern") read as the zone it stands for.

The raw list (zoneinfo.available_timezones) also holds links, legacy and
administrative names ("Factory", "GB-Eire", "W-SU"): nobody should have to pick
among those.
"""

import functools
import zoneinfo
from importlib import resources

UTC = "UTC"
# Names that all mean UTC itself.
_UTC_NAMES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
        "GMT",
        "Etc/GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Etc/Greenwich",
        "Greenwich",
    }
)


def _tz_file(name: str) -> list[str]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def _countries() -> dict[str, str]:
    return dict(line.split("\t", 1) for line in _tz_file("iso3166.tab"))


@functools.cache
def canonical_zones() -> dict[str, str]:
    """Each canonical zone this machine knows -> the country it lies in (UTC first)."""
    known = zoneinfo.available_timezones()
    countries = _countries()
    zones = {}
    for line in _tz_file("zone.tab"):
        code, _, name = line.split("\t")[:3]
        if name in known:
            zones[name] = countries.get(code, "")
    return {UTC: "", **dict(sorted(zones.items()))}


@functools.cache
def _links() -> dict[str, str]:
    """Every alias in the tz database -> the zone it links to."""
    return {
        alias: target
        for kind, target, alias in (
            line.split()[:3] for line in _tz_file("tzdata.zi") if line[0] == "L"
        )
        if kind == "L"
    }


def canonical(name: str) -> str | None:
    """The canonical zone `name` is, or stands for; None when it is no zone people live by."""
    zones = canonical_zones()
    seen = set()
    while name not in seen:
        if name in _UTC_NAMES:
            return UTC
        if name in zones:
            return name
        seen.add(name)
        name = _links().get(name, name)
    return None


def place(name: str) -> str:
    """Where a zone is, as people say it: "America/New_York" -> "New York"; "UTC" stays."""
    if name in _UTC_NAMES:
        return UTC
    return name.rsplit("/", 1)[-1].replace("_", " ")
