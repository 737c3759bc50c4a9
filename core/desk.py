"""What the two staff desks (the marketplace's pickup desk, the tours
check-in desk) share, and no app's rules: the exactly-once application of
actions a desk queued offline, the signed offline snapshot, and the desks'
installable-app shell (service worker, manifest).

An action a desk sends is ``{"nonce": UUID, "kind": str, "code": str,
"scanned_at": ISO 8601, "payment_method": str?}``. ``apply_actions`` checks
the whole batch first (a malformed one refuses it all: nothing written),
then applies them in scan-time order, each in its own transaction with the
``OfflineAction`` row that claims its nonce: the unique nonce turns a second
upload of the same action, even one racing the first, into ``duplicate``.
A domain error becomes ``conflict`` (kept for the clerk to resolve), never
a failed batch.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from .errors import DomainError
from .models import OfflineAction

MAX_BATCH = 500
# An action scanned longer ago than this is refused as a conflict: the
# snapshot it was made from is stale (see SNAPSHOT_MAX_AGE).
MAX_ACTION_AGE = dt.timedelta(days=3)
# A clock a little ahead is tolerated; a scan time later than this is not believed.
CLOCK_SKEW = dt.timedelta(minutes=10)
SNAPSHOT_SALT = "desk-snapshot"
SNAPSHOT_MAX_AGE = dt.timedelta(days=2)


class InvalidActions(DomainError):
    code = "invalid_actions"


@dataclass(frozen=True)
class DeskAction:
    nonce: uuid.UUID
    kind: str
    code: str
    scanned_at: dt.datetime
    payment_method: str = ""


@dataclass(frozen=True)
class Outcome:
    """What became of one action: ``applied``, ``duplicate`` or ``conflict``."""

    nonce: str
    result: str
    code: str
    kind: str
    conflict: str = ""
    message: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "nonce": self.nonce,
            "result": self.result,
            "code": self.code,
            "kind": self.kind,
            "conflict": self.conflict,
            "message": self.message,
        }


# kind -> handler(actor, action, now) that raises a DomainError to refuse.
Handlers = Mapping[str, Callable[[Any, DeskAction, dt.datetime], object]]


def parse_actions(raw: object, *, kinds: Sequence[str]) -> list[DeskAction]:
    """The batch as typed actions; InvalidActions (400) naming the first bad one."""
    if not isinstance(raw, list) or not raw:
        raise InvalidActions(_("Send a list of actions."))
    if len(raw) > MAX_BATCH:
        raise InvalidActions(_("At most %(max)s actions at a time.") % {"max": MAX_BATCH})
    actions, seen = [], set()
    for index, item in enumerate(raw, start=1):
        bad = InvalidActions(_("Action %(n)s is not one this desk understands.") % {"n": index})
        if not isinstance(item, Mapping):
            raise bad
        try:
            nonce = uuid.UUID(str(item.get("nonce", "")))
        except ValueError:
            raise bad from None
        kind, code = item.get("kind"), item.get("code")
        payment = item.get("payment_method") or ""
        scanned = parse_datetime(str(item.get("scanned_at") or ""))
        if (
            kind not in kinds
            or not isinstance(code, str)
            or not 0 < len(code.strip()) <= 20
            or not isinstance(payment, str)
            or len(payment) > 20
            or scanned is None
            or nonce in seen
        ):
            raise bad
        if timezone.is_naive(scanned):
            scanned = timezone.make_aware(scanned, dt.UTC)
        seen.add(nonce)
        actions.append(DeskAction(nonce, str(kind), code.strip(), scanned, payment))
    return actions


def apply_actions(
    *, actor, desk: str, actions: Sequence[DeskAction], handlers: Handlers
) -> list[Outcome]:
    """Applies each action exactly once, oldest scan first (see the module)."""
    outcomes = []
    now = timezone.now()
    for action in sorted(actions, key=lambda a: (a.scanned_at, str(a.nonce))):
        outcomes.append(_apply_one(actor, desk, action, handlers, now))
    return outcomes


def _apply_one(actor, desk: str, action: DeskAction, handlers: Handlers, now) -> Outcome:
    nonce = str(action.nonce)
    # The event's time is the scan's (a hand-over made offline at 10:02 is
    # recorded at 10:02), but never in the future.
    at = min(action.scanned_at, now)
    row = OfflineAction(
        nonce=action.nonce,
        user=actor,
        desk=desk,
        kind=action.kind,
        code=action.code[:20],
        payment_method=action.payment_method,
        scanned_at=action.scanned_at,
        received_at=now,
        result=OfflineAction.Result.APPLIED,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            try:
                with transaction.atomic():
                    if action.scanned_at > now + CLOCK_SKEW:
                        raise DomainError(
                            _("The scan time is in the future; check the device's clock."),
                            code="clock",
                        )
                    if now - action.scanned_at > MAX_ACTION_AGE:
                        raise DomainError(
                            _("This action was recorded too long ago to apply now."),
                            code="too_old",
                        )
                    handlers[action.kind](actor, action, at)
            except DomainError as error:
                row.result = OfflineAction.Result.CONFLICT
                row.conflict_code = error.code
                row.message = str(error.message)
                row.save(update_fields=["result", "conflict_code", "message"])
    except IntegrityError:
        # The nonce was claimed before (or just now, by a concurrent upload
        # that has committed since): nothing is applied a second time.
        first = OfflineAction.objects.filter(nonce=action.nonce).first()
        if first is None:  # pragma: no cover - another integrity error
            raise
        if first.user_id != actor.pk:
            return Outcome(
                nonce,
                OfflineAction.Result.CONFLICT,
                action.code,
                action.kind,
                "nonce_taken",
                _("This action's one-time key was already used; scan again."),
            )
        return Outcome(
            nonce,
            "duplicate",
            first.code,
            first.kind,
            first.conflict_code,
            first.message,
        )
    return Outcome(nonce, row.result, row.code, row.kind, row.conflict_code, row.message)


def open_conflicts(*, user, desk: str):
    return OfflineAction.objects.filter(
        user=user, desk=desk, result=OfflineAction.Result.CONFLICT, resolved_at__isnull=True
    ).order_by("scanned_at", "pk")


def resolve_conflict(*, user, desk: str, nonce: str) -> OfflineAction:
    """The clerk has dealt with a conflict (seen the customer, called the office)."""
    try:
        key = uuid.UUID(str(nonce))
    except ValueError:
        raise DomainError(_("No such conflict."), code="not_found") from None
    with transaction.atomic():
        row = open_conflicts(user=user, desk=desk).select_for_update().filter(nonce=key).first()
        if row is None:
            raise DomainError(_("No such conflict."), code="not_found")
        row.resolved_at = timezone.now()
        row.save(update_fields=["resolved_at"])
    return row


def conflict_dict(row: OfflineAction) -> dict[str, str]:
    return {
        "nonce": str(row.nonce),
        "kind": row.kind,
        "code": row.code,
        "scanned_at": row.scanned_at.isoformat(),
        "conflict": row.conflict_code,
        "message": row.message,
    }


# --- The offline snapshot -------------------------------------------------------------


def sign_snapshot(*, user, desk: str, scope: Sequence[int], data: dict) -> str:
    """The snapshot the desk keeps offline, signed with the user and scope it was made for."""
    return signing.TimestampSigner(salt=SNAPSHOT_SALT).sign_object(
        {"user": user.pk, "desk": desk, "scope": sorted(scope), "data": data}, compress=True
    )


def read_snapshot(token: str, *, user, desk: str) -> dict:
    """The snapshot's content if it was signed here for this user and desk, not too old."""
    try:
        value = signing.TimestampSigner(salt=SNAPSHOT_SALT).unsign_object(
            token, max_age=SNAPSHOT_MAX_AGE
        )
    except signing.BadSignature:
        raise DomainError(
            _("This offline copy is not valid any more."), code="bad_snapshot"
        ) from None
    if value.get("user") != user.pk or value.get("desk") != desk:
        raise DomainError(_("This offline copy is not valid any more."), code="bad_snapshot")
    return value


