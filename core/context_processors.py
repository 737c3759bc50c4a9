from django.conf import settings
from django.urls import translate_url


def site(request):
    """Site-wide values, and the current page in every language for the switch."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {"SITE_URL": settings.SITE_URL, "language_alternates": alternates}
