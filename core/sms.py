"""Text messages (SMS) beside e-mail, for customers who gave a mobile number
and no e-mail address (and, for what cannot wait, to those with both).

The shape follows ``core.mail``: an app's task (queued on commit, by primary
key) calls ``send`` with a short translated text, filled in the customer's
language; the backend comes from ``SMS_URL``, parsed like ``EMAIL_URL``:

- ``console://`` (the default): the message is printed, as the console mailer does;
- ``locmem://``: kept in ``core.sms.outbox`` (the tests);
- ``file:///path/to/sms.log``: one JSON line a message, appended (end-to-end
  tests across processes, a staging site);
- ``aliyun://KEY_ID:KEY_SECRET@dysmsapi.aliyuncs.com/?sign_name=...&region=cn-hangzhou``:
  Alibaba Cloud SMS (Dysmsapi ``SendSms``, API version 2017-05-25), the request
  signed as its RPC API requires (HMAC-SHA1, signature version 1.0). Mainland
  providers send only pre-approved templates: ``SMS_TEMPLATES`` maps each kind
  of message to its template code (``order_ready=SMS_123,...``); the message's
  parameters fill the template's ``${...}`` variables. ``aliyun+http://`` talks
  plain HTTP (a local fake server in the tests; never in production).

A message says one thing in at most 70 characters (one segment of a Chinese
SMS); ``segments`` counts them as carriers do.
"""

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import sys
import threading
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

logger = logging.getLogger(__name__)

# Mainland mobile numbers: 11 digits starting 13–19, optionally written with
# +86/0086 and spaces or dashes.
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
UCS2_SEGMENT = 70  # characters in one SMS with any Chinese character
GSM_SEGMENT = 160


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    kind: str = ""
    params: Mapping[str, str] = field(default_factory=dict)


