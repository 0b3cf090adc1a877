from django.urls import path

from tolpa.marketplace.views import deals, operator, public

app_name = "tenders"

urlpatterns = [
    path("", public.index, name="list"),
    path("new/", public.create, name="create"),
    path("brand/", public.brand_dashboard, name="brand_dashboard"),
    path("mine/", public.freelancer_dashboard, name="freelancer_dashboard"),
    path("proposals/<int:pk>/", deals.proposal, name="proposal"),
    path("contracts/<int:pk>/", deals.contract, name="contract"),
    path("deliveries/<int:pk>/file/", deals.delivery_file, name="delivery_file"),
    path("disputes/", operator.disputes, name="disputes"),
    path("disputes/<int:pk>/", operator.dispute, name="dispute"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/proposals/", deals.tender_proposals, name="proposals"),
]
