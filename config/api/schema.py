"""Shared OpenAPI pieces, so every documented error body is the real one."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)

_DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field that is wrong.",
    401: "Not signed in, or a wrong token.",
    403: "Signed in, but not allowed.",
    404: "No such object (or not yours).",
    409: "Conflicts with the current state (sold out, full, already collected, key reused).",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
}


def ERROR_RESPONSES(*codes: int) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in codes
    }
