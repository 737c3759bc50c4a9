from django.urls import path

from . import lots, shares, views

urlpatterns = [
    path("lots/", lots.LotListCreateView.as_view(), name="api-lot-list"),
    path("trace/<str:gtin>/<str:lot>/", lots.LotTraceView.as_view(), name="api-lot-trace"),
    path("products/", views.ProductListView.as_view(), name="api-product-list"),
    path("products/<slug:slug>/", views.ProductDetailView.as_view(), name="api-product-detail"),
    path("centres/", views.CentreListView.as_view(), name="api-centre-list"),
    path("orders/", views.OrderListCreateView.as_view(), name="api-order-list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/cancel/", views.OrderCancelView.as_view(), name="api-order-cancel"),
    path("presales/", views.PresaleListView.as_view(), name="api-presale-list"),
    path(
        "presales/<int:pk>/pledges/", views.PresalePledgeView.as_view(), name="api-presale-pledge"
    ),
    path("pledges/", views.PledgeListView.as_view(), name="api-pledge-list"),
    path(
        "pledges/<int:pk>/withdraw/", views.PledgeWithdrawView.as_view(), name="api-pledge-withdraw"
    ),
    path(
        "purchase-shares/", shares.PurchaseShareProgressView.as_view(), name="api-purchase-shares"
    ),
]
