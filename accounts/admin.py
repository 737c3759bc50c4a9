"""Account administration in /admin/: superusers, or the members of a group
given the user permissions (the demo's "Account managers"). Whoever isn't a
superuser can't grant what they don't hold: the superuser flag is read-only
for them, they add only their own groups and permissions, and they can't edit
(or set the password of) a superuser or anyone holding a permission they lack.
Groups and API tokens are for superusers only."""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AdminAddUserForm, AdminChangeUserForm
from .models import ApiToken, User


def _held_permissions(user):
    """Every permission ``user`` holds, directly or through a group, whether or
    not the account is active (an inactive one may be reactivated)."""
    return Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()


def _may_manage(editor, account) -> bool:
    if editor.is_superuser or account is None:
        return True
    if account.is_superuser:
        return False
    held = set(_held_permissions(editor).values_list("pk", flat=True))
    return set(_held_permissions(account).values_list("pk", flat=True)) <= held


class RevokingPasswordChangeForm(AdminPasswordChangeForm):
    """A password set in the admin signs the account's API tokens out, as the
    web form's change does."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        services.token_revoke_all(user=user)
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # Username, e-mail and phone follow accounts.identity, as on registration.
    form = AdminChangeUserForm
    add_form = AdminAddUserForm
    fieldsets = (
        # The stub leaves UserAdmin.fieldsets as ModelAdmin's "| None"; Django sets it.
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Contact"), {"fields": ("phone",)}),
    )
    list_display = ("username", "email", "phone", "first_name", "last_name", "is_staff")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    change_password_form = RevokingPasswordChangeForm

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser")
        return fields

    # The password view asks has_change_permission too.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_manage(request.user, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "groups":
                kwargs["queryset"] = request.user.groups.all()
            elif db_field.name == "user_permissions":
                kwargs["queryset"] = _held_permissions(request.user).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # Only what the editor holds was offered (anything else is an invalid
        # choice); what they don't hold they can't take away either: keep it.
        if change and not request.user.is_superuser:
            for name in ("groups", "user_permissions"):
                if name in form.cleaned_data:
                    offered = form.fields[name].queryset
                    kept = getattr(form.instance, name).exclude(pk__in=offered.values("pk"))
                    form.cleaned_data[name] = [*form.cleaned_data[name], *kept]
        super().save_related(request, form, formsets, change)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """What a group grants is for superusers to decide: anyone else who could
    edit a group they belong to could give themselves every permission."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers only. A token is never edited: it is issued (its key shown
    once, here as on sign-in) or revoked (deleted)."""

    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at")
    list_select_related = ("user",)
    list_filter = ("expires_at",)
    search_fields = ("prefix", "user__username", "name")
    autocomplete_fields = ("user",)
    readonly_fields = ("prefix", "created_at", "expires_at", "last_used_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        issued = services.token_issue(user=obj.user, name=obj.name)
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(issued.token, field.attname))
        obj._state.adding = False
        obj._state.db = issued.token._state.db
        messages.warning(
            request,
            _("Copy the new token's key now, it is shown only this once: %(key)s")
            % {"key": issued.key},
        )
