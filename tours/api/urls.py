from django.urls import path

from . import views

app_name = "tours-api"

urlpatterns = [
    path("routes/", views.RouteListView.as_view(), name="route-list"),
    path("routes/<slug:slug>/", views.RouteDetailView.as_view(), name="route-detail"),
    path("departures/", views.DepartureListView.as_view(), name="departure-list"),
    path("departures/<int:pk>/waitlist/", views.WaitlistJoinView.as_view(), name="waitlist-join"),
    path("bookings/", views.BookingListCreateView.as_view(), name="booking-list"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<int:pk>/confirm/", views.BookingConfirmView.as_view(), name="booking-confirm"),
    path(
        "bookings/<int:pk>/reschedule/",
        views.BookingRescheduleView.as_view(),
        name="booking-reschedule",
    ),
    path("waitlist/", views.WaitlistListView.as_view(), name="waitlist-list"),
    path("waitlist/<int:pk>/leave/", views.WaitlistLeaveView.as_view(), name="waitlist-leave"),
]
