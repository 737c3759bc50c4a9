from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; clients may ask for up to 100 a page.

    Strict: a `page` or `page_size` that is not a positive whole number (or a
    `page_size` above 100) is a 400 naming it (DRF would quietly use the default size, or say 404 for
    `page=0`); a page past the last one is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = self._positive(raw, self.page_size_query_param)
        if size > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("At most %(max)s a page.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            self._positive(raw, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    @staticmethod
    def _positive(raw: str, name: str) -> int:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if value < 1 or not raw.strip().isdigit():
            raise ValidationError({name: [_("A positive whole number is required.")]})
        return value
