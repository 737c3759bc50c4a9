from django.urls import path
from django.views.generic import TemplateView

app_name = "cooperation"

# Placeholder pages until the app's own views land.
urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="dashboard"),
]