def normalise_mobile(number: str | None) -> str:
    """The 11-digit mainland mobile number in ``number``, or "" if it is none."""
    digits = re.sub(r"[\s\-()]", "", number or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.match(digits) else ""


def masked(number: str) -> str:
    """138****0001: enough for a customer to recognise their number on a page."""
    mobile = normalise_mobile(number)
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile else ""


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes (70 characters each when any is
    outside ASCII, as Chinese is; 160 otherwise; longer texts are split)."""
    limit = GSM_SEGMENT if text.isascii() else UCS2_SEGMENT
    if len(text) <= limit:
        return 1
    per_part = limit - (7 if limit == GSM_SEGMENT else 3)  # the concatenation header
    return -(-len(text) // per_part)


def channels(*, email: str | None, phone: str | None, urgent: bool = False) -> list[str]:
    """How a customer hears from us: e-mail when they gave an address, a text
    message when they gave a mobile number and no address, or also when the
    news cannot wait (``urgent``: an order ready, seats held for a deadline,
    a cancelled departure). Empty when they gave neither."""
    found = []
    if email:
        found.append("email")
    if normalise_mobile(phone) and (not email or urgent):
        found.append("sms")
    return found


# --- Backends ---------------------------------------------------------------------


class Backend(Protocol):
    def send(self, message: SmsMessage) -> bool: ...


class ConsoleBackend:
    def __init__(self, stream=None, **options):
        self.stream = stream

    def send(self, message: SmsMessage) -> bool:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {message.to} ({message.kind}): {message.body}\n")
        stream.flush()
        return True


outbox: list[SmsMessage] = []


class LocMemBackend:
    def __init__(self, **options):
        pass

    def send(self, message: SmsMessage) -> bool:
        outbox.append(message)
        return True


class FileBackend:
    _lock = threading.Lock()

    def __init__(self, path: str, **options):
        if not path:
            raise ImproperlyConfigured("SMS_URL file:// needs a path, e.g. file:///tmp/sms.log")
        self.path = Path(path)

    def send(self, message: SmsMessage) -> bool:
        line = json.dumps(
            {
                "to": message.to,
                "kind": message.kind,
                "body": message.body,
                "params": dict(message.params),
            },
            ensure_ascii=False,
        )
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return True


def read_file_outbox(path: str | Path) -> list[dict[str, Any]]:
    """The messages a FileBackend wrote to ``path``."""
    file = Path(path)
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line]


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud's signature wants it: only
    A–Z a–z 0–9 - _ . ~ unencoded, UTF-8, spaces as %20."""
    return quote(str(value), safe="-_.~")


class AliyunBackend:
    """Alibaba Cloud SMS, ``SendSms`` over its RPC API (HTTP GET, query signed
    with HMAC-SHA1 of "GET&%2F&" + the encoded, sorted query; key = secret + "&")."""

    ACTION = "SendSms"
    VERSION = "2017-05-25"

    def __init__(
        self,
        *,
        scheme: str,
        host: str,
        key_id: str,
        secret: str,
        sign_name: str,
        region: str = "cn-hangzhou",
        templates: Mapping[str, str] | None = None,
        timeout: float = 10,
        **options,
    ):
        if not (key_id and secret and sign_name):
            raise ImproperlyConfigured(
                "SMS_URL aliyun:// needs KEY_ID:KEY_SECRET@host and ?sign_name=..."
            )
        self.endpoint = f"{scheme}://{host}/"
        self.key_id, self.secret, self.sign_name, self.region = key_id, secret, sign_name, region
        self.templates = dict(templates or {})
        self.timeout = timeout

    def signed_query(self, params: Mapping[str, str]) -> str:
        canonical = "&".join(
            f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
        )
        to_sign = f"GET&{percent_encode('/')}&{percent_encode(canonical)}"
        digest = hmac.new(f"{self.secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        signature = base64.b64encode(digest).decode()
        return f"Signature={percent_encode(signature)}&{canonical}"

    def request_params(self, message: SmsMessage, *, now: dt.datetime | None = None) -> dict:
        template = self.templates.get(message.kind)
        if not template:
            raise ImproperlyConfigured(f"SMS_TEMPLATES has no template code for {message.kind!r}")
        now = now or dt.datetime.now(dt.UTC)
        return {
            "AccessKeyId": self.key_id,
            "Action": self.ACTION,
            "Format": "JSON",
            "PhoneNumbers": message.to,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(dict(message.params), ensure_ascii=False),
            "Timestamp": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.VERSION,
        }

    def send(self, message: SmsMessage) -> bool:
        url = self.endpoint + "?" + self.signed_query(self.request_params(message))
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode() or "{}")
        except (OSError, ValueError) as exc:
            # an HTTP error answer still carries the provider's JSON reason
            answer = {}
            body = getattr(exc, "read", None)
            if body is not None:
                with contextlib.suppress(ValueError):
                    answer = json.loads(body().decode() or "{}")
            if not answer:
                logger.warning("SMS not sent", extra={"fields": {"error": repr(exc)}})
                return False
        if answer.get("Code") == "OK":
            return True
        logger.warning(
            "SMS refused by the provider",
            extra={"fields": {"code": answer.get("Code"), "message": answer.get("Message")}},
        )
        return False


def parse_url(url: str) -> dict[str, Any]:
    """``SMS_URL`` as backend options: {"backend": ..., and its options}."""
    parts = urlsplit(url or "console://")
    scheme = parts.scheme.lower()
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme == "console":
        return {"backend": "console"}
    if scheme == "locmem":
        return {"backend": "locmem"}
    if scheme == "file":
        return {"backend": "file", "path": unquote(parts.path)}
    if scheme in ("aliyun", "aliyun+http", "aliyun+https"):
        return {
            "backend": "aliyun",
            "scheme": "http" if scheme == "aliyun+http" else "https",
            "host": parts.netloc.rpartition("@")[2] or "dysmsapi.aliyuncs.com",
            "key_id": unquote(parts.username or ""),
            "secret": unquote(parts.password or ""),
            "sign_name": query.get("sign_name", ""),
            "region": query.get("region", "cn-hangzhou"),
            "timeout": float(query.get("timeout", 10)),
        }
    raise ImproperlyConfigured(
        f"SMS_URL: unknown scheme {scheme!r} (console, locmem, file, aliyun, aliyun+http)"
    )


BACKENDS = {
    "console": ConsoleBackend,
    "locmem": LocMemBackend,
    "file": FileBackend,
    "aliyun": AliyunBackend,
}


def parse_templates(text: str) -> dict[str, str]:
    """``SMS_TEMPLATES``: "kind=CODE,kind=CODE" as a dict."""
    pairs = (item.partition("=") for item in (text or "").split(",") if item.strip())
    return {kind.strip(): code.strip() for kind, _, code in pairs if kind.strip() and code.strip()}


@cache
def _backend_for(config: str) -> Backend:
    options = json.loads(config)
    name = options.pop("backend")
    return BACKENDS[name](**options)


def get_backend() -> Backend:
    options = dict(settings.SMS)
    options["templates"] = dict(settings.SMS_TEMPLATES) if options["backend"] == "aliyun" else {}
    if options["backend"] != "aliyun":
        options.pop("templates")
    return _backend_for(json.dumps(options, sort_keys=True))


def not_sent(what: str, **fields: Any) -> bool:
    logger.warning(f"{what} SMS not sent", extra={"fields": fields})
    return False


def send(
    *,
    text: Any,
    params: Mapping[str, Any],
    to: str | None,
    language: str | None,
    kind: str,
) -> bool:
    """``text`` (a lazily translated string with ``%(name)s`` placeholders)
    in ``language``, filled from ``params``, sent to the mobile number ``to``.
    ``kind`` and ``params`` are what a template-based provider sends instead
    of the text (our text is the copy of that approved template). False when
    ``to`` is no mobile number or the backend could not send it."""
    mobile = normalise_mobile(to)
    if not mobile:
        return False
    values = {k: str(v) for k, v in params.items()}
    with translation.override(language or settings.LANGUAGE_CODE):
        body = " ".join((str(text) % values).split())
    return get_backend().send(SmsMessage(to=mobile, body=body, kind=kind, params=values))


def how_we_tell(*, email: str | None, phone: str | None, urgent: bool = False) -> str:
    """The ``channels`` in words, for a page to say what will actually happen
    ("by e-mail and by text message to 138****0001"); "" for none."""
    from django.utils.translation import gettext as _

    ways = channels(email=email, phone=phone, urgent=urgent)
    number = masked(phone or "")
    if ways == ["email", "sms"]:
        return _("by e-mail and by text message to %(phone)s") % {"phone": number}
    if ways == ["email"]:
        return _("by e-mail")
    if ways == ["sms"]:
        return _("by text message to %(phone)s") % {"phone": number}
    return ""
