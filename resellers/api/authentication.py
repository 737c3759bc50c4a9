from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .. import services


class ResellerKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` with a reseller's API key, as OCTO
    asks. ``request.user`` is the reseller's booking account,
    ``request.auth`` the ResellerKey (its ``reseller`` loaded)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        record = services.key_authenticate(key)
        if record is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return record.reseller.user, record

    def authenticate_header(self, request):
        return self.keyword