# --- The installable shell -----------------------------------------------------------

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "desk" / "sw.js"


@never_cache
def service_worker(request):
    """The desks' service worker, served at /vendor/desk/sw.js so that its
    scope is the desks (a worker controls only pages under its own path)."""
    response = HttpResponse(
        SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/vendor/desk/"
    return response


def manifest(*, name: str, short_name: str, start_url: str) -> JsonResponse:
    """A web app manifest for one desk, so a phone can put it on the home screen."""
    return JsonResponse(
        {
            "name": name,
            "short_name": short_name,
            "start_url": start_url,
            "scope": "/vendor/desk/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": "#9b1c1c",
            "icons": [
                {
                    "src": settings.STATIC_URL + "img/desk-icon.svg",
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any",
                },
                {
                    "src": settings.STATIC_URL + "img/desk-icon-192.png",
                    "sizes": "192x192",
                    "type": "image/png",
                },
                {
                    "src": settings.STATIC_URL + "img/desk-icon-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                },
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def desk_headers(response):
    """The desk pages alone may use the camera (to scan codes)."""
    response["Permissions-Policy"] = "camera=(self)"
    return response


# --- The desk pages and their JSON endpoints ---------------------------------------------


class Desk:
    """One desk: what it lists, finds, applies and undoes. Each app subclasses
    it (marketplace.desk, tours.desk); the views below are the same for both.

    ``items`` are plain dicts with at least ``code`` and ``status``; the page
    keeps them offline and renders them (static/js/desk/desk.js).
    """

    name: str = ""  # "pickup" or "check_in": OfflineAction.desk, the JS's desk
    path: str = ""  # the URL segment under /vendor/desk/
    template: str = ""
    kinds: tuple[str, ...] = ()

    def allowed(self, user) -> bool:
        return bool(self.scope(user))

    def scope(self, user) -> list[int]:
        raise NotImplementedError

    def watched(self, user) -> list[tuple[str, int]] | None:
        """The version counters (``core.cache.bump_item``) today's list
        depends on, so it can be cached until one moves; None: not cached."""
        return None

    def items_until(self, items: list[dict], now: dt.datetime) -> dt.datetime | None:
        """When today's list changes with the clock alone (a deadline passing,
        the day ending)."""
        return now

    def items(self, user, now: dt.datetime) -> list[dict]:
        raise NotImplementedError

    def find(self, user, code: str, now: dt.datetime) -> dict | None:
        raise NotImplementedError

    def handlers(self) -> Handlers:
        raise NotImplementedError

    def undo(self, user, code: str, now: dt.datetime) -> None:
        raise NotImplementedError

    def page_context(self, request) -> dict:
        return {}

    def strings(self) -> dict[str, str]:
        """The words the page's script shows for this desk (action, done…)."""
        return {}

    def manifest_names(self) -> tuple[str, str]:
        raise NotImplementedError


def _json_error(message, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": str(message), "code": code},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _body(request) -> dict:
    import json

    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise DomainError(_("The request is not valid JSON."), code="parse_error") from None
    if not isinstance(body, dict):
        raise DomainError(_("The request is not valid JSON."), code="parse_error")
    return body


def common_strings() -> dict[str, str]:
    return {
        "online": _("Online"),
        "offline": _("Offline: working from the copy of %(time)s"),
        "offline_nocopy": _("Offline, and no copy of today's list on this device yet"),
        "queued": _("%(n)s not yet synced"),
        "synced": _("All synced"),
        "synced_n": _("%(n)s synced."),
        "not_synced": _("Not yet synced"),
        "not_found": _("No such code at your desk."),
        "not_found_offline": _("Not in the offline copy: check the code, or try again online."),
        "choose_payment": _("Choose how it was paid."),
        "payment": _("Payment"),
        "paid": pgettext("desk badge", "Paid"),
        "unpaid": pgettext("desk badge", "Not paid"),
        "total": _("Total"),
        "undo": _("Undo (until %(time)s)"),
        "undone": _("Undone."),
        "undo_failed": _("Could not undo: %(reason)s"),
        "conflict": _("Conflict"),
        "resolved": _("Resolved"),
        "open": _("Open"),
        "copy_of": _("Offline copy of %(time)s"),
        "camera_unavailable": _("The camera is not available here; type the code."),
        "camera_looking": _("Hold the QR code in front of the camera."),
        "error": _("Something went wrong; try again."),
        "signed_out": _("You are signed out: sign in again to sync."),
    }


def desk_views(desk: Desk, *, login: Callable) -> list:
    """The URL patterns of one desk under /vendor/desk/<path>/. ``login``
    wraps the page (the vendor site's admin_view: sign in first); the JSON
    endpoints answer 403 instead of redirecting."""
    from django.shortcuts import render
    from django.urls import path
    from django.views.decorators.http import require_GET, require_POST

    from . import personal

    def api(view, method):
        @never_cache
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and user.is_active and desk.allowed(user)):
                return _json_error(_("Sign in as staff of this desk."), "not_authenticated", 403)
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                return _json_error(error.message, error.code, error.status_code)

        return (require_GET if method == "GET" else require_POST)(wrapped)

    def page(request):
        from django.core.exceptions import PermissionDenied

        if not desk.allowed(request.user):
            raise PermissionDenied
        context = {
            "strings": {**common_strings(), **desk.strings()},
            "desk": desk,
            "api": f"/vendor/desk/{desk.path}/",
            "undo_minutes": settings.DESK_UNDO_MINUTES,
            **desk.page_context(request),
        }
        return desk_headers(render(request, desk.template, context))

    def snapshot(request):
        user = request.user

        def render():
            now = timezone.now()
            items = desk.items(user, now)
            personal.valid_until(request, desk.items_until(items, now))
            data = {"generated_at": now.isoformat(), "items": items}
            token = sign_snapshot(user=user, desk=desk.name, scope=desk.scope(user), data=data)
            return JsonResponse(
                {
                    "data": data,
                    "signed": token,
                    "csrf": personal.csrf_value(request),
                    "user": user.pk,
                },
                json_dumps_params={"ensure_ascii": False},
            )

        # Today's list, signed, is the same answer until an order (or booking)
        # it shows changes or the clock moves it on (core.personal): cached per
        # user, with this answer's CSRF token filled in.
        watched = desk.watched(user)
        if watched is None or not personal.cacheable_request(
            request, settings.PERSONAL_CACHE_SECONDS
        ):
            return render()
        return personal.serve(
            request,
            key_parts=("desk", desk.name, user.pk, getattr(request, "LANGUAGE_CODE", ""), watched),
            version_keys=personal.version_keys(items=watched, scopes=("editorial",)),
            render=render,
        )

    def find(request):
        code = request.GET.get("code", "").strip()
        item = desk.find(request.user, code, timezone.now()) if 0 < len(code) <= 20 else None
        if item is None:
            return _json_error(_("No such code at your desk."), "not_found", 404)
        return JsonResponse({"item": item}, json_dumps_params={"ensure_ascii": False})

    def sync(request):
        body = _body(request)
        actions = parse_actions(body.get("actions"), kinds=desk.kinds)
        outcomes = apply_actions(
            actor=request.user, desk=desk.name, actions=actions, handlers=desk.handlers()
        )
        now = timezone.now()
        items = {}
        for outcome in outcomes:
            if outcome.code not in items:
                items[outcome.code] = desk.find(request.user, outcome.code, now)
        return JsonResponse(
            {
                "results": [outcome.as_dict() for outcome in outcomes],
                "items": [item for item in items.values() if item],
            },
            json_dumps_params={"ensure_ascii": False},
        )

    def undo(request):
        code = str(_body(request).get("code") or "").strip()
        if not 0 < len(code) <= 20:
            raise DomainError(_("Which code?"), code="invalid")
        now = timezone.now()
        desk.undo(request.user, code, now)
        return JsonResponse(
            {"item": desk.find(request.user, code, now)}, json_dumps_params={"ensure_ascii": False}
        )

    def conflicts(request):
        if request.method == "POST":
            resolve_conflict(
                user=request.user, desk=desk.name, nonce=str(_body(request).get("nonce") or "")
            )
        rows = open_conflicts(user=request.user, desk=desk.name)
        return JsonResponse(
            {"conflicts": [conflict_dict(row) for row in rows]},
            json_dumps_params={"ensure_ascii": False},
        )

    def conflicts_view(request):
        return conflicts(request)

    def app_manifest(request):
        name, short = desk.manifest_names()
        return manifest(name=name, short_name=short, start_url=f"/vendor/desk/{desk.path}/")

    prefix = f"desk/{desk.path}/"
    conflicts_any = never_cache(api(conflicts_view, "GET"))
    conflicts_post = api(conflicts_view, "POST")

    def conflicts_dispatch(request):
        return (conflicts_post if request.method == "POST" else conflicts_any)(request)

    return [
        path(prefix, login(page), name=f"desk_{desk.name}"),
        path(f"{prefix}snapshot", api(snapshot, "GET"), name=f"desk_{desk.name}_snapshot"),
        path(f"{prefix}find", api(find, "GET"), name=f"desk_{desk.name}_find"),
        path(f"{prefix}sync", api(sync, "POST"), name=f"desk_{desk.name}_sync"),
        path(f"{prefix}undo", api(undo, "POST"), name=f"desk_{desk.name}_undo"),
        path(f"{prefix}conflicts", conflicts_dispatch, name=f"desk_{desk.name}_conflicts"),
        path(f"{prefix}manifest.webmanifest", app_manifest, name=f"desk_{desk.name}_manifest"),
    ]
