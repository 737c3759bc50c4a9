import logging
import time

from django.conf import settings
from django.middleware import locale as django_locale
from django.utils import translation

logger = logging.getLogger("dh.request")


class RequestLogMiddleware:
    """Logs each request as one structured line with its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "ip": request.META.get("REMOTE_ADDR"),
                }
            },
        )
        return response


class LocaleMiddleware(django_locale.LocaleMiddleware):
    """The language comes from the URL: `/en/...` is English, anything else is
    Chinese, whatever the browser prefers (so `/` is always 简体中文 and a
    shared link shows the language it was shared in). The API, which has no
    language prefix, follows the client's Accept-Language header."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
        else:
            language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
