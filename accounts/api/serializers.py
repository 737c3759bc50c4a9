from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import services
from accounts.identity import identity_errors
from accounts.models import User, phone_validator
from core.api.strict import StrictBooleanField


def _identifier(field: str, value, *, user=None):
    errors = identity_errors(**{field: value}, user=user)
    if errors:
        raise serializers.ValidationError([str(message) for message in errors[field]])
    return value


# For the schema: Django's username characters, and not phone-shaped (digits
# only, optionally after a +: accounts.identity refuses those), written without
# a lookahead so a generator (make fuzz) can draw from it: a letter or one of
# .@- anywhere, or a + after the first character, or a lone + (not phone-shaped).
_CHAR = r"[\w.@+-]"
USERNAME_PATTERN = rf"^({_CHAR}*([^\W0-9]|[.@-]){_CHAR}*|{_CHAR}+\+{_CHAR}*|\+)$"


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 150, "pattern": USERNAME_PATTERN}
)
class UsernameField(serializers.RegexField):
    """Validates as before (the characters here, the rest in validate_username)."""


class RegisterInputSerializer(serializers.Serializer):
    username = UsernameField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[phone_validator], max_length=16
    )
    first_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)

    # accounts.identity: the same rule and neutral message as the web form.
    def validate_username(self, value):
        return _identifier("username", value)

    def validate_email(self, value):
        return _identifier("email", value)

    def validate_phone(self, value):
        return _identifier("phone", value)

    def create(self, validated_data):
        try:
            return services.user_register(**validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("Username or phone number"), max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Shown only this once: keep it."))
    expires_at = serializers.DateTimeField(help_text=_("Sign in again after this."))
    user_id = serializers.IntegerField()
    username = serializers.CharField()


class LogoutInputSerializer(serializers.Serializer):
    all = StrictBooleanField(
        required=False,
        default=False,
        help_text=_("Revoke every token of the account (sign out everywhere), not only this one."),
    )


class LogoutOutputSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text=_("How many tokens were revoked."))


class MeSerializer(serializers.ModelSerializer):
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "phone", "organizations"]
        read_only_fields = ["id", "username", "organizations"]
        # No "already exists" from the unique flag: validate_phone says it neutrally.
        extra_kwargs = {"phone": {"validators": [phone_validator]}}

    def validate_email(self, value):
        return _identifier("email", value, user=self.instance)

    def validate_phone(self, value):
        return _identifier("phone", value, user=self.instance)

    def get_organizations(self, user: User) -> list[dict]:
        return [
            {
                "id": m.organization_id,
                "name": m.organization.name,
                "kind": m.organization.kind,
                "role": m.role,
            }
            for m in user.memberships.select_related("organization")
        ]
