"""ModelAdmin pieces shared by the apps' admins on both sites (/admin/ and
/vendor/). They live here because cooperation is the layer marketplace and
tours build on."""


class ProvenanceLastMixin:
    """Shows where a row comes from (its source, whether it is demo data) after
    what it says, as the models declare those fields last in spirit: Django
    lists the fields of abstract bases (``DemoFlag``, ``Sourced``) first."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        trailing = [name for name in getattr(self.model, "PROVENANCE_FIELDS", ()) if name in fields]
        return [name for name in fields if name not in trailing] + trailing
