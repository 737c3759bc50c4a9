"""Output serializers for /api/v1/cooperation/. They read only what the
selectors loaded (no query of their own); text comes in the language of the
request's Accept-Language header. Schema components are prefixed
"Cooperation" so they never collide with another app's (an Area, a Source)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cooperation.models import Agreement, Figure, Pairing, Project, Source
from core.links import absolute_url

# DECLARED_FIELDS: DRF's serializer metaclass takes the declared fields off the
# class, so a field may share a name with a Field/Serializer attribute (`fields`,
# `source`); the stubs see a class attribute of another type, hence the ignores.


@extend_schema_serializer(component_name="CooperationSource")
class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "publisher", "title", "published_on", "url", "kind"]


@extend_schema_serializer(component_name="CooperationField")
class FieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PageUrlMixin(serializers.Serializer):
    page_url = serializers.SerializerMethodField(help_text="The object's public web page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url(), self.context.get("request"))


@extend_schema_serializer(component_name="CooperationAgreement")
class AgreementSerializer(PageUrlMixin, serializers.ModelSerializer):
    fields = FieldSerializer(many=True, read_only=True)  # type: ignore[assignment]  # see DECLARED_FIELDS
    committed_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="total_commitment, or annual_commitment × the years of the period when only that is agreed.",
    )
    # Any field: AgreementDetailSerializer declares them as method fields.
    project_count: serializers.Field = serializers.IntegerField(read_only=True)
    project_amount: serializers.Field = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True
    )
    source = SourceSerializer(allow_null=True)  # type: ignore[assignment]  # see DECLARED_FIELDS

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "round",
            "title",
            "signed_year",
            "signed_on",
            "period_start",
            "period_end",
            "annual_commitment",
            "annual_commitment_is_minimum",
            "total_commitment",
            "committed_total",
            "basis",
            "fields",
            "summary",
            "project_count",
            "project_amount",
            "source",
            "is_demo",
            "page_url",
        ]


@extend_schema_serializer(component_name="CooperationProjectBrief")
class ProjectBriefSerializer(PageUrlMixin, serializers.ModelSerializer):
    field = serializers.CharField(source="field.code")

    class Meta:
        model = Project
        fields = ["slug", "title", "field", "status", "amount", "year", "is_demo", "page_url"]


@extend_schema_serializer(component_name="CooperationAgreementDetail")
class AgreementDetailSerializer(AgreementSerializer):
    projects = ProjectBriefSerializer(many=True, read_only=True)
    project_count = serializers.SerializerMethodField()
    project_amount = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "projects"]

    def get_project_count(self, obj) -> int:
        return len(obj.projects.all())

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_project_amount(self, obj):
        total = sum((p.amount for p in obj.projects.all() if p.amount is not None), 0)
        return serializers.DecimalField(max_digits=14, decimal_places=2).to_representation(total)


@extend_schema_serializer(component_name="CooperationAgreementBrief")
class AgreementBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["slug", "round", "title"]


@extend_schema_serializer(component_name="CooperationArea")
class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


@extend_schema_serializer(component_name="CooperationOrganization")
class OrganizationBriefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


@extend_schema_serializer(component_name="CooperationProject")
class ProjectSerializer(PageUrlMixin, serializers.ModelSerializer):
    field = FieldSerializer()
    agreement = AgreementBriefSerializer()
    area = AreaSerializer(allow_null=True)
    lead_organization = OrganizationBriefSerializer(allow_null=True)
    status_display = serializers.CharField(source="get_status_display")
    source = SourceSerializer(allow_null=True)  # type: ignore[assignment]  # see DECLARED_FIELDS

    class Meta:
        model = Project
        fields = [
            "slug",
            "title",
            "field",
            "agreement",
            "area",
            "lead_organization",
            "amount",
            "status",
            "status_display",
            "year",
            "summary",
            "source",
            "is_demo",
            "page_url",
        ]


@extend_schema_serializer(component_name="CooperationPairingSide")
class PairingSideSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["organization", "area"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


def _side(organization, area) -> dict:
    if organization is not None:
        return {
            "type": "organization",
            "id": organization.pk,
            "name": organization.name,
            "kind": organization.kind,
        }
    return {"type": "area", "id": area.pk, "name": area.name, "kind": area.kind}


@extend_schema_serializer(component_name="CooperationPairing")
class PairingSerializer(PageUrlMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    dongcheng_side = serializers.SerializerMethodField()
    huairou_side = serializers.SerializerMethodField()
    source = SourceSerializer(allow_null=True)  # type: ignore[assignment]  # see DECLARED_FIELDS

    class Meta:
        model = Pairing
        fields = [
            "id",
            "kind",
            "kind_display",
            "dongcheng_side",
            "huairou_side",
            "since",
            "note",
            "source",
            "is_demo",
            "page_url",
        ]

    @extend_schema_field(PairingSideSerializer)
    def get_dongcheng_side(self, obj) -> dict:
        return _side(obj.dongcheng_organization, obj.dongcheng_area)

    @extend_schema_field(PairingSideSerializer)
    def get_huairou_side(self, obj) -> dict:
        return _side(obj.huairou_organization, obj.huairou_area)


@extend_schema_serializer(component_name="CooperationFigure")
class FigureSerializer(PageUrlMixin, serializers.ModelSerializer):
    value_display = serializers.CharField(
        help_text="The value as written in the active language: “≥1亿”, “100 million”."
    )
    compared_with: serializers.SlugRelatedField[Figure] = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True
    )
    source = SourceSerializer()  # type: ignore[assignment]  # see DECLARED_FIELDS

    class Meta:
        model = Figure
        fields = [
            "key",
            "label",
            "value",
            "qualifier",
            "value_display",
            "unit",
            "note",
            "topic",
            "is_headline",
            "as_of",
            "is_reported",
            "compared_with",
            "source",
            "page_url",
        ]
