"""The server's settings (environment variables an IT department sets: numbers, sizes,
yes-or-no, one of a few words), read by one rule: a value that is not what the setting
takes is refused with the setting's name, never replaced by a default or a nearest value.
A limit of 20 MB mistyped as "20MB" that quietly became 20 again, or a port "25x" that
became 25, would hide the mistake until it mattered; `0` threads clamped to 1 would hide it
for ever. Digits are ASCII digits (`str.isdigit` also takes "²", which `int` refuses), and
no underscores (`float` reads "1_0" as 10).

Layer rule: imports nothing of ours (the standard library only); the lowest layer, which
every other may import (`i18n` too: the time zone times are shown in is a setting).
"""

from __future__ import annotations

import math
import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# each matched whole (fullmatch); ASCII digits only
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_SIZE = re.compile(r"(?i)[0-9]+(\.[0-9]+)? ?(b|kb|mb|gb|tb|kib|mib|gib|tib)")


def _given(name: str) -> str:
    """What the setting *name* says, without the spaces around it ("" when unset)."""
    return os.environ.get(name, "").strip()


class SettingError(ValueError):
    """A setting whose value is not what it takes; the message names it and the value (for
    the log and the command line), *name* the setting alone (for a page: its reader is told
    which setting to report, not the value)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def whole(name: str, default: int, least: int = 1, most: int | None = None) -> int:
    """The whole-number setting *name* (*default* when unset or empty), from *least* to
    *most*."""
    found = _given(name)
    if not found:
        return default
    if (
        not _WHOLE.fullmatch(found)
        or int(found) < least
        or (most is not None and int(found) > most)
    ):
        span = f"from {least} to {most}" if most is not None else f"of {least} or more"
        raise SettingError(name, f"{name} must be a whole number {span}, not {found!r}")
    return int(found)


def seconds(name: str, default: float) -> float:
    """The setting *name* in seconds, a number above 0 with a point as its decimal mark (a
    comma is refused: "1,5" is one and a half in Swedish and fifteen in English)."""
    found = _given(name)
    if not found:
        return default
    value = float(found) if _DECIMAL.fullmatch(found) else math.nan
    if not math.isfinite(value) or value <= 0:
        raise SettingError(name, f"{name} must be a number of seconds above 0, not {found!r}")
    return value


ON, OFF = ("1", "true", "yes"), ("0", "false", "no")


def flag(name: str) -> bool:
    """The yes-or-no setting *name*: 1, true or yes turn it on; unset, empty, 0, false or
    no leave it off (any case). Anything else is refused: STARTTLS given as "on" must not
    quietly send a password unencrypted, nor an import allowed as "True " stay refused
    without a word."""
    found = _given(name).lower()
    if found in ON:
        return True
    if not found or found in OFF:
        return False
    raise SettingError(name, f"{name} must be one of {', '.join(ON + OFF)}, not {found!r}")


def choice(name: str, options: tuple[str, ...]) -> str | None:
    """The setting *name*, one of *options*; None when unset or empty."""
    found = _given(name)
    if not found:
        return None
    if found not in options:
        raise SettingError(name, f"{name} must be one of {', '.join(options)}, not {found!r}")
    return found


def size(name: str, default: str) -> str:
    """The memory size *name* as DuckDB takes it ("1GB", "512 MiB"); *default* when unset."""
    found = _given(name)
    if not found:
        return default
    if not _SIZE.fullmatch(found):
        raise SettingError(name, f"{name} must be a size such as 1GB or 512MiB, not {found!r}")
    return found


def zone(name: str, default: str) -> ZoneInfo:
    """The time zone *name* names ("Europe/Copenhagen"); *default* when unset. A name the
    zone database does not know is refused: a typo would show every time in the default
    zone's hours (Helsinki's an hour off) without a word."""
    found = _given(name)
    try:
        return ZoneInfo(found or default)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError(
            name, f"{name} must name a time zone such as Europe/Stockholm, not {found!r}"
        ) from None
