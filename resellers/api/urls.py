"""OCTO's paths, each with or without its trailing slash (the specification
writes ``/products/`` and ``/bookings/{uuid}``; resellers' clients send both)."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^$", views.RootView.as_view(), name="octo-root"),
    re_path(r"^supplier/?$", views.SupplierView.as_view(), name="octo-supplier"),
    re_path(r"^capabilities/?$", views.CapabilitiesView.as_view(), name="octo-capabilities"),
    re_path(r"^products/?$", views.ProductListView.as_view(), name="octo-products"),
    re_path(
        r"^products/(?P<product_id>[^/]+)/?$",
        views.ProductDetailView.as_view(),
        name="octo-product",
    ),
    re_path(r"^availability/calendar/?$", views.CalendarView.as_view(), name="octo-calendar"),
    re_path(r"^availability/?$", views.AvailabilityView.as_view(), name="octo-availability"),
    re_path(r"^bookings/?$", views.BookingListView.as_view(), name="octo-bookings"),
    re_path(
        r"^bookings/(?P<uuid>[^/]+)/confirm/?$",
        views.BookingConfirmView.as_view(),
        name="octo-booking-confirm",
    ),
    re_path(
        r"^bookings/(?P<uuid>[^/]+)/extend/?$",
        views.BookingExtendView.as_view(),
        name="octo-booking-extend",
    ),
    re_path(
        r"^bookings/(?P<uuid>[^/]+)/cancel/?$",
        views.BookingCancelView.as_view(),
        name="octo-booking-cancel",
    ),
    re_path(
        r"^bookings/(?P<uuid>[^/]+)/?$", views.BookingDetailView.as_view(), name="octo-booking"
    ),
]
