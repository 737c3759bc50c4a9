#!/usr/bin/env python
"""One-off: move the kernel out of config/ and cooperation/ (issue 12).

    python scripts/house_plan.py move      # git mv the modules (once)
    python scripts/house_plan.py rewrite   # rewrite imports and dotted paths (idempotent)

Kept in the history, not in the tree: deleted after the move landed.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# old module -> new module (files and packages)
MODULES = {
    "config.api.authentication": "accounts.api.authentication",
    "config.api.urls": "config.api_urls",
    "config.api.docs": "core.api.docs",
    "config.api.exceptions": "core.api.exceptions",
    "config.api.filters": "core.api.filters",
    "config.api.idempotency": "core.api.idempotency",
    "config.api.pagination": "core.api.pagination",
    "config.api.schema": "core.api.schema",
    "config.api.strict": "core.api.strict",
    "config.api.throttling": "core.api.throttling",
    "config.cache": "core.cache",
    "config.redis_cache": "core.redis_cache",
    "config.checks": "core.checks",
    "config.context_processors": "core.context_processors",
    "config.errors": "core.errors",
    "config.images": "core.images",
    "config.logging": "core.logging",
    "config.middleware": "core.middleware",
    "config.redirects": "core.redirects",
    "config.server": "core.server",
    "config.tasks": "core.tasks",
    "config.views": "portal.views",
    "config.management.commands.load_demo": "portal.management.commands.load_demo",
    "cooperation.admin_tools": "core.admin_tools",
    "cooperation.api.own": "core.api.own",
    "cooperation.paging": "core.paging",
    "cooperation.charts": "core.charts",
    "cooperation.numbers": "core.numbers",
    "cooperation.vendor": "organizations.vendor",
    "cooperation.models.base": "core.models",
    "cooperation.models.places": "organizations.models",
}

# names re-exported by a package whose home moved: (old package, name) -> new module
NAMES = (
    {("cooperation.models", n): "core.models" for n in ("DemoFlag", "StatusEvent")}
    | {
        ("cooperation.models", n): "organizations.models"
        for n in ("Area", "District", "Membership", "Organization")
    }
    | {
        ("cooperation.selectors", n): "organizations.selectors"
        for n in ("organization_ids_for", "organizations_for")
    }
    | {
        ("cooperation.demo", "area"): "organizations.demo",
        ("cooperation.demo", "tr"): "core.demo",
        ("accounts.models", "IdempotencyKey"): "core.models",
        ("accounts.demo", "ensure_member"): "organizations.demo",
    }
)

TESTS = {
    "tests/config/test_cache.py": "tests/core/test_cache.py",
    "tests/config/test_cache_apps.py": "tests/core/test_cache_apps.py",
    "tests/config/test_images.py": "tests/core/test_images.py",
    "tests/config/test_server.py": "tests/core/test_server.py",
    "tests/config/test_security.py": "tests/core/test_security.py",
    "tests/config/test_health_and_logs.py": "tests/portal/test_health_and_logs.py",
    "tests/config/test_deploy.py": "tests/core/test_deploy.py",
    "tests/cooperation/test_admin_tools.py": "tests/core/test_admin_tools.py",
    "tests/cooperation/test_charts.py": "tests/core/test_charts.py",
    "tests/cooperation/test_numbers.py": "tests/core/test_numbers.py",
    "tests/site/test_load_demo.py": "tests/portal/test_load_demo.py",
    "tests/site/test_pages_and_i18n.py": "tests/portal/test_pages_and_i18n.py",
    "tests/site/test_translations.py": "tests/portal/test_translations.py",
}


def path_of(module: str) -> Path:
    p = ROOT / module.replace(".", "/")
    return p if p.is_dir() else p.with_suffix(".py")


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def absolutize(src: Path, module: str) -> None:
    """Relative imports of a file that moves, made absolute from where it was."""
    here = module if src.name != "__init__.py" else module + ".__init__"

    def repl(m: re.Match) -> str:
        return f"{m['indent']}from {absolute(m['pkg'], here)} import"

    files = [src] if src.is_file() else sorted(src.rglob("*.py"))
    for f in files:
        mod = ".".join(f.relative_to(ROOT).with_suffix("").parts)
        here = mod
        text = f.read_text(encoding="utf-8")
        new = re.sub(r"^(?P<indent>[ \t]*)from (?P<pkg>\.+[\w.]*) import", repl, text, flags=re.M)
        if new != text:
            f.write_text(new, encoding="utf-8")


def move() -> None:
    for old, new in MODULES.items():
        src = path_of(old)
        if not src.exists():
            print("skip (absent):", old)
            continue
        absolutize(src, old)
        dst = path_of(new) if not src.is_dir() else ROOT / new.replace(".", "/")
        if src.suffix == ".py":
            dst = ROOT / (new.replace(".", "/") + ".py")
        dst.parent.mkdir(parents=True, exist_ok=True)
        for pkg in dst.relative_to(ROOT).parents:
            if str(pkg) in (".", ""):
                continue
            init = ROOT / pkg / "__init__.py"
            if not init.exists() and (ROOT / pkg).is_dir():
                init.write_text("")
                git("add", str(init.relative_to(ROOT)))
        git("mv", str(src.relative_to(ROOT)), str(dst.relative_to(ROOT)))
    for old, new in TESTS.items():
        if (ROOT / old).exists():
            (ROOT / new).parent.mkdir(parents=True, exist_ok=True)
            init = (ROOT / new).parent / "__init__.py"
            if not init.exists():
                init.write_text("")
                git("add", str(init.relative_to(ROOT)))
            git("mv", old, new)


def tracked_sources() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    keep = (".py", ".toml", ".cfg", ".ini", ".md", ".html", ".txt")
    return [
        ROOT / f
        for f in out
        if f.endswith(keep)
        and not f.startswith(("requirements/", "locale/", "scripts/house_plan.py"))
        and "/migrations/" not in f
        and (ROOT / f).exists()
    ]


def absolute(pkg: str, here: str) -> str:
    """`.models` in cooperation/admin.py -> cooperation.models."""
    if not pkg.startswith("."):
        return pkg
    dots = len(pkg) - len(pkg.lstrip("."))
    base = here.split(".")[:-dots]
    return ".".join([*base, pkg.lstrip(".")]) if pkg.lstrip(".") else ".".join(base)


def split_names(text: str, here: str = "") -> str:
    """`from cooperation.models import A, DemoFlag, Organization` -> one import a home."""
    pattern = re.compile(
        r"^(?P<indent>[ \t]*)from (?P<pkg>\.*[\w.]*) import (?P<body>\([^)]*\)|[^\n]*)$", re.M
    )

    def repl(m: re.Match) -> str:
        pkg, indent = absolute(m["pkg"], here), m["indent"]
        if not any(key[0] == pkg for key in NAMES):
            return m[0]
        if not any(
            (pkg, n.strip().split(" as ")[0]) in NAMES for n in re.split(r"[,\s()]+", m["body"])
        ):
            return m[0]
        body = m["body"].strip("()")
        comment = ""
        if "#" in body and "\n" not in body:
            body, comment = body.split("#", 1)
            comment = "  #" + comment
        names = [n.strip() for n in re.sub(r"#[^\n]*", "", body).replace("\n", " ").split(",")]
        names = [n for n in names if n]
        groups: dict[str, list[str]] = {}
        for n in names:
            base = n.split(" as ")[0].strip()
            groups.setdefault(NAMES.get((pkg, base), pkg), []).append(n)
        lines = []
        for module, ns in groups.items():
            lines.append(f"{indent}from {module} import {', '.join(ns)}{comment}")
        return "\n".join(lines)

    return pattern.sub(repl, text)


def rewrite_text(text: str, here: str = "") -> str:
    # `from config import cache as cache_lib` and the like
    def from_pkg(m: re.Match) -> str:
        pkg, name, rest = absolute(m["pkg"], here) if here else m["pkg"], m["name"], m["rest"]
        full = f"{pkg}.{name}"
        if full in MODULES:
            new = MODULES[full]
            parent, _, leaf = new.rpartition(".")
            alias = rest if rest else (f" as {name}" if leaf != name else "")
            return f"{m['indent']}from {parent} import {leaf}{alias}"
        return m[0]

    text = re.sub(
        r"^(?P<indent>[ \t]*)from (?P<pkg>config|cooperation|config\.api|cooperation\.api|\.+[\w.]*) "
        r"import (?P<name>\w+)(?P<rest> as \w+)?$",
        from_pkg,
        text,
        flags=re.M,
    )

    # relative imports of a module that moved: `from ..numbers import x` in cooperation
    def relative(m: re.Match) -> str:
        full = absolute(m["pkg"], here)
        return f"{m['indent']}from {MODULES[full]} import" if full in MODULES else m[0]

    if here:
        text = re.sub(
            r"^(?P<indent>[ \t]*)from (?P<pkg>\.+[\w.]*) import", relative, text, flags=re.M
        )
    # dotted module paths, longest first, in code and in strings
    for old in sorted(MODULES, key=len, reverse=True):
        new = MODULES[old]
        text = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w])", new, text)
    return split_names(text, here)


def rewrite() -> None:
    for path in tracked_sources():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).with_suffix("")
        here = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        new = rewrite_text(text, here)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print("rewrote", path.relative_to(ROOT))


if __name__ == "__main__":
    {"move": move, "rewrite": rewrite}[sys.argv[1]]()
