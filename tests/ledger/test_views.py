import re

import pytest
from django.urls import reverse

from tolpa.accounts.models import Membership
from tolpa.ledger import payments, services
from tolpa.ledger.models import Deposit

pytestmark = pytest.mark.django_db


def topup(client, scope="", **data):
    url = reverse("ledger:brand_topup" if scope == "brand" else "ledger:topup")
    form = {"amount_text": "12.50", "currency": "USD", "method": "card", "card_number": "4242 4242 4242 4242",
            "provider": "sandbox", **data}  # fmt: skip
    return client.post(url, form, follow=True)


def test_wallet_requires_login(client):
    assert client.get(reverse("ledger:wallet")).status_code == 302


def test_card_topup_shows_in_balance_and_statement(client, user):
    client.force_login(user)
    page = topup(client).content.decode()
    assert "12.50 USD" in page
    assert re.search(r'id="statement".*Top-up', page, re.S)


def test_bad_topup_input_moves_nothing(client, user):
    client.force_login(user)
    for data in ({"amount_text": "-1"}, {"amount_text": "abc"}, {"amount_text": "1.234"}, {"currency": "XYZ"},
                 {"card_number": ""}, {"method": "cash"}, {"amount_text": "1" * 20}):  # fmt: skip
        response = topup(client, **data)
        assert response.status_code == 200
        assert 'class="message error"' in response.content.decode()
    assert not Deposit.objects.filter(status="succeeded").exists()
    assert services.account_for_user(user=user, currency="USD").balance == 0


def test_declined_card_shows_reason(client, user):
    client.force_login(user)
    page = topup(client, card_number="4000 0000 0000 0002").content.decode()
    assert "declined" in page


def test_bank_transfer_is_pending_until_the_job_confirms(client, user, settings):
    settings.TOLPA_SANDBOX_CONFIRM_SECONDS = 0
    client.force_login(user)
    assert "pending" in topup(client, method="bank_transfer", card_number="").content.decode()
    assert services.account_for_user(user=user, currency="USD").balance == 0
    assert payments.sandbox_settle_due() == 1
    assert services.account_for_user(user=user, currency="USD").balance == 1_250


def test_withdrawal_form(client, user):
    client.force_login(user)
    topup(client)
    page = client.post(reverse("ledger:withdraw"), {"amount_text": "5", "currency": "USD", "destination": "DE89 3704"},
                       follow=True).content.decode()  # fmt: skip
    assert "7.50 USD" in page
    too_much = client.post(reverse("ledger:withdraw"), {"amount_text": "50", "currency": "USD", "destination": "DE89"},
                           follow=True).content.decode()  # fmt: skip
    assert "Not enough money" in too_much
    assert services.account_for_user(user=user, currency="USD").balance == 750


def test_statement_filters_and_csv(client, user):
    client.force_login(user)
    topup(client)
    topup(client, amount_text="1")
    filtered = client.get(reverse("ledger:wallet"), {"kind": "refund"}).content.decode()
    assert "No movements yet" in filtered
    assert (
        client.get(reverse("ledger:wallet"), {"since": "not-a-date", "page": "x"}).status_code
        == 200
    )
    csv_body = client.get(reverse("ledger:statement_csv")).content.decode()
    assert csv_body.splitlines()[0].startswith("time_utc,transfer,kind")
    assert len(csv_body.splitlines()) == 3


def test_brand_wallet_for_members_only_and_owner_withdraws(client, owner, organization, make_user):
    client.force_login(owner)
    topup(client, scope="brand", amount_text="100")
    account = services.account_for_organization(organization=organization, currency="USD")
    assert account.balance == 10_000
    manager = make_user()
    Membership.objects.create(organization=organization, user=manager, role="manager")
    client.force_login(manager)
    assert "100.00 USD" in client.get(reverse("ledger:brand_wallet")).content.decode()
    refused = client.post(reverse("ledger:brand_withdraw"), {"amount_text": "5", "currency": "USD",
                                                             "destination": "DE89 3704"}, follow=True)  # fmt: skip
    assert "Only the brand" in refused.content.decode()
    account.refresh_from_db()
    assert account.balance == 10_000


def test_brand_wallet_without_brand_redirects(client, user):
    client.force_login(user)
    assert client.get(reverse("ledger:brand_wallet")).url == reverse("accounts:organization_create")


def test_wallet_page_query_count(client, user, fund, wallet, django_assert_max_num_queries):
    for i in range(30):
        fund(wallet, 10 + i)
    client.force_login(user)
    with django_assert_max_num_queries(14):
        client.get(reverse("ledger:wallet"))


def test_double_submitted_topup_form_charges_once(client, user):
    client.force_login(user)
    topup(client, request_key="form-123")
    topup(client, request_key="form-123")
    assert services.account_for_user(user=user, currency="USD").balance == 1_250
