"""Factories for the marketplace's tests. Stock is never written directly:
``receive()`` goes through the service, so every test's ledger balances."""

from decimal import Decimal

import factory

from marketplace.models import (
    BusinessBuyer,
    Category,
    Centre,
    Counter,
    CounterStaff,
    PriceTier,
    Product,
    ProductVariant,
)
from organizations.models import Area, Organization
from tests.factories import (
    AreaFactory,
    DongchengFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class VillageFactory(AreaFactory):
    kind = Area.Kind.VILLAGE
    name = factory.Sequence(lambda n: f"测试村{n}")
    name_en = factory.Sequence(lambda n: f"Test village {n}")
    latitude = Decimal("40.400000")
    longitude = Decimal("116.600000")


class ProducerFactory(OrganizationFactory):
    kind = Organization.Kind.PRODUCER
    slug = factory.Sequence(lambda n: f"producer-{n}")
    name = factory.Sequence(lambda n: f"生产者{n}")
    name_en = factory.Sequence(lambda n: f"Producer {n}")
    area = factory.SubFactory(VillageFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    slug = factory.Sequence(lambda n: f"product-{n}")
    producer = factory.SubFactory(ProducerFactory)
    category = factory.SubFactory(CategoryFactory, slug="food")
    name = factory.Sequence(lambda n: f"产品{n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")
    summary = "好吃"
    summary_en = "Tasty"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = "500克袋装"
    name_en = "500 g bag"
    unit_price = Decimal("25.00")
    weight_grams = 500


class PriceTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceTier

    variant = factory.SubFactory(VariantFactory)
    min_quantity = 50
    unit_price = Decimal("20.00")


class CentreOrgFactory(OrganizationFactory):
    kind = Organization.Kind.SUPPORT_CENTRE
    slug = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"双创中心{n}")
    name_en = factory.Sequence(lambda n: f"Centre {n}")
    district = factory.SubFactory(DongchengFactory)


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    organization = factory.SubFactory(CentreOrgFactory)
    address = "东城区测试路1号"
    address_en = "1 Test Road, Dongcheng"
    opening_hours = "每天 9:00–20:00"
    opening_hours_en = "Daily 9:00–20:00"
    latitude = Decimal("39.900000")
    longitude = Decimal("116.400000")


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"怀柔专柜{n}")
    name_en = factory.Sequence(lambda n: f"Huairou counter {n}")

    @factory.post_generation
    def producers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.producers.add(*extracted)


def counter_staff(counter: Counter, username: str, role: str = "staff"):
    """A user who works at ``counter`` (a member of its centre + an assignment)."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=counter.centre.organization, role=role)
    CounterStaff.objects.get_or_create(counter=counter, user=user)
    return user


def member(organization: Organization, username: str, role: str = "manager"):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


class BuyerOrgFactory(OrganizationFactory):
    kind = Organization.Kind.SUPERMARKET
    slug = factory.Sequence(lambda n: f"buyer-{n}")
    name = factory.Sequence(lambda n: f"超市{n}")
    name_en = factory.Sequence(lambda n: f"Supermarket {n}")
    district = factory.SubFactory(DongchengFactory)


class BusinessBuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessBuyer

    organization = factory.SubFactory(BuyerOrgFactory)
    delivery_address = "东城区测试路2号"


def receive(counter: Counter, variant: ProductVariant, quantity: int):
    """Stock through the ledger, as a district staff member would record it."""
    from marketplace.services import stock_receive

    staff = UserFactory(username="district-staff", is_staff=True)
    return stock_receive(
        counter=counter, variant=variant, quantity=quantity, by=staff, reason="test"
    )
