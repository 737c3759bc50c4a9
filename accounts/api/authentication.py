from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against accounts.ApiToken (hashed keys,
    an expiry, revocable). ``request.auth`` is the ApiToken, so a view can
    revoke the very token the request came with."""

    def authenticate_credentials(self, key):
        from accounts import services
        from accounts.backends import cached_token

        # The token with its user from the shared cache when it has them, in
        # one round trip (accounts.backends): dropped there on any change to
        # either.
        token = cached_token(services.token_hash(key))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="token_invalid")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Sign in again."), code="token_expired"
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        services.token_touch(token=token)
        return user, token


class BearerTokenAuthentication(ApiTokenAuthentication):
    """Accepts `Authorization: Bearer <key>` as well as `Token <key>`."""

    keyword = "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the Bearer form as its own scheme: without it drf-spectacular
    sees two classes claiming the name "tokenAuth" and warns (check --deploy)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
