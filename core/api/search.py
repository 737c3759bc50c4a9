"""``X-Search-Corrected``: the API lists' ``q=`` is the site search (core.search),
which answers a query that found nothing as typed with what its corrected form
finds; this header says so, naming the corrected query (UTF-8, percent-encoded,
e.g. ``tanghe%20%E7%BA%A2%E8%96%AF``). Absent when the query matched as typed."""

from urllib.parse import quote

from core import search

HEADER = "X-Search-Corrected"


class SearchCorrectedHeader:
    """For a ``ListAPIView`` whose rows come from ``search.filter_queryset``."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.search_corrected = search.corrected(page or [])
        return page

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        corrected = getattr(self, "search_corrected", "")
        if corrected:
            response[HEADER] = quote(corrected)
        return response
