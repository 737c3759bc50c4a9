"""The browsable API docs (/api/docs/) under the site's strict CSP.

drf-spectacular's split view serves Swagger UI's init code as its own script
(`?script`), so the page needs no inline script; our template also moves the
page's small inline <style> into a static file. Everything comes from this
server (drf-spectacular-sidecar), nothing from a CDN.
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
