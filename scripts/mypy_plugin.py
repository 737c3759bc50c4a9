"""A mypy plugin for one gap between django-modeltranslation and django-stubs.

modeltranslation swaps the managers of every translated model for its own
`modeltranslation.manager.MultilingualManager` when the apps load. The
django-stubs plugin types `Model.objects`, `_default_manager` and the reverse
related managers from those runtime classes, looking each one up by name while
it analyses the models module; but no models module imports
`modeltranslation.manager`, so mypy has not analysed it yet and every lookup
fails with `django-manager-missing`. This plugin makes each of the project's
models modules depend on `modeltranslation.manager`, so mypy analyses it first
and the managers get their real type.
"""

from mypy.build import PRI_MED
from mypy.nodes import MypyFile
from mypy.plugin import Plugin

MANAGER_MODULE = "modeltranslation.manager"


def is_project_models_module(file: MypyFile) -> bool:
    """`<app>.models` or `<app>.models.<module>`, outside the installed packages."""
    parts = file.fullname.split(".")
    installed = "site-packages" in file.path or "dist-packages" in file.path
    return not file.is_stub and not installed and len(parts) >= 2 and parts[1] == "models"


class ModeltranslationManagers(Plugin):
    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        if is_project_models_module(file):
            return [(PRI_MED, MANAGER_MODULE, -1)]
        return []


def plugin(version: str) -> type[Plugin]:
    return ModeltranslationManagers
