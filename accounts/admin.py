from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminAddUserForm, AdminChangeUserForm
from .models import User


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
