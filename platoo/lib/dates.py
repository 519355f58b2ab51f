"""Dates as Thai readers read them: Buddhist Era years (พ.ศ. = ค.ศ. + 543)."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_thai() -> bool:
    return (get_language() or "th").startswith("th")


def to_ce_year(year: int) -> int:
    """A year typed by a user, in either era: 2400 and later is taken as พ.ศ."""
    return year - BE_OFFSET if year >= 2400 else year


def format_date(value: date | datetime | None, *, short: bool = False, with_time: bool = False) -> str:
    """'23 พ.ย. 2569' for Thai readers, '23 Nov 2026' otherwise; local time for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        day: date = local.date()
        clock = local.strftime("%H:%M")
    else:
        day, clock = value, ""
    if is_thai():
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        text = f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}"
        if with_time and clock:
            text += f" {clock} น."
    else:
        text = f"{day.day} {ENGLISH_MONTHS_SHORT[day.month - 1]} {day.year}"
        if with_time and clock:
            text += f", {clock}"
    return text


def display_year(year: int) -> int:
    return year + BE_OFFSET if is_thai() else year
