from django.urls import path

from tolpa.marketplace.shop import views

app_name = "shop"

urlpatterns = [
    path("", views.index, name="list"),
    path("sell/", views.publish, name="publish"),
    path("mine/", views.dashboard, name="dashboard"),
    path("purchases/", views.purchases, name="purchases"),
    path("moderation/", views.moderation, name="moderation"),
    path("rights/<uuid:code>/", views.rights, name="rights"),
    path("texts/<int:text_id>/", views.text_detail, name="text"),
    path("texts/<int:text_id>/buy/", views.buy, name="buy"),
    path("texts/<int:text_id>/download/", views.download, name="download"),
    path("texts/<int:text_id>/price/", views.reprice, name="reprice"),
    path("texts/<int:text_id>/withdraw/", views.withdraw, name="withdraw"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
]
