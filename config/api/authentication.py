from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """Accepts `Authorization: Bearer <key>` as well as DRF's `Token <key>`."""

    keyword = "Bearer"
