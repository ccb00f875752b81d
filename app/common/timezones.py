"""IANA time zone names, checked against the system's zone database."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator


@lru_cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if value not in known_timezones() and value != "UTC":
        raise ValueError(f"{value!r} is not an IANA time zone name (such as Asia/Dubai)")
    return value


#: An IANA zone name in a write ("" reads as none).
TimeZone = Annotated[str, AfterValidator(check_timezone)]
