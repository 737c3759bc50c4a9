from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: no models of its own but abstract bases and the
    idempotency keys, no URLs; an app so that its system checks, template tags
    and the process-wide settings below are in place in every process."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # checks registers the system checks; images limits Pillow to JPEG,
        # PNG and WebP in every process, whichever code opens an upload.
        from . import checks, images  # noqa: F401
        from .admin_tools import translate_boolean_icons
        from .api.strict import make_char_fields_strict

        make_char_fields_strict()
        translate_boolean_icons()
