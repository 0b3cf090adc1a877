from django.urls import path

from tolpa.ledger import views

app_name = "ledger"

urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/statement.csv", views.statement_csv, name="statement_csv"),
    path("wallet/topup/", views.topup, name="topup"),
    path("wallet/withdraw/", views.withdraw, name="withdraw"),
    path("brand/wallet/", views.wallet, {"scope": "brand"}, name="brand_wallet"),
    path(
        "brand/wallet/statement.csv",
        views.statement_csv,
        {"scope": "brand"},
        name="brand_statement_csv",
    ),
    path("brand/wallet/topup/", views.topup, {"scope": "brand"}, name="brand_topup"),
    path("brand/wallet/withdraw/", views.withdraw, {"scope": "brand"}, name="brand_withdraw"),
    path("ledger/webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
