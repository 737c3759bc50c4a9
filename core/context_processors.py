import re

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from core import gs1
from core.links import absolute_url

# og:locale wants language_TERRITORY (the Open Graph protocol), not a BCP 47 tag.
OG_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "en": "en_US"}


def site(request):
    """Site-wide values, and the current page in every language: ``url`` for
    the language switch (a site path), ``href`` for ``<link rel=alternate
    hreflang>`` (absolute, by core.links' rule, as search engines require),
    plus ``x_default`` (the default language's page, unprefixed) and
    ``canonical`` (this page in this language)."""
    path = request.get_full_path()
    # A lot's trace page (core.gs1): its unprefixed path follows the browser
    # (core.middleware), so the Simplified Chinese link says so in the query.
    bare = _PREFIXED.sub("", request.path_info)
    resolver = gs1.is_resolver_path(bare)
    alternates = [
        {
            "code": code,
            "tag": html_lang(code),
            "name": name,
            "url": (url := _language_url(path, code, bare if resolver else None)),
            "href": absolute_url(url, request),
        }
        for code, name in settings.LANGUAGES
    ]
    current = get_language() or settings.LANGUAGE_CODE
    # The site's root by core.links' rule: this host in development, SITE_URL otherwise.
    site_url = absolute_url("/", request).rstrip("/")
    return {
        "SITE_URL": site_url,
        "language_alternates": alternates,
        "x_default": next(a["href"] for a in alternates if a["code"] == settings.LANGUAGE_CODE),
        "canonical": next((a["href"] for a in alternates if a["code"] == current), ""),
        "html_lang": html_lang(current),
        "og_locale": OG_LOCALES.get(current, ""),
        "og_locale_alternates": [
            OG_LOCALES[code]
            for code, _ in settings.LANGUAGES
            if code != current and code in OG_LOCALES
        ],
        # A browser preferring Traditional Chinese on a Simplified page (see
        # core.middleware.LocaleMiddleware): the same page in Traditional.
        "language_suggestion": next(
            (
                alt
                for alt in alternates
                if alt["code"] == getattr(request, "language_suggestion", None)
            ),
            None,
        ),
    }


def html_lang(code: str | None) -> str:
    """The BCP 47 tag of a language code, as ``lang``/``hreflang`` write it:
    zh-hans -> zh-Hans, zh-hant -> zh-Hant, en -> en."""
    code = code or settings.LANGUAGE_CODE
    language, _, script = code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else code


_PREFIXED = re.compile(
    "^/("
    + "|".join(re.escape(c) for c, _ in settings.LANGUAGES if c != settings.LANGUAGE_CODE)
    + ")(?=/)"
)


def _language_url(path: str, code: str, resolver_path: str | None) -> str:
    """This page in language ``code``; for a lot's trace page (``resolver_path``,
    unprefixed) the prefixed path, or the unprefixed one with ``?lang=``."""
    if resolver_path is None:
        return translate_url(path, code)
    if code == settings.LANGUAGE_CODE:
        return f"{resolver_path}?lang={code}"
    return f"/{code}{resolver_path}"
