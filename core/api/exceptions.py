"""One error format for the whole API.

Non-field errors come back as ``{"detail": "...", "code": "..."}``; validation
errors as ``{"detail": "...", "code": "invalid", "errors": {field: [messages]}}``.
Domain errors raised by services (``core.errors.DomainError``) map to their
own status (400 or 409) and code, so a service never needs to know about HTTP.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        first = _first_message(errors)
        response.data = {
            "detail": first or _("Invalid input."),
            "code": "invalid",
            "errors": errors,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail)
            if not isinstance(exc.detail, dict | list)
            else _first_message(exc.detail),
            "code": codes if isinstance(codes, str) else exc.default_code,
        }
    return response


def _first_message(errors) -> str:
    """A human sentence for the top-level detail, e.g. "quantity: must be at least 1"."""
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if message:
                return message if field == "non_field_errors" else f"{field}: {message}"
    elif isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
    elif errors:
        return str(errors)
    return ""
