"""Credentials on the wire: session header, access-key signature, login password hashing.

* Session: `Authorization: OAuth <sessionUuid>`.
* Access key: `Authorization: ZStack <keyId>:<base64(HMAC-SHA1(secret, METHOD\\nDATE\\nURI))>` plus a
  `Date` header, URI being the decoded path *below* the context path, without the query string
  (`/v1/vm-instances/<uuid>`). This is the algorithm of ZStack's Java/Python/Go SDKs; the verifying
  backend is closed source, so check it against the target server version.
* The server rejects a `Date` more than 15 minutes away from its clock, comparing wall-clock values
  and ignoring the zone (default `rest.checkTimeZone=false`): write it in the management node's time
  zone (`access_key_timezone`), which defaults to this machine's local zone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

__all__ = [
    "AccessKey",
    "format_date_header",
    "hash_password",
    "session_header",
    "sign_request",
]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def hash_password(password: str) -> str:
    """What ZStack's login APIs expect in `password`: the SHA-512 hex digest of the UTF-8 text."""
    return hashlib.sha512(password.encode("utf-8")).hexdigest()


def session_header(session_uuid: str) -> str:
    return f"OAuth {session_uuid}"


def _zone_label(moment: datetime) -> str:
    """A zone text Java's `z` pattern parses: an abbreviation ("CST", "UTC") or "GMT+08:00"."""
    name = moment.tzname() or "GMT"
    if name.startswith(("UTC+", "UTC-")) or name[:1] in "+-":
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        hours, rest = divmod(abs(minutes), 60)
        return f"GMT{sign}{hours:02d}:{rest:02d}"
    return name


def format_date_header(moment: datetime | None = None, zone: tzinfo | None = None) -> str:
    """`EEE, dd MMM yyyy HH:mm:ss z` in English whatever the locale, e.g. `Tue, 14 Nov 2017 22:20:57 CST`."""
    if moment is None:
        moment = datetime.now().astimezone(zone) if zone is not None else datetime.now().astimezone()
    elif moment.tzinfo is None:
        moment = moment.astimezone(zone) if zone is not None else moment.astimezone()
    elif zone is not None:
        moment = moment.astimezone(zone)
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {_zone_label(moment)}"
    )


def sign_request(secret: str, method: str, date: str, uri: str) -> str:
    """Base64(HMAC-SHA1(secret, "METHOD\\nDATE\\nURI"))."""
    string_to_sign = f"{method.upper()}\n{date}\n{uri}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True, slots=True)
class AccessKey:
    """An AccessKey id/secret pair and the time zone its `Date` headers are written in."""

    key_id: str
    secret: str
    timezone: tzinfo | None = None

    def headers(self, method: str, uri: str, now: datetime | None = None) -> dict[str, str]:
        """`Date` and `Authorization` for one request; `uri` is the decoded path below the context."""
        date = format_date_header(now, self.timezone)
        signature = sign_request(self.secret, method, date, uri)
        return {"Date": date, "Authorization": f"ZStack {self.key_id}:{signature}"}

    def __repr__(self) -> str:  # never show the secret in logs or tracebacks
        return f"AccessKey(key_id={self.key_id!r}, secret='***')"
