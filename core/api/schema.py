"""Shared OpenAPI pieces, so every documented error body is the real one.

``postprocess_schema`` (a drf-spectacular hook, see SPECTACULAR_SETTINGS) adds
the error answers that every operation of a kind can give, whatever its view
declares: 400 when it takes query parameters (filters, pagination), 404 when
it has path parameters or pages, 401 when it needs a token, 429 everywhere
(every view is throttled). scripts/fuzz_api.py holds the schema to it.

It also makes the schema one that strict tools accept (issue 19; `make
contract` holds it to that with openapi-spec-validator, redocly and three
generated clients). It stays OpenAPI 3.0.3, which every generator here reads
fully; so:
- ``nullable`` always stands beside a ``type`` (3.0 ignores it otherwise, and
  a validator then rejects the nulls the API sends);
- "an address or an empty string" is one string schema whose pattern allows
  the empty string, not a ``oneOf`` that ``''`` matches twice (a format checker
  may call ``''`` a URI) and that clients then cannot decode;
- request fields with a ``default: ''`` (absent means blank) drop it: a
  default that breaks the field's own format is invalid, and generators type
  a field with a default as always present;
- no ``title``: drf-spectacular copies the model's translated verbose names
  there and generators name classes after them, so the identifiers a client
  gets (operation ids, tags, component and property names) are the same
  ASCII ones whatever the request's language; descriptions stay translated.
"""

import json

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
            if "summary" not in operation and operation.get("description"):
                # A view's docstring: its first sentence is the summary.
                first = operation["description"].split("\n\n", 1)[0]
                operation["summary"] = " ".join(first.split(". ", 1)[0].split()).rstrip(".")
    if "Error" not in result.setdefault("components", {}).setdefault("schemas", {}):
        result["components"]["schemas"]["Error"] = {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "required": ["detail", "code"],
        }
    _fix_times(result)
    for schema in result["components"]["schemas"].values():
        _strict(schema, request_body=False)
    for name, schema in result["components"]["schemas"].items():
        if name.endswith("Request"):
            _strict(schema, request_body=True)
    _inline_nullable_refs(result["components"]["schemas"])
    return result


def _inline_nullable_refs(components: dict) -> None:
    """``{allOf: [$ref], nullable: true}`` becomes a copy of the referenced
    object, nullable: in 3.0 ``allOf`` checks null against the referenced
    schema, which is not nullable, so a validator rejects every null."""
    inlined = set()
    for schema in components.values():
        for name, prop in list(schema.get("properties", {}).items()):
            one = prop.get("allOf", [])
            if prop.get("nullable") and len(one) == 1 and "$ref" in one[0]:
                inlined.add(one[0]["$ref"])
                target = components[one[0]["$ref"].rsplit("/", 1)[1]]
                extra = {k: v for k, v in prop.items() if k not in ("allOf", "type")}
                schema["properties"][name] = {**target, **extra}
    # A component only ever used that way is no longer referenced: drop it.
    text = json.dumps(components)
    for ref in inlined:
        if f'"{ref}"' not in text:
            del components[ref.rsplit("/", 1)[1]]


# Django's EmailValidator (Django 6: user part, then localhost, an address
# literal or a hostname with a tld of letters or punycode) without its
# lookarounds: it matches every address Django accepts, and a generator
# (schemathesis) drawing from it mostly writes addresses Django accepts,
# where "anything@anything" had them all refused. Django matches ignoring case,
# so a-z also takes the four letters that fold to ASCII ones (İ ı ſ K).
_FOLDS = r"\u0130\u0131\u017f\u212a"
_ATOM = rf"[-!#$%&'*+/=?^_`{{}}|~0-9A-Za-z{_FOLDS}]+"
_QUOTED = r'"([\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*"'
_LETTER = r"a-zA-Z\u00a1-\uffff"
_LABEL = f"[{_LETTER}0-9]([{_LETTER}0-9-]{{0,61}}[{_LETTER}0-9])?"
_TLD = f"([{_LETTER}][{_LETTER}-]{{0,61}}[{_LETTER}]|[xX][nN]--[a-zA-Z0-9{_FOLDS}]{{1,59}})"
# [IPv4] or [IPv6] (its last groups may be an IPv4 address).
_BYTE = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"({_BYTE}\.){{3}}{_BYTE}"
_LITERAL = rf"\[({_IPV4}|([0-9A-Fa-f]{{0,4}}:){{2,8}}({_IPV4}|[0-9A-Fa-f]{{0,4}}))\]"
EMAIL_PATTERN = (
    f"^({_ATOM}(\\.{_ATOM})*|{_QUOTED})@(localhost|{_LITERAL}|{_LABEL}(\\.{_LABEL})*\\.{_TLD})$"
)

# The formats a blank-allowed field loses for a pattern that also takes ''.
# Loose on purpose: every value Django's validators accept matches.
_OR_EMPTY = {
    "email": f"^$|{EMAIL_PATTERN}",
    "uri": r"^$|^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$",
}


def _blank_alternative(schema: dict) -> bool:
    return schema.get("type") == "string" and schema.get("maxLength") == 0 and len(schema) == 2


def _or_empty(schema: dict) -> None:
    """Widens ``schema`` (a string) to take '' as well."""
    if schema.get("format") in _OR_EMPTY:
        schema["pattern"] = _OR_EMPTY[schema.pop("format")]
    elif "pattern" in schema and not schema["pattern"].startswith("^$|"):
        schema["pattern"] = f"^$|{schema['pattern']}"
    schema.pop("minLength", None)


def _strict(schema, *, request_body: bool) -> None:
    if not isinstance(schema, dict):
        return
    schema.pop("title", None)
    if list(schema) == ["allOf"] and len(schema["allOf"]) == 1 and "$ref" in schema["allOf"][0]:
        # It wrapped the reference only to put the (translated) title beside it.
        schema["$ref"] = schema.pop("allOf")[0]["$ref"]
    one_of = schema.get("oneOf")
    if one_of and len(one_of) == 2 and _blank_alternative(one_of[1]) and "type" in one_of[0]:
        del schema["oneOf"]
        schema.update({k: v for k, v in one_of[0].items() if k not in schema})
        _or_empty(schema)
    if request_body and schema.get("default") == "":
        del schema["default"]
        if schema.get("type") == "string":
            _or_empty(schema)
    if schema.get("nullable") and "type" not in schema:
        if "allOf" in schema or "$ref" in schema:
            schema["type"] = "object"
        elif all(s.get("type") == "string" for s in schema.get("oneOf", [{}])):
            schema["type"] = "string"
    for key in ("properties", "patternProperties"):
        for value in schema.get(key, {}).values():
            _strict(value, request_body=request_body)
    for key in ("items", "additionalProperties", "not"):
        _strict(schema.get(key), request_body=request_body)
    for key in ("allOf", "anyOf", "oneOf"):
        for value in schema.get(key, []):
            _strict(value, request_body=request_body)


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
