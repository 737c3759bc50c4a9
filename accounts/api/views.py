from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import ApiToken
from core.api.schema import ERROR_RESPONSES
from core.api.throttling import AuthRateThrottle

from .serializers import (
    LogoutInputSerializer,
    LogoutOutputSerializer,
    MeSerializer,
    RegisterInputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)


def _issue(request, user) -> dict:
    # A fresh token per sign-in, named after the client that asked for it.
    issued = services.token_issue(user=user, name=request.META.get("HTTP_USER_AGENT", ""))
    return {
        "token": issued.key,
        "expires_at": issued.expires_at,
        "user_id": user.pk,
        "username": user.username,
    }


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]

    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: TokenOutputSerializer, **ERROR_RESPONSES(400, 429)},
        summary="Create a customer account and get its token",
    )
    def post(self, request):
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        data = _issue(request, user)
        return Response(TokenOutputSerializer(data).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """Exchange a username (or phone number) and password for an API token.

    Failures are counted by django-axes per account and per address: after
    AXES_FAILURE_LIMIT failures the account is locked for a cool-off period.
    """

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]

    def get_authenticate_header(self, request):
        # A wrong password is a 401 with a challenge, not a 403.
        return 'Token realm="api"'

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, **ERROR_RESPONSES(400, 401, 403, 429)},
        summary="Get an API token",
    )
    def post(self, request):
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            raise exceptions.PermissionDenied(
                _("Too many failed sign-in attempts. Try again later.")
            )
        if user is None:
            raise exceptions.AuthenticationFailed(_("Wrong username/phone number or password."))
        # A token sign-in is a sign-in: axes resets the failure count on this
        # signal (AXES_RESET_ON_SUCCESS) and Django records last_login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        data = _issue(request, user)
        return Response(TokenOutputSerializer(data).data)


class LogoutView(APIView):
    """Revoke the token this request is signed in with; with `{"all": true}`
    every token of the account (sign out everywhere, e.g. a lost phone).
    A revoked token is refused from then on (401, `token_invalid`); an expired
    one is refused with `token_expired`. Tokens expire API_TOKEN_TTL_DAYS after
    sign-in and are all revoked when the password changes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=LogoutInputSerializer,
        responses={200: LogoutOutputSerializer, **ERROR_RESPONSES(400, 401, 403)},
        summary="Sign out: revoke this token, or all of the account's tokens",
    )
    def post(self, request):
        serializer = LogoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["all"]:
            revoked = services.token_revoke_all(user=request.user)
        elif isinstance(request.auth, ApiToken):
            revoked = services.token_revoke(token=request.auth)
        else:
            revoked = 0  # signed in with a session cookie: no token to revoke
        return Response(LogoutOutputSerializer({"revoked": revoked}).data)


class MeView(APIView):
    """The signed-in user's profile and organizations; PATCH updates name, e-mail, phone."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer, **ERROR_RESPONSES(401)}, summary="My profile")
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=MeSerializer,
        responses={200: MeSerializer, **ERROR_RESPONSES(400, 401)},
        summary="Update my profile",
    )
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)
