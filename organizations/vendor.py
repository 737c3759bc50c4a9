"""The `/vendor/` admin site: members of organizations manage their own objects.

Every ModelAdmin registered on ``vendor_site`` subclasses ``OrgScopedAdmin`` and
names, in ``org_path``, the lookup from its model to the owning organization
(e.g. ``"producer"`` for a product, ``"variant__product__producer"`` for a
stock row). Lists, object pages, foreign-key choices and saves are all limited
to the signed-in user's organizations; district staff use `/admin/` instead.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.selectors import organization_ids_for, organization_kinds_for


class VendorAuthenticationForm(AdminAuthenticationForm):
    """Members of an organization sign in here; unlike /admin/ they need not
    be district staff, but they must act for at least one organization (staff
    may sign in too, as on /admin/)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_organization": _(
            "This account does not act for any organization. Ask the district office to add you."
        ),
    }

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)
        if not user.is_staff and not organization_ids_for(user):
            raise ValidationError(self.error_messages["no_organization"], code="no_organization")


def member_org_ids(request) -> list[int]:
    """The organizations the signed-in user acts for, read once a request."""
    if "_member_org_ids" not in request.__dict__:
        request._member_org_ids = organization_ids_for(request.user)
    return request._member_org_ids


class VendorSite(admin.AdminSite):
    login_form = VendorAuthenticationForm
    site_header = _("Dongcheng–Huairou partner panel")
    site_title = _("Partner panel")
    index_title = _("Your organization")
    site_url = "/"
    # A member works on a handful of lists, all on the index page and in the
    # breadcrumbs; Django's sidebar would take 280 px of a 1280 px screen.
    enable_nav_sidebar = False

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and member_org_ids(request))

    def get_urls(self):
        # Django's "view on site" shortcut (r/<type>/<id>/) looks any object of
        # any model up unscoped, so a partner could tell which ids exist in
        # other organizations (a redirect vs. a 404). Here it resolves only
        # models of this site, through the ModelAdmin's own scoped queryset.
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        """Redirects to the public page of an object the member can see; one
        and the same 404 for anything else (other organizations' objects,
        missing ids, models not in the panel, malformed ids)."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        not_found = Http404(_("There is nothing to show at this address."))
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise not_found from None
        model_admin = self._registry.get(model)
        if model_admin is None or not hasattr(model, "get_absolute_url"):
            raise not_found
        try:
            visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible or not model_admin.has_view_permission(request):
            raise not_found
        return shortcut(request, content_type_id, object_id)


vendor_site = VendorSite(name="vendor")


class OrgScopedAdmin(admin.ModelAdmin):
    """Scopes a model to the organizations of the signed-in member.

    ``org_path``: lookup from the model to its Organization (``""`` when the
    model *is* the organization). ``org_kinds``: which kinds of organization may
    see this model at all (e.g. only producers see products).
    """

    org_path: str = ""
    org_kinds: tuple[str, ...] = ()
    # Foreign keys whose choices must be limited too: field name -> lookup from
    # the related model to its organization ("" = it is an organization).
    scoped_fk: dict[str, str] = {}

    def _org_ids(self, request) -> list[int]:
        # Asked several times a request (the site, the permission, the
        # queryset): read once a request and kinds.
        memo = request.__dict__.setdefault("_vendor_org_ids", {})
        kinds = tuple(self.org_kinds or ())
        if kinds not in memo:
            memo[kinds] = [
                pk
                for pk, kind in organization_kinds_for(request.user).items()
                if not kinds or kind in kinds
            ]
        return memo[kinds]

    def scoped(self, request, queryset):
        """``queryset`` cut to the member's organizations."""
        return queryset.filter(self._scope_q(request, self.org_path))

    def _scope_q(self, request, path: str) -> Q:
        lookup = f"{path}__in" if path else "pk__in"
        return Q(**{lookup: self._org_ids(request)})

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request)).distinct()

    def _allowed(self, request) -> bool:
        # The login page asks too (to build its menu), before anyone signed in.
        if not request.user.is_authenticated:
            return False
        return bool(self._org_ids(request))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        # Nothing a report or audit needs is deleted from the panel.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_fk:
            path = self.scoped_fk[db_field.name]
            related = db_field.remote_field.model
            kwargs["queryset"] = related._default_manager.filter(self._scope_q(request, path))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Defence in depth: whatever the form allowed, the saved object must
        # belong to one of the user's organizations.
        if (
            not type(obj)
            ._default_manager.filter(pk=obj.pk)
            .filter(self._scope_q(request, self.org_path))
            .exists()
        ):
            raise PermissionDenied


class ReadOnlyOrgScopedAdmin(OrgScopedAdmin):
    """A member's read-only view of rows that change only through services
    (orders, stock, bookings…): scoped like any vendor page, never edited."""

    # obj as in ReadOnlyMixin's, which the same admins extend.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VendorInlineMixin:
    """An inline on /vendor/. Members hold no Django model permissions: the
    parent page (an ``OrgScopedAdmin``) has already limited itself to their
    organization's object, and an inline only ever holds that object's rows,
    so the inline follows its parent.

    ``editable``: rows may be added and changed; ``deletable``: and deleted.
    ``member_kinds``: when set, the user must also act for an organization of
    one of these kinds (a tour operator's departures, say)."""

    editable = True
    deletable = False
    member_kinds: tuple[str, ...] = ()

    def _is_member(self, request) -> bool:
        if not self.member_kinds:
            return True
        kinds = organization_kinds_for(request.user).values()
        return any(kind in self.member_kinds for kind in kinds)

    def has_view_permission(self, request, obj=None):
        return self._is_member(request)

    def has_add_permission(self, request, obj=None):
        return self.editable and self._is_member(request)

    def has_change_permission(self, request, obj=None):
        return self.editable and self._is_member(request)

    def has_delete_permission(self, request, obj=None):
        return self.deletable and self._is_member(request)
