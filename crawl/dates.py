"""Publication dates as news pages write them, parsed strictly into aware datetimes.

Forms read: ISO 8601 with or without `T`, fractions, `Z` or an offset, also with a space before the
offset ("2025-03-02T08:05:00.000 +07:00", VietNamNet's JSON-LD); day-first Vietnamese stamps
("02/03/2025 08:05 (GMT+07:00)", "Thứ sáu, 14/03/2025 - 08:15", "(01/10/2024)"); month names
("September 21, 2024 2:20 PM", "21 Sep 2024", "ngày 21 tháng 9 năm 2024"); RFC 2822 ("Sat, 21 Sep
2024 14:20:35 +0700", read by the stdlib's `email.utils.parsedate_tz`, zone names included).

Rules (a wrong date is worse than none):
- the offset is the one glued to the time ("08:15+07:00", "08:15Z", or one space and a full
  "+0700"/"+07:00"), or a zone abbreviation after it from `ZONES` ("14:20 ICT"; an unknown or
  ambiguous one, "ET", "CST", gives None), else the one after GMT/UTC anywhere in the string ("(GMT+7)"); GMT/UTC without
  a signed offset is +00:00; otherwise the site's offset (+07:00 for the Vietnamese profiles). Other
  numbers after the time are not offsets ("08:05 - 12 bình luận", "+1 lượt thích").
- the clock is never read from offset text ("08:15 14/03/2025 (GMT+07:00)" is 08:15).
- 12-hour clocks (AM/PM, a.m./p.m., Vietnamese SA/CH, sáng/chiều/tối) are converted; a marker
  that contradicts the hour ("15:20 AM", "00:20 PM") gives None, as does an unknown RFC 2822 zone.

Not dateutil's or dateparser's fuzzy parsing: they accept any number in running text ("năm 2020"
becomes a date, FACTS.md). Only these explicit forms match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_tz

_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
MONTHS = {name[:length]: number for number, name in enumerate(_MONTH_NAMES, 1) for length in (3, len(name))} | {"sept": 9}
_NAME_DMY = re.compile(r"(?<![\w])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<name>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})(?!\d)")
_NAME_MDY = re.compile(r"(?<![\w])(?P<name>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)")
_VI_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*[,/]\s*|\s+năm\s+|\s+)(?P<y>\d{4})(?!\d)",
                     re.IGNORECASE)
# "+" before a clock is an offset's ("GMT+07:00" read without its GMT must not become 07:00)
_TIME = re.compile(r"(?<![\d+])(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?(?!\d)")
_MERIDIEM = re.compile(r"\s*(?:(?P<am>(?i:a\.?m\.?)|SA|sáng)|(?P<pm>(?i:p\.?m\.?)|CH|chiều|tối))(?![\w])")
# An offset glued to the time: "08:15+07:00", "08:15Z", one space and a full "+0700" / "+07:00", or
# hours alone ("+07") ending the string or a bracket ("08:15-12 bình luận" is not UTC-12).
_GLUED_OFFSET = re.compile(r"(?:Z(?![\w])|(?P<sign>[+-])(?P<h>\d{2})(?::?(?P<m>\d{2})(?![\w:])|(?=\s*(?:$|[)\]])))"
                           r"|\s(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})(?![\w:]))")
# A zone word anywhere, with or without a signed offset: "(GMT+7)", "UTC -05:00", "07:20:35 UTC".
_ZONE_WORD = re.compile(r"(?<![\w])(?:GMT|UTC)(?:\s?(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?![\d:]))?(?![\w])",
                        re.IGNORECASE)
# A zone abbreviation right after the time ("14:20 ICT", "(PDT)"): most end in T; read from ZONES.
_ZONE_NAME = re.compile(r"\s*\(?(?P<name>[A-Z]{1,4}T|WIB)\)?(?![\w])")
ZONES = {"ICT": 7, "WIB": 7, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "BST": 1, "CET": 1, "CEST": 2,
         "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "GMT": 0, "UT": 0, "UTC": 0}
_OFFSET = re.compile(r"^\s*(?:GMT|UTC)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*$", re.IGNORECASE)
_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?P<S>:\d{2})?\s+"
                      r"(?P<zone>[+-]\d{4}|[A-Za-z]{1,5})\s*$")
_UTC_NAMES = {"UT", "UTC", "GMT", "Z"}
MAX_OFFSET_HOURS = 14  # UTC-12 .. UTC+14: anything else is not an offset


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
    rfc = _RFC2822.match(text)
    if rfc:
        return _rfc2822(text, rfc)
    masked = _ZONE_WORD.sub(lambda found: " " * len(found[0]), text)  # offsets are not clocks
    date = _find_date(masked)
    if date is None:
        return None
    (year, month, day), (start, end) = date
    clock = _TIME.search(masked, end) or _TIME.search(masked[:start])  # "08:05 02/03/2025": the time first
    hour = minute = second = 0
    offset = default_offset
    if clock is not None:
        hour, minute, second = int(clock["H"]), int(clock["M"]), int(clock["S"] or 0)
        after = clock.end()
        meridiem = _MERIDIEM.match(text, after)
        if meridiem:
            hour = _twenty_four(hour, afternoon=bool(meridiem["pm"]))
            if hour is None:
                return None
            after = meridiem.end()
        glued = _GLUED_OFFSET.match(text, after)
        zone = _ZONE_WORD.search(text)
        named = _ZONE_NAME.match(text, after)
        if glued:
            offset = _offset(glued["sign"] or glued["sign2"], glued["h"] or glued["h2"], glued["m"] or glued["m2"])
        elif named and named["name"] not in ("GMT", "UTC"):  # an unknown or ambiguous one (ET, CST): no date
            hours = ZONES.get(named["name"])
            offset = None if hours is None else timezone(timedelta(hours=hours))
        elif zone:
            offset = _offset(zone["sign"], zone["h"], zone["m"])
    elif zone := _ZONE_WORD.search(text):
        offset = _offset(zone["sign"], zone["h"], zone["m"])
    if offset is None:
        return None
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=offset)
    except ValueError:
        return None
    return PageDate(value, has_seconds=bool(clock and clock["S"]))


def parse_offset(text: str) -> timezone:
    """"+07:00" (also "GMT+7") -> timezone(+7 h); ValueError for anything else."""
    found = _OFFSET.match(text)
    offset = _offset(found["sign"], found["h"], found["m"]) if found else None
    if offset is None:
        raise ValueError(f"not a UTC offset: {text!r}")
    return offset


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


def _find_date(text: str) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    """((year, month, day), (start, end)) of the first date form found, numeric forms first."""
    for pattern in (_YMD, _DMY, _VI_DMY):
        found = pattern.search(text)
        if found:
            return (int(found["y"]), int(found["m"]), int(found["d"])), found.span()
    named = [found for pattern in (_NAME_DMY, _NAME_MDY) for found in pattern.finditer(text)
             if found["name"].lower() in MONTHS]
    if not named:
        return None
    found = min(named, key=lambda match: match.start())
    return (int(found["y"]), MONTHS[found["name"].lower()], int(found["d"])), found.span()


def _twenty_four(hour: int, *, afternoon: bool) -> int | None:
    """The 24-hour hour of a 12-hour clock; None when the marker contradicts the hour. A 24-hour
    afternoon hour with a PM marker ("14:20 chiều") is consistent and kept."""
    if afternoon:
        return hour + 12 if 1 <= hour <= 11 else hour if 12 <= hour <= 23 else None
    return 0 if hour == 12 else hour if 1 <= hour <= 11 else None


def _rfc2822(text: str, found: re.Match) -> PageDate | None:
    """An RFC 2822 date by the stdlib; None for a zone name it does not know (it reads those as UTC)."""
    parts = parsedate_tz(text)
    if parts is None:
        return None
    *fields, zone_seconds = parts
    if not zone_seconds and not found["zone"][0] in "+-" and found["zone"].upper() not in _UTC_NAMES:
        return None
    try:
        value = datetime(*fields[:6], tzinfo=timezone(timedelta(seconds=zone_seconds or 0)))
    except ValueError:
        return None
    return PageDate(value, has_seconds=bool(found["S"]))


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timezone | None:
    """UTC when there is no sign (a bare Z, GMT or UTC); None for an offset past MAX_OFFSET_HOURS."""
    if not sign:
        return timezone.utc
    if int(hours) > MAX_OFFSET_HOURS or int(minutes or 0) >= 60:
        return None
    return timezone((-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes or 0)))
