"""Pieces shared by the marketplace's ModelAdmins on both sites."""

import csv

from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect

from config.errors import DomainError
from cooperation.models import Membership, Organization
from cooperation.selectors import organization_ids_for

from .. import services
from ..models import PRODUCER_KINDS
from ..selectors import counter_ids_for

PRODUCERS = tuple(PRODUCER_KINDS)
CENTRES = (Organization.Kind.SUPPORT_CENTRE,)


class ContentChangedMixin:
    """What the public sees changed: cached pages are invalidated on commit."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.catalogue_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.catalogue_changed()


class FormErrorsMixin:
    """An invalid form (a bad image, a negative price) answers 400, not 200,
    and a rule a service enforces after the form was valid is shown as a
    message instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response


class ReadOnlyMixin:
    """Rows that change only through services (orders, stock, the ledger)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


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

    def _org_ids(self, request) -> list[int]:
        ids = organization_ids_for(request.user)
        managed = Membership.objects.filter(
            user=request.user, organization_id__in=ids, role=Membership.Role.MANAGER
        )
        if self.org_kinds:
            managed = managed.filter(organization__kind__in=self.org_kinds)
        return list(managed.values_list("organization_id", flat=True))


def safe_cells(values) -> list[str]:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    cells = []
    for value in values:
        text = "" if value is None else str(value)
        cells.append("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)
    return cells


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cells(row))
    return response


def url_name(model_admin, suffix: str) -> str:
    """``marketplace_<model>_<suffix>``: the name of a ModelAdmin's own page."""
    opts = model_admin.model._meta
    return f"{opts.app_label}_{opts.model_name}_{suffix}"


def site_url(model_admin, suffix: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"{model_admin.admin_site.name}:{url_name(model_admin, suffix)}", args=args)


class VendorInlineMixin:
    """Inlines on /vendor/: members have no Django model permissions, so the
    inline follows its parent page, which OrgScopedAdmin has already scoped
    (an inline only ever holds rows of the parent object). Nothing is deleted."""

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return False
