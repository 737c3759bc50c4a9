import math

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.api.throttling import AuthRateThrottle
from core.redirects import safe_next

from . import services
from .forms import RegisterForm, SignInForm


class SafeNextMixin(auth_views.RedirectURLMixin):
    """``next`` follows core.redirects, the same rule as every other form."""

    request: HttpRequest

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return safe_next(request or self.request, field=self.redirect_field_name)


class SignInView(SafeNextMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(SafeNextMixin, auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password signs the old one's API tokens out too (this session stays).
        services.token_revoke_all(user=form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


# The service's error keys on the sign-up form (the password's go under its confirmation).
_REGISTER_FIELDS = {
    "username": "username",
    "email": "email",
    "phone": "phone",
    "password": "password2",
}


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("account")
    if request.method == "POST":
        # The API's registration limit (THROTTLE_AUTH), in the same bucket per address.
        throttle = AuthRateThrottle()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            response = render(request, "accounts/throttled.html", status=429)
            if wait is not None:
                response["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The form shows its errors field by field; the account is made by the
        # service the API's sign-up calls too (one set of checks, one path).
        try:
            user = services.user_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email") or "",
                phone=form.cleaned_data.get("phone") or "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(_REGISTER_FIELDS.get(field), errors)
        else:
            login(request, user, backend="accounts.backends.UsernameOrPhoneBackend")
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(safe_next(request, "account"))
    return render(
        request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200
    )
