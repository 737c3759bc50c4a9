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
        *BaseUserAdmin.fieldsets,
        (_("Contact"), {"fields": ("phone",)}),
    )
    list_display = ("username", "email", "phone", "first_name", "last_name", "is_staff")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
