"""Publication dates as news pages write them, parsed strictly into aware datetimes.

Forms read: ISO 8601 with or without `T`, fractions, `Z` or an offset, also with a space before the
offset ("2025-03-02T08:05:00.000 +07:00", VietNamNet's JSON-LD); day-first Vietnamese stamps
("02/03/2025 08:05 (GMT+07:00)", "Thứ sáu, 14/03/2025 - 08:15", "(01/10/2024)"). A time without an
offset is read in the site's offset (+07:00 for the Vietnamese profiles).

Not dateutil's or dateparser's fuzzy parsing: they accept any number in running text ("năm 2020"
becomes a date, FACTS.md), and a wrong date is worse than none. Only these explicit forms match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)")
_TIME = re.compile(r"(?<!\d)(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?(?!\d)")
_OFFSET = re.compile(r"^\s*\(?\s*(?:Z\b|(?:GMT|UTC)?\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)", re.IGNORECASE)


@dataclass(frozen=True)
class PageDate:
    """A parsed date: the aware datetime and whether the source wrote the seconds."""

    value: datetime
    has_seconds: bool

    def iso(self) -> str:
        """ISO 8601 with seconds and offset ("2025-03-02T08:05:00+07:00")."""
        return self.value.isoformat(timespec="seconds")


def parse_date(text: str | None, default_offset: timezone) -> PageDate | None:
    """The date in `text`, or None when no form above matches or the values are out of range.

    Args:
        text: a meta/JSON-LD/visible date string.
        default_offset: the offset of a time written without one.
    """
    if not text:
        return None
    date = _YMD.search(text) or _DMY.search(text)
    if date is None:
        return None
    rest = text[date.end():]
    clock = _TIME.search(rest)
    if clock is None:  # "08:05 02/03/2025": the time before the date
        rest = text[:date.start()]
        clock = _TIME.search(rest)
    offset = default_offset
    if clock is not None:
        found = _OFFSET.match(rest[clock.end():])
        if found and found.group(0).strip():
            offset = _offset(found)
    try:
        value = datetime(
            int(date["y"]), int(date["m"]), int(date["d"]),
            int(clock["H"]) if clock else 0, int(clock["M"]) if clock else 0,
            int(clock["S"]) if clock and clock["S"] else 0, tzinfo=offset,
        )
    except ValueError:
        return None
    return PageDate(value, has_seconds=bool(clock and clock["S"]))


def parse_offset(text: str) -> timezone:
    """"+07:00" -> timezone(+7 h)."""
    found = _OFFSET.match(text)
    if found is None or not found["sign"]:
        raise ValueError(f"not a UTC offset: {text!r}")
    return _offset(found)


def pick_date(dates: list[PageDate]) -> PageDate | None:
    """The first date, unless it lacks seconds and a later source gives the same minute with them
    (the visible "08:05" and JSON-LD's "08:05:37"): seconds are kept when any source has them."""
    if not dates:
        return None
    first = dates[0]
    if not first.has_seconds:
        minute = first.value.replace(second=0)
        for other in dates[1:]:
            if other.has_seconds and other.value.replace(second=0) == minute:
                return PageDate(other.value.astimezone(first.value.tzinfo), True)
    return first


def _offset(found: re.Match) -> timezone:
    if not found["sign"]:
        return timezone.utc
    sign = -1 if found["sign"] == "-" else 1
    return timezone(sign * timedelta(hours=int(found["h"]), minutes=int(found["m"] or 0)))
