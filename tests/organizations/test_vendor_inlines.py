"""The one VendorInlineMixin the marketplace's and tours' /vendor/ inlines share."""

from django.test import RequestFactory

from organizations.models import Organization
from organizations.vendor import VendorInlineMixin
from tests.factories import MembershipFactory


def _request(user):
    request = RequestFactory().get("/vendor/")
    request.user = user
    return request


def _permissions(mixin, request):
    return (
        mixin.has_view_permission(request),
        mixin.has_add_permission(request),
        mixin.has_change_permission(request),
        mixin.has_delete_permission(request),
    )


def test_by_default_an_inline_follows_its_parent_page_and_deletes_nothing(db):
    # given: a producer's member (the parent admin has scoped the page)
    request = _request(MembershipFactory().user)
    # then
    assert _permissions(VendorInlineMixin(), request) == (True, True, True, False)


def test_an_inline_for_tour_operators_needs_a_tour_operator_membership(db):
    # given
    inline = type(
        "Inline",
        (VendorInlineMixin,),
        {"editable": True, "deletable": True, "member_kinds": (Organization.Kind.TOUR_OPERATOR,)},
    )()
    operator = MembershipFactory(organization__kind=Organization.Kind.TOUR_OPERATOR).user
    producer = MembershipFactory().user
    # then
    assert _permissions(inline, _request(operator)) == (True, True, True, True)
    assert _permissions(inline, _request(producer)) == (False, False, False, False)


def test_a_read_only_inline_shows_rows_but_changes_none(db):
    # given
    inline = type(
        "Inline",
        (VendorInlineMixin,),
        {"editable": False, "member_kinds": (Organization.Kind.TOUR_OPERATOR,)},
    )()
    operator = MembershipFactory(organization__kind=Organization.Kind.TOUR_OPERATOR).user
    # then
    assert _permissions(inline, _request(operator)) == (True, False, False, False)
