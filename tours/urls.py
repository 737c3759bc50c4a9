from django.urls import path

from . import views

app_name = "tours"

urlpatterns = [
    path("", views.route_list, name="list"),
    path("bookings/<str:code>/", views.booking_detail, name="booking"),
    path("bookings/<str:code>.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<str:code>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<str:code>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<str:code>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("waitlist/<int:pk>/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("places/<slug:slug>/", views.attraction_detail, name="attraction"),
    path("<slug:slug>/", views.route_detail, name="detail"),
    path("<slug:slug>/departures/<int:departure_id>/book/", views.book, name="book"),
    path(
        "<slug:slug>/departures/<int:departure_id>/waitlist/",
        views.waitlist_join,
        name="waitlist_join",
    ),
]
