from django.urls import path

from . import views

app_name = "cooperation-api"

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("pairings/", views.PairingListView.as_view(), name="pairing-list"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing-detail"),
    path("figures/", views.FigureListView.as_view(), name="figure-list"),
    path("figures/<slug:key>/", views.FigureDetailView.as_view(), name="figure-detail"),
]
