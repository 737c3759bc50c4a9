"""Pieces shared by the marketplace's ModelAdmins on both sites."""

from django.urls import reverse

from core.admin_tools import ContentChangedMixin as BaseContentChangedMixin
from core.admin_tools import DomainErrorsAsMessagesMixin, ReadOnlyInline, StatusEventColumns
from organizations.models import Membership, Organization
from organizations.selectors import organization_ids_for

from .. import services
from ..models import PRODUCER_KINDS
from ..selectors import counter_ids_for

PRODUCERS = tuple(PRODUCER_KINDS)
CENTRES = (Organization.Kind.SUPPORT_CENTRE,)


class ContentChangedMixin(BaseContentChangedMixin):
    """What the public sees changed: cached pages are invalidated on commit."""

    content_changed = staticmethod(services.catalogue_changed)


class FormErrorsMixin(DomainErrorsAsMessagesMixin):
    """An invalid form (a bad image, a negative price) answers 400, not 200,
    and a rule a service enforces after the form was valid is shown as a
    message instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response


class AuditEventInline(StatusEventColumns, ReadOnlyInline):
    """An order's or bulk order's audit trail (``OrderAuditEvent``), oldest first."""

    fields = ("at", "from_display", "to_display", "by", "reason_display")
    readonly_fields = fields
    ordering = ["at", "pk"]


class CounterScopedMixin:
    """Counter staff see only the counters they work at (a centre manager: all
    of the centre's). ``counter_path`` leads from the model to its Counter."""

    counter_path = "counter"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.counter_path}__in": counter_ids_for(request.user)})
        )


class ManagerOnlyMixin:
    """Only managers of the organization edit it (its centre profile, counters, staff)."""

    org_kinds: tuple[str, ...]  # from OrgScopedAdmin, which the admins also extend

    def _org_ids(self, request) -> list[int]:
        ids = organization_ids_for(request.user)
        managed = Membership.objects.filter(
            user=request.user, organization_id__in=ids, role=Membership.Role.MANAGER
        )
        if self.org_kinds:
            managed = managed.filter(organization__kind__in=self.org_kinds)
        return list(managed.values_list("organization_id", flat=True))


def url_name(model_admin, suffix: str) -> str:
    """``marketplace_<model>_<suffix>``: the name of a ModelAdmin's own page."""
    opts = model_admin.model._meta
    return f"{opts.app_label}_{opts.model_name}_{suffix}"


def site_url(model_admin, suffix: str, *args) -> str:
    return reverse(f"{model_admin.admin_site.name}:{url_name(model_admin, suffix)}", args=args)
