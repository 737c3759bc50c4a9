"""Read-only endpoints of the cooperation programme. Each view takes its
queryset from a selector (joins and aggregates done there), so a list costs
the same queries for 5 rows as for 500."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from cooperation import selectors
from core.api.schema import ERROR_RESPONSES
from core.api.search import SearchCorrectedHeader

from .filters import FigureFilter, PairingFilter, ProjectFilter
from .serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    FigureSerializer,
    PairingSerializer,
    ProjectSerializer,
)

TAG = ["cooperation"]


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="The framework agreements, by round",
        responses={200: AgreementSerializer(many=True), **ERROR_RESPONSES(429)},
    )
)
class AgreementListView(generics.ListAPIView):
    serializer_class = AgreementSerializer

    def get_queryset(self):
        return selectors.agreement_list()


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="One agreement with its joint projects",
        responses={200: AgreementDetailSerializer, **ERROR_RESPONSES(404, 429)},
    )
)
class AgreementDetailView(generics.RetrieveAPIView):
    serializer_class = AgreementDetailSerializer

    def get_object(self):
        return selectors.agreement_detail(slug=self.kwargs["slug"])


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Joint projects (filters: field, status, agreement, area, q)",
        responses={200: ProjectSerializer(many=True), **ERROR_RESPONSES(400, 429)},
    )
)
class ProjectListView(SearchCorrectedHeader, generics.ListAPIView):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.project_list()


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="One joint project",
        responses={200: ProjectSerializer, **ERROR_RESPONSES(404, 429)},
    )
)
class ProjectDetailView(generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_object(self):
        return selectors.project_detail(slug=self.kwargs["slug"])


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Pairings of Dongcheng and Huairou partners (filter: kind)",
        responses={200: PairingSerializer(many=True), **ERROR_RESPONSES(400, 429)},
    )
)
class PairingListView(generics.ListAPIView):
    serializer_class = PairingSerializer
    filterset_class = PairingFilter

    def get_queryset(self):
        return selectors.pairing_list()


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="One pairing",
        responses={200: PairingSerializer, **ERROR_RESPONSES(404, 429)},
    )
)
class PairingDetailView(generics.RetrieveAPIView):
    serializer_class = PairingSerializer

    def get_queryset(self):
        return selectors.pairing_list()


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Figures of the programme, each with its source and reported/demo mark",
        responses={200: FigureSerializer(many=True), **ERROR_RESPONSES(400, 429)},
    )
)
class FigureListView(generics.ListAPIView):
    serializer_class = FigureSerializer
    filterset_class = FigureFilter

    def get_queryset(self):
        return selectors.figure_list()


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="One figure",
        responses={200: FigureSerializer, **ERROR_RESPONSES(404, 429)},
    )
)
class FigureDetailView(generics.RetrieveAPIView):
    serializer_class = FigureSerializer
    lookup_field = "key"

    def get_queryset(self):
        return selectors.figure_list()
