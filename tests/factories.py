"""Factories shared by every app's tests (each app may add its own module)."""

import factory
from django.contrib.auth import get_user_model

from organizations.models import Area, District, Membership, Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "huairou"
    name = "怀柔区"
    name_en = "Huairou District"
    role = District.Role.SUPPORTED


class DongchengFactory(DistrictFactory):
    code = "dongcheng"
    name = "东城区"
    name_en = "Dongcheng District"
    role = District.Role.SUPPORTING


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    district = factory.SubFactory(DistrictFactory)
    kind = Area.Kind.VILLAGE
    name = factory.Sequence(lambda n: f"村{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"机构{n}")
    kind = Organization.Kind.PRODUCER
    district = factory.SubFactory(DistrictFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MANAGER


def api_token(user, *, name: str = "tests") -> str:
    """A fresh API key for ``user`` (accounts.ApiToken), as a sign-in issues it."""
    from accounts import services

    return services.token_issue(user=user, name=name).key
