import pytest

from organizations import selectors
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organizations_of_a_member(user):
    mine = MembershipFactory(user=user).organization
    OrganizationFactory()
    assert selectors.organization_ids_for(user) == [mine.pk]
    assert list(selectors.organizations_for(user)) == [mine]
