from django.urls import path, re_path

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
    path("data/", views.data_index, name="data"),
    path("data/datapackage.json", views.datapackage, name="datapackage"),
    re_path(r"^data/(?P<name>[a-z0-9-]+)\.(?P<fmt>csv|json)$", views.dataset_file, name="dataset"),
    path("iati.xml", views.iati_xml, name="iati"),
]
