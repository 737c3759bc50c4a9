"""`Idempotency-Key` for create endpoints (POST orders/, POST bookings/).

    return idempotent(request, scope="orders", create=lambda: (201, body))

The same key from the same user with the same body replays the first answer
and creates nothing; the same key with a different body is a 409. The key row
is written in the same transaction as the object it records, so a failed
create leaves no key behind and can be retried; two concurrent requests with
one key are serialised by a lock on the key (and, as a last resort, by the
unique constraint): the second replays the first's answer.
"""

import hashlib
import json
from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from core.errors import Conflict
from core.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


def _hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(request, *, scope: str, create: Callable[[], tuple[int, dict]]) -> Response:
    key = request.META.get(HEADER, "").strip()
    if not key:
        status, body = create()
        return Response(body, status=status)
    if len(key) > MAX_KEY_LENGTH:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})

    request_hash = _hash(request.data)
    existing = _replay(request.user, scope, key, request_hash)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # Requests with the same key wait for each other here, so a twin
            # sent at the same moment replays the first answer instead of
            # racing it for the last unit (and answering "sold out").
            _lock_key(request.user, scope, key)
            existing = _replay(request.user, scope, key, request_hash)
            if existing is not None:
                return existing
            status, body = create()
            IdempotencyKey.objects.create(
                user=request.user,
                scope=scope,
                key=key,
                request_hash=request_hash,
                response_status=status,
                response_body=body,
            )
    except IntegrityError:
        # Another request with this key won the race: answer as it did.
        existing = _replay(request.user, scope, key, request_hash)
        if existing is None:
            raise
        return existing
    return Response(body, status=status)


def _lock_key(user: AbstractBaseUser, scope: str, key: str) -> None:
    """A transaction-scoped lock on (user, scope, key). PostgreSQL: an advisory
    lock; SQLite already runs one writing transaction at a time (IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{user.pk}:{scope}:{key}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def _replay(user: AbstractBaseUser, scope: str, key: str, request_hash: str) -> Response | None:
    # By id: core names no concrete user model (AUTH_USER_MODEL is accounts').
    row = IdempotencyKey.objects.filter(user_id=user.pk, scope=scope, key=key).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used with a different request body.")
        )
    response = Response(row.response_body, status=row.response_status)
    response["Idempotent-Replayed"] = "true"
    return response
