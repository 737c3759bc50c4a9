from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from core.links import absolute_url


def site(request):
    """Site-wide values, and the current page in every language for the switch."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "tag": html_lang(code), "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    # The site's root by core.links' rule: this host in development, SITE_URL otherwise.
    site_url = absolute_url("/", request).rstrip("/")
    return {
        "SITE_URL": site_url,
        "language_alternates": alternates,
        "html_lang": html_lang(get_language()),
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
