"""Public pages of the marketplace (under i18n_patterns: Chinese at /, English at /en/)."""

from django.urls import path, re_path

from . import views

app_name = "marketplace"

urlpatterns = [
    # A lot's trace page in a fixed language (/en/, /zh-hant/); the unprefixed
    # resolver path a QR code carries is config.urls' (the browser's language).
    re_path(
        r"^01/(?P<gtin>[0-9]{1,14})/10/(?P<lot>[A-Za-z0-9-]{1,20})/?$",
        views.lot_trace,
        name="lot_trace",
    ),
    path("products/", views.product_list, name="product_list"),
    path("products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("centres/", views.centre_list, name="centre_list"),
    path("presales/", views.presale_list, name="presale_list"),
    path("presales/<int:pk>/", views.presale_detail, name="presale_detail"),
    path("producers/<slug:slug>/", views.producer_detail, name="producer_detail"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("bulk/", views.bulk_index, name="bulk_index"),
    path("bulk/request/<slug:producer>/", views.bulk_request, name="bulk_request"),
    path("bulk/<int:pk>/", views.bulk_detail, name="bulk_detail"),
]
