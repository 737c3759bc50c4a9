"""Shared OpenAPI pieces, so every documented error body is the real one.

``postprocess_schema`` (a drf-spectacular hook, see SPECTACULAR_SETTINGS) adds
the error answers that every operation of a kind can give, whatever its view
declares: 400 when it takes query parameters (filters, pagination), 404 when
it has path parameters or pages, 401 when it needs a token, 429 everywhere
(every view is throttled). scripts/fuzz_api.py holds the schema to it.
"""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        # {field: [messages]}, nested for nested input: {"lines": [{"quantity": [...]}]}.
        "errors": serializers.DictField(child=serializers.JSONField(), required=False),
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


_ERROR_REF = {"$ref": "#/components/schemas/Error"}
# RFC 3339 "time" needs a UTC offset, which DRF's TimeField (a local time of
# day, "08:30:00") never has; describe what it really sends.
_LOCAL_TIME = {
    "type": "string",
    "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$",
    "example": "08:30:00",
}


def _error(status: int) -> dict:
    return {
        "description": _DESCRIPTIONS[status],
        "content": {"application/json": {"schema": _ERROR_REF}},
    }


def _fix_times(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node.update({k: v for k, v in _LOCAL_TIME.items() if k not in node})
        for value in node.values():
            _fix_times(value)
    elif isinstance(node, list):
        for value in node:
            _fix_times(value)


def postprocess_schema(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            names = {p["name"] for p in parameters if p.get("in") == "query"}
            wanted = {429}
            if names:
                wanted.add(400)
            if "page" in names or any(p.get("in") == "path" for p in parameters):
                wanted.add(404)
            security = operation.get("security")
            if security and {} not in security:
                wanted.add(401)
            for status in sorted(wanted):
                responses.setdefault(str(status), _error(status))
    if "Error" not in result.setdefault("components", {}).setdefault("schemas", {}):
        result["components"]["schemas"]["Error"] = {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "required": ["detail", "code"],
        }
    _fix_times(result)
    return result


def paginated(serializer_class, name: str | None = None):
    """The schema of a page of ``serializer_class``, for APIView lists that
    paginate by hand (drf-spectacular only knows ListAPIView does)::

        @extend_schema(responses={200: paginated(OrderSerializer)})
    """
    name = name or f"Paginated{serializer_class.__name__.removesuffix('Serializer')}List"
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
