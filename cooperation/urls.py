from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("fund/", views.fund, name="fund"),
    path("pairings/", views.pairing_list, name="pairing_list"),
]
