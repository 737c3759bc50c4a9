"""The schema's patterns against the validators the API runs: the e-mail one
(core.api.schema.EMAIL_PATTERN) against Django's EmailValidator, sign-up's
username one (accounts.api.serializers.USERNAME_PATTERN) against its rules.
Everything the API accepts matches (a client validating by the schema never
refuses a good value), and what a generator draws from them the API mostly
accepts (make fuzz drew "anything@anything" and "0" before: all 400s)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.api.serializers import USERNAME_PATTERN
from accounts.identity import identity_errors
from core.api.schema import EMAIL_PATTERN

PATTERN = re.compile(EMAIL_PATTERN)
LOOSE = r"^[^@\s]+@[^@\s]+$"  # the pattern it replaces
QUICK = settings(
    max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def accepted(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "address",
    [
        "a@b.co",
        "x.y+z@example.org",
        '"a@b"@example.org',
        "a@localhost",
        "a@[127.0.0.1]",
        "a@[::1]",
        "a@[::ffff:10.0.0.1]",
        "a@[1:2:3:4:5:6:7::]",
        "王@例子.测试",
        "u@xn--fsq.xn--0zwm56d",
        "ſ@example.org",  # Django ignores case: ſ folds to s
    ],
)
def test_what_django_accepts_matches(address):
    # given an address Django's validator takes (except where it doesn't)
    if not accepted(address):
        assert not address.isascii() or address.startswith('"'), address
        return
    # then the schema's pattern takes it too
    assert PATTERN.fullmatch(address), address


@QUICK
@given(
    st.emails()
    | st.ip_addresses().map(lambda ip: f"a@[{ip}]")
    | st.from_regex(LOOSE, fullmatch=True)
    | st.text(max_size=40)
)
def test_the_pattern_never_refuses_an_address_django_accepts(value):
    if accepted(value):
        assert PATTERN.fullmatch(value), repr(value)


def test_most_addresses_drawn_from_the_pattern_are_accepted():
    # given addresses drawn from the pattern, as schemathesis draws them
    drawn: list[str] = []

    @QUICK
    @given(st.from_regex(EMAIL_PATTERN, fullmatch=True))
    def draw(value):
        drawn.append(value)

    draw()
    # then Django takes most of them (from the loose pattern: none)
    rate = sum(map(accepted, drawn)) / len(drawn)
    assert rate > 0.85, rate


def test_the_schema_uses_them(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    register = schema["components"]["schemas"]["RegisterInputRequest"]["properties"]
    assert register["email"]["pattern"] == f"^$|{EMAIL_PATTERN}"
    assert register["username"]["pattern"] == USERNAME_PATTERN


def username_refused(value: str) -> bool:
    """Sign-up's rules on a username: its characters, then accounts.identity
    (not phone-shaped). No database: the shape checks come first."""
    if not re.fullmatch(r"[\w.@+-]+", value):
        return True
    return bool(identity_errors(username=value).get("username"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "refused"),
    [
        ("13800000000", True),
        ("+8613800000000", True),
        ("0", True),
        ("a0", False),
        ("0.0", False),
        ("0+0", False),
        ("0_", False),
        ("王芳", False),
        ("-", False),
        ("+", False),  # found by Hypothesis: not phone-shaped, so sign-up takes it
        ("+0", True),
    ],
)
def test_the_username_pattern_is_the_sign_up_rule(username, refused):
    assert username_refused(username) is refused
    assert bool(re.fullmatch(USERNAME_PATTERN, username)) is not refused


@pytest.mark.django_db
@QUICK
@given(
    st.from_regex(r"^[\w.@+-]{1,20}$", fullmatch=True)
    | st.from_regex(USERNAME_PATTERN, fullmatch=True)
)
def test_the_username_pattern_matches_exactly_the_shapes_sign_up_takes(value):
    assert bool(re.fullmatch(USERNAME_PATTERN, value)) is not username_refused(value), repr(value)
