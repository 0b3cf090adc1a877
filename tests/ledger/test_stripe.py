"""The Stripe path with signed webhook payloads built here (no network)."""

import hashlib
import hmac
import json
import time

import pytest
from django.db import transaction

from tolpa.ledger.models import Deposit, PaymentStatus, WebhookEvent

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_secret"


@pytest.fixture(autouse=True)
def _stripe_settings(settings):
    settings.TOLPA_STRIPE_SECRET_KEY = "sk_test_dummy"
    settings.TOLPA_STRIPE_WEBHOOK_SECRET = SECRET


@pytest.fixture
def stripe_deposit(wallet, user):
    with transaction.atomic():
        return Deposit.objects.create(
            account=wallet, requested_by=user, amount=2_500, currency="USD", provider="stripe",
            method="card", provider_reference="cs_test_1",
        )  # fmt: skip


def signed(payload: dict, secret: str = SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    timestamp = timestamp or int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def event(event_id: str, event_type: str, deposit: Deposit, **session) -> dict:
    data = {"id": "cs_test_1", "object": "checkout.session", "client_reference_id": str(deposit.pk),
            "metadata": {"deposit_id": str(deposit.pk)}, "amount_total": deposit.amount, "currency": "usd",
            "payment_status": "paid", **session}  # fmt: skip
    return {"id": event_id, "object": "event", "type": event_type, "data": {"object": data}}


def post(client, payload: dict, **kwargs):
    body, header = signed(payload, **kwargs)
    return client.post(
        "/ledger/webhooks/stripe/",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )


def test_completed_checkout_credits_once_even_if_delivered_twice(client, stripe_deposit, wallet):
    payload = event("evt_1", "checkout.session.completed", stripe_deposit)
    assert post(client, payload).json() == {"status": "credited"}
    assert post(client, payload).json() == {"status": "duplicate"}
    wallet.refresh_from_db()
    assert wallet.balance == 2_500
    assert WebhookEvent.objects.count() == 1


def test_two_different_success_events_credit_once(client, stripe_deposit, wallet):
    post(client, event("evt_1", "checkout.session.completed", stripe_deposit))
    assert (
        post(
            client, event("evt_2", "checkout.session.async_payment_succeeded", stripe_deposit)
        ).status_code
        == 200
    )
    wallet.refresh_from_db()
    assert wallet.balance == 2_500


def test_out_of_order_failure_after_success_changes_nothing(client, stripe_deposit, wallet):
    post(client, event("evt_1", "checkout.session.completed", stripe_deposit))
    post(client, event("evt_0", "checkout.session.expired", stripe_deposit))
    stripe_deposit.refresh_from_db()
    assert stripe_deposit.status == PaymentStatus.SUCCEEDED
    wallet.refresh_from_db()
    assert wallet.balance == 2_500


def test_async_payment_flow(client, stripe_deposit, wallet):
    pending = event("evt_1", "checkout.session.completed", stripe_deposit, payment_status="unpaid")
    assert post(client, pending).json() == {"status": "awaiting async payment"}
    wallet.refresh_from_db()
    assert wallet.balance == 0
    post(client, event("evt_2", "checkout.session.async_payment_failed", stripe_deposit))
    stripe_deposit.refresh_from_db()
    assert stripe_deposit.status == PaymentStatus.FAILED


def test_forged_signature_is_refused_and_nothing_moves(client, stripe_deposit, wallet):
    payload = event("evt_1", "checkout.session.completed", stripe_deposit)
    response = post(client, payload, secret="whsec_attacker")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    body, _header = signed(payload)
    missing = client.post("/ledger/webhooks/stripe/", data=body, content_type="application/json")
    assert missing.status_code == 400
    wallet.refresh_from_db()
    assert wallet.balance == 0
    assert not WebhookEvent.objects.exists()


def test_replayed_old_signature_is_refused(client, stripe_deposit, wallet):
    payload = event("evt_1", "checkout.session.completed", stripe_deposit)
    assert post(client, payload, timestamp=int(time.time()) - 3600).status_code == 400
    wallet.refresh_from_db()
    assert wallet.balance == 0


def test_amount_mismatch_and_unknown_deposit_are_refused(client, stripe_deposit, wallet):
    wrong = event("evt_1", "checkout.session.completed", stripe_deposit, amount_total=999_999)
    assert post(client, wrong).status_code == 409
    unknown = event("evt_2", "checkout.session.completed", stripe_deposit, metadata={"deposit_id": "424242"},
                    client_reference_id="424242")  # fmt: skip
    assert post(client, unknown).status_code == 404
    wallet.refresh_from_db()
    assert wallet.balance == 0
    assert not WebhookEvent.objects.exists()


def test_unrelated_event_types_are_acknowledged(client):
    assert post(
        client,
        {"id": "evt_9", "object": "event", "type": "customer.created", "data": {"object": {}}},
    ).json() == {"status": "ignored"}


def test_webhook_is_404_when_stripe_is_not_configured(client, settings):
    settings.TOLPA_STRIPE_WEBHOOK_SECRET = ""
    assert (
        client.post(
            "/ledger/webhooks/stripe/", data=b"{}", content_type="application/json"
        ).status_code
        == 404
    )


def test_stripe_deposit_start_uses_checkout_session(monkeypatch, wallet, user):
    from tolpa.ledger import payments
    from tolpa.ledger.providers import stripe as stripe_provider

    created = {}

    class FakeSessions:
        def create(self, params, options):
            created.update(params=params, options=options)
            return type(
                "Session",
                (),
                {"id": "cs_test_42", "url": "https://checkout.stripe.test/cs_test_42"},
            )()

    class FakeClient:
        def __init__(self, key):
            self.checkout = type("Checkout", (), {"sessions": FakeSessions()})()

    monkeypatch.setattr(stripe_provider.stripe, "StripeClient", FakeClient)
    deposit, url = payments.deposit_start(
        actor=user,
        account=wallet,
        amount=1_000,
        provider="stripe",
        return_url="http://testserver/wallet/",
    )
    assert url == "https://checkout.stripe.test/cs_test_42"
    assert deposit.status == PaymentStatus.PENDING
    assert created["params"]["line_items"][0]["price_data"]["unit_amount"] == 1_000
    assert created["options"]["idempotency_key"] == f"tolpa-deposit-{deposit.pk}"
    wallet.refresh_from_db()
    assert wallet.balance == 0
