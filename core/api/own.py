"""Building blocks for the endpoints over the signed-in customer's own objects
(marketplace orders, tour bookings and waitlist entries).

Each endpoint stays one small view per operation (input serializer, one
service, output serializer). What they all repeated is here once: the write
throttle, a page of "mine", 404 for someone else's object, answering with a
fresh read after the service has run, and the Idempotency-Key on create. It
lives in cooperation because marketplace and tours both build on it.
"""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.idempotency import idempotent
from core.api.throttling import WriteRateThrottle

# APIView.throttle_classes is DEFAULT_THROTTLE_CLASSES, imported.
WRITE_THROTTLES = [*APIView.throttle_classes, WriteRateThrottle]


# These base classes carry comments, not docstrings: drf-spectacular would
# publish an inherited docstring as the description of every endpoint.


class OwnObjectsView[M: models.Model](APIView):
    # Subclasses set ``output_serializer`` and ``get_own(pk)``: a selector
    # scoped to ``request.user`` that raises DoesNotExist for anyone else's
    # object, so another customer's order is indistinguishable from none.

    permission_classes = [IsAuthenticated]
    throttle_classes = WRITE_THROTTLES
    output_serializer: type[serializers.BaseSerializer]

    def get_own(self, pk: int) -> M:
        raise NotImplementedError

    def get_own_or_404(self, pk: int) -> M:
        try:
            return self.get_own(pk)
        except ObjectDoesNotExist:
            raise Http404 from None

    def output(self, instance, **kwargs):
        return self.output_serializer(instance, context={"request": self.request}, **kwargs).data

    def page(self, queryset) -> Response:
        """One page of ``queryset`` as count/next/previous/results."""
        return Response(self.page_data(queryset)[0])

    def page_data(self, queryset) -> tuple[dict, list[M]]:
        """(one page of ``queryset`` as count/next/previous/results, its rows)."""
        # The stub types the setting as its dotted path; api_settings imports it.
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()  # type: ignore[operator,misc]
        rows = paginator.paginate_queryset(queryset, self.request, view=self) or []
        return paginator.get_paginated_response(self.output(rows, many=True)).data, rows

    def validated(self, input_serializer: type[serializers.Serializer]) -> dict:
        """The request body checked by ``input_serializer``; a 400 naming the fields if not."""
        data = input_serializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def create_once(
        self, *, scope: str, create: Callable[[], M], read_back: bool = True
    ) -> Response:
        """201 with what ``create()`` made, made once per Idempotency-Key: a
        retry with the same key and body replays the first answer. With
        ``read_back=False`` the answer is built from the object ``create()``
        returned, for a service that returns it with everything the output
        serializer reads (it saves reading back what was just written)."""

        def created() -> tuple[int, dict]:
            instance = create()
            return status.HTTP_201_CREATED, self.output(
                self.get_own(instance.pk) if read_back else instance
            )

        return idempotent(self.request, scope=scope, create=created)


class OwnObjectActionView[M: models.Model](OwnObjectsView[M]):
    # POST on one of my objects (cancel, confirm): ``act`` calls the service,
    # which refuses with a domain error when the rules say no; the answer is
    # the object as it is afterwards.

    def act(self, instance: M) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        self.act(self.get_own_or_404(pk))
        return Response(self.output(self.get_own(pk)))
