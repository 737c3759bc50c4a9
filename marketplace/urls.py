from django.urls import path
from django.views.generic import TemplateView

app_name = "marketplace"

# Placeholder pages until the app's own views land.
urlpatterns = [
    path("products/", TemplateView.as_view(template_name="home.html"), name="product_list"),
    path("centres/", TemplateView.as_view(template_name="home.html"), name="centre_list"),
]
