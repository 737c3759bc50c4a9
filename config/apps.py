from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Project"

    def ready(self) -> None:
        # checks registers the system checks; images limits Pillow to JPEG,
        # PNG and WebP in every process, whichever code opens an upload.
        from . import checks, images  # noqa: F401
        from .api.strict import make_char_fields_strict

        make_char_fields_strict()
