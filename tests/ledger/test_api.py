import pytest

from tolpa.accounts.models import Membership
from tolpa.ledger import services
from tolpa.ledger.models import Deposit, Posting, Withdrawal

pytestmark = pytest.mark.django_db
CARD = "4242424242424242"


def test_routes_require_auth(api_client):
    assert api_client.get("/wallet").status_code == 401
    assert api_client.get("/wallet/statement").status_code == 401
    assert api_client.post("/wallet/topups", {"amount": 100, "currency": "USD"}).status_code == 401
    assert (
        api_client.post(
            "/wallet/withdrawals", {"amount": 1, "currency": "USD", "destination": "DE89"}
        ).status_code
        == 401
    )


def test_topup_then_balance_and_statement(api_client, user):
    api_client.login(user)
    created = api_client.post(
        "/wallet/topups", {"amount": 1_250, "currency": "usd", "card_number": CARD}
    )
    assert created.status_code == 201
    assert created.json()["status"] == "succeeded"
    assert api_client.get("/wallet").json() == [
        {"currency": "USD", "balance": 1_250, "formatted": "12.50 USD"}
    ]
    page = api_client.get("/wallet/statement", currency="USD").json()
    assert page["count"] == 1
    assert page["items"][0]["kind"] == "deposit"


def test_declined_card_moves_nothing(api_client, user):
    api_client.login(user)
    response = api_client.post(
        "/wallet/topups", {"amount": 500, "currency": "USD", "card_number": "4000000000000002"}
    )
    assert response.json()["status"] == "failed"
    assert "declined" in response.json()["failure_reason"]
    assert not Posting.objects.exists()


@pytest.mark.parametrize("payload", [
    {"amount": 0, "currency": "USD"},
    {"amount": -5, "currency": "USD"},
    {"amount": 2**63, "currency": "USD"},
    {"amount": "ten", "currency": "USD"},
    {"amount": 100, "currency": "XYZ"},
    {"amount": 100, "currency": "USD", "provider": "paypal"},
    {"amount": 100, "currency": "USD", "method": "cash"},
    {"amount": 100},
])  # fmt: skip
def test_topup_bad_input_changes_nothing(api_client, user, payload):
    api_client.login(user)
    response = api_client.post("/wallet/topups", {"card_number": CARD, **payload})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"
    assert not Deposit.objects.exists()
    assert not Posting.objects.exists()


def test_topup_with_idempotency_key_header_is_charged_once(api_client, user):
    api_client.login(user)
    api_client.headers = {"Idempotency-Key": "topup-1"}
    first = api_client.post(
        "/wallet/topups", {"amount": 700, "currency": "USD", "card_number": CARD}
    ).json()
    second = api_client.post(
        "/wallet/topups", {"amount": 700, "currency": "USD", "card_number": CARD}
    ).json()
    assert first["id"] == second["id"]
    conflict = api_client.post(
        "/wallet/topups", {"amount": 800, "currency": "USD", "card_number": CARD}
    )
    assert conflict.status_code == 409
    assert services.account_for_user(user=user, currency="USD").balance == 700


def test_withdrawal_above_balance_is_refused(api_client, user, fund, wallet):
    fund(wallet, 1_000)
    api_client.login(user)
    response = api_client.post(
        "/wallet/withdrawals", {"amount": 1_001, "currency": "USD", "destination": "DE89 3704"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_funds"
    assert not Withdrawal.objects.exists()
    ok = api_client.post(
        "/wallet/withdrawals", {"amount": 400, "currency": "USD", "destination": "DE89 3704"}
    )
    assert ok.status_code == 201
    wallet.refresh_from_db()
    assert wallet.balance == 600
    assert (
        api_client.post(
            "/wallet/withdrawals", {"amount": 1, "currency": "USD", "destination": "x"}
        ).status_code
        == 422
    )


def test_brand_wallet_needs_membership_and_owner_to_withdraw(
    api_client, user, owner, organization, make_user, fund
):
    fund(services.account_for_organization(organization=organization, currency="USD"), 5_000)
    api_client.login(user)
    assert api_client.get("/wallet", organization_id=organization.pk).status_code == 404
    assert api_client.get("/wallet/statement", organization_id=organization.pk).status_code == 404
    stranger_topup = api_client.post("/wallet/topups", {"amount": 1, "currency": "USD", "card_number": CARD,
                                                        "organization_id": organization.pk})  # fmt: skip
    assert stranger_topup.status_code == 404
    manager = make_user()
    Membership.objects.create(organization=organization, user=manager, role="manager")
    api_client.login(manager)
    assert api_client.get("/wallet", organization_id=organization.pk).json()[0]["balance"] == 5_000
    payout = {
        "amount": 100,
        "currency": "USD",
        "destination": "DE89 3704",
        "organization_id": organization.pk,
    }
    assert api_client.post("/wallet/withdrawals", payout).status_code == 403
    api_client.login(owner)
    assert api_client.post("/wallet/withdrawals", payout).status_code == 201


def test_statement_bad_input(api_client, user):
    api_client.login(user)
    assert api_client.get("/wallet/statement", currency="XYZ").status_code == 422
    assert api_client.get("/wallet/statement", limit=-1).status_code == 422
    assert api_client.get("/wallet", organization_id="abc").status_code == 422
