from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import services
from accounts.models import User, phone_validator


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[phone_validator], max_length=16
    )
    first_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("That username is taken."))
        return value

    def validate_phone(self, value):
        if value and User.objects.filter(phone=value).exists():
            raise serializers.ValidationError(_("That phone number is already registered."))
        return value

    def create(self, validated_data):
        try:
            return services.user_register(**validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("Username or phone number"), max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    user_id = serializers.IntegerField()
    username = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "phone", "organizations"]
        read_only_fields = ["id", "username", "organizations"]

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
