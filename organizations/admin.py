"""District staff keep the directory at /admin/ (districts, areas,
organizations and who is a member of which); members of an organization keep
their own organization's public details up to date at /vendor/."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ContentAdmin as BaseContentAdmin
from core.admin_tools import ReadOnlyInline

from . import services
from .models import Area, District, Membership, Organization
from .vendor import OrgScopedAdmin, vendor_site


class ContentAdmin(BaseContentAdmin):
    content_changed = staticmethod(services.directory_changed)


@admin.register(District)
class DistrictAdmin(ContentAdmin):
    list_display = ("name", "code", "role")
    search_fields = ("name_zh_hans", "name_en", "code")


@admin.register(Area)
class AreaAdmin(ContentAdmin):
    list_display = (
        "name",
        "kind",
        "district",
        "parent",
        "collectively_weak",
        "weak_status_ended",
        "is_demo",
    )
    list_filter = ("district", "kind", "collectively_weak", "weak_status_ended", "is_demo")
    search_fields = ("name_zh_hans", "name_en")
    autocomplete_fields = ("parent",)
    list_select_related = ("district", "parent")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(ContentAdmin):
    list_display = ("name", "kind", "district", "area", "is_demo")
    list_filter = ("kind", "district", "is_demo")
    search_fields = ("name_zh_hans", "name_en", "slug")
    autocomplete_fields = ("area",)
    list_select_related = ("district", "area")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind")
    search_fields = (
        "user__username",
        "user__phone",
        "organization__name_zh_hans",
        "organization__name_en",
    )
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


# --- /vendor/: a member's own organization ------------------------------------------------


class VendorMembershipInline(ReadOnlyInline):
    """Who acts for the organization: shown, not edited (district staff manage it)."""

    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Organization, site=vendor_site)
class VendorOrganizationAdmin(OrgScopedAdmin):
    org_path = ""
    list_display = ("name", "kind", "district", "area")
    fields = (
        "simplified_name",
        "name_zh_hant",
        "name_en",
        "kind",
        "district",
        "area",
        "description_zh_hans",
        "description_en",
        "website",
        "phone",
        "email",
    )
    # Names, kinds and places are the district's record; members keep their
    # contact details and description up to date.
    readonly_fields = ("simplified_name", "name_zh_hant", "name_en", "kind", "district", "area")
    inlines = (VendorMembershipInline,)

    @admin.display(description=format_lazy("{} [zh-hans]", _("name")))
    def simplified_name(self, obj):
        # Marked as Simplified, so a Traditional page reads it as quoted, not as its own text.
        return format_html('<span lang="zh-Hans">{}</span>', obj.name_zh_hans)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.directory_changed()

    def get_search_results(self, request, queryset, search_term):
        if search_term:
            queryset = queryset.filter(
                Q(name_zh_hans__icontains=search_term) | Q(name_en__icontains=search_term)
            )
        return queryset, False
