"""/api/v1/: each app contributes its own urls; this file only joins them."""

from django.urls import include, path

urlpatterns = [
    path("auth/", include("accounts.api.urls")),
    path("cooperation/", include("cooperation.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("tours.api.urls")),
]
