import csv
import io

import pytest

from tests.surveys.conftest import REWARD, respond, wallet
from tolpa.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def _form_data(survey, **overrides) -> dict:
    q = {question.kind: question for question in survey.questions.all()}
    data = {
        q["single"].field_name: "Caramel",
        q["multiple"].field_name: ["Shop", "Market"],
        q["scale"].field_name: "7",
        q["text"].field_name: "=HYPERLINK(evil)",
    }
    data.update(overrides)
    return data


def test_respondent_answers_through_the_page_and_sees_the_reward(client, make_survey, make_user):
    survey = make_survey()
    person = make_user()
    client.force_login(person)
    page = client.get(f"/surveys/{survey.campaign.slug}/")
    assert b"answer-form" in page.content
    sent = client.post(f"/surveys/{survey.campaign.slug}/", _form_data(survey))
    assert sent.status_code == 302
    thanks = client.get(f"/surveys/{survey.campaign.slug}/").content.decode()
    assert "Thank you!" in thanks
    assert "1.00 USD was paid to your wallet" in thanks
    assert wallet(person) == REWARD


def test_bad_answer_on_the_page_shows_the_error_and_saves_nothing(client, make_survey, make_user):
    survey = make_survey()
    client.force_login(make_user())
    scale = survey.questions.get(kind="scale")
    page = client.post(f"/surveys/{survey.campaign.slug}/",
                       _form_data(survey, **{scale.field_name: "42"}))  # fmt: skip
    assert page.status_code == 400
    assert Response.objects.count() == 0


def test_code_is_shown_to_its_owner_only(client, make_survey, make_user, owner):
    survey = make_survey(reward_mode="code", reward=0, codes="SECRET-1\nSECRET-2")
    person, other = make_user(), make_user()
    respond(survey, person)
    client.force_login(person)
    assert "SECRET-1" in client.get(f"/surveys/{survey.campaign.slug}/").content.decode()
    for viewer in (other, owner):
        client.force_login(viewer)
        assert "SECRET" not in client.get(f"/surveys/{survey.campaign.slug}/").content.decode()
        assert "SECRET" not in client.get("/surveys/").content.decode()
    assert (
        "SECRET" not in client.get(f"/surveys/{survey.campaign.slug}/dashboard/").content.decode()
    )


def test_brand_sees_results_with_charts_and_a_safe_csv(client, make_survey, make_user, owner):
    survey = make_survey()
    person = make_user()
    client.force_login(person)
    client.post(f"/surveys/{survey.campaign.slug}/", _form_data(survey))
    client.force_login(owner)
    dashboard = client.get(f"/surveys/{survey.campaign.slug}/dashboard/").content.decode()
    assert dashboard.count('<svg class="chart"') == 3
    assert "Caramel (100.0%)" in dashboard
    export = client.get(f"/surveys/{survey.campaign.slug}/dashboard/results.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][2:] == [q.prompt for q in survey.questions.all()]
    assert rows[1][2:] == ["Caramel", "Shop; Market", "7", "'=HYPERLINK(evil)"]


def test_others_get_403_and_drafts_404(client, make_survey, make_user):
    survey = make_survey()
    draft = make_survey(launch=False, title="Draft")
    client.force_login(make_user())
    slug = survey.campaign.slug
    assert client.get(f"/surveys/{slug}/dashboard/").status_code == 403
    assert client.get(f"/surveys/{slug}/dashboard/results.csv").status_code == 403
    assert client.post(f"/surveys/{slug}/dashboard/", {"action": "close"}).status_code == 403
    assert client.get(f"/surveys/{draft.campaign.slug}/").status_code == 404
    assert client.get(f"/surveys/{draft.campaign.slug}/dashboard/").status_code == 404
    assert client.get("/surveys/no-such-survey/").status_code == 404


def test_brand_answering_on_the_page_gets_403(client, make_survey, owner):
    survey = make_survey()
    client.force_login(owner)
    assert client.post(f"/surveys/{survey.campaign.slug}/", _form_data(survey)).status_code == 403


def test_create_page_with_questions_then_launch(client, owner, brand):
    client.force_login(owner)
    assert client.get("/surveys/new/").status_code == 200
    data = {
        "title": "Packaging feedback", "currency": "USD", "reward_mode": "money",
        "reward": "0.50", "max_responses": "4", "days": "7", "language": "en",
        "questions-TOTAL_FORMS": "3", "questions-INITIAL_FORMS": "0",
        "questions-0-kind": "single", "questions-0-prompt": "Colour?",
        "questions-0-choices": "Red\nBlue", "questions-0-required": "on",
        "questions-0-scale_max": "5", "questions-0-max_length": "1000",
        "questions-1-kind": "text", "questions-1-prompt": "Why?",
        "questions-1-scale_max": "5", "questions-1-max_length": "300",
        "questions-2-kind": "single", "questions-2-scale_max": "5",
        "questions-2-max_length": "1000", "questions-2-required": "on",
    }  # fmt: skip
    created = client.post("/surveys/new/", data)
    assert created.status_code == 302, created.content.decode()[:2000]
    survey = Survey.objects.get()
    assert [q.prompt for q in survey.questions.all()] == ["Colour?", "Why?"]
    client.post(f"/surveys/{survey.campaign.slug}/dashboard/", {"action": "launch"})
    survey.refresh_from_db()
    assert (survey.status, survey.budget) == ("live", 4 * 55)


def test_create_page_bad_question_is_a_form_error(client, owner, brand):
    client.force_login(owner)
    data = {
        "title": "Bad", "currency": "USD", "reward_mode": "none", "max_responses": "4",
        "days": "7", "language": "en", "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0", "questions-0-kind": "single",
        "questions-0-prompt": "Colour?", "questions-0-choices": "Red",
        "questions-0-scale_max": "5", "questions-0-max_length": "1000",
    }  # fmt: skip
    page = client.post("/surveys/new/", data)
    assert page.status_code == 422
    assert "Give 2 to 20 options" in page.content.decode()
    assert Survey.objects.count() == 0


def test_codes_upload_page_names_duplicates(client, make_survey, owner):
    survey = make_survey(launch=False, reward_mode="code", reward=0)
    client.force_login(owner)
    url = f"/surveys/{survey.campaign.slug}/dashboard/"
    page = client.post(url, {"action": "codes", "codes": "K1\nK1\nK2"})
    assert page.status_code == 422
    assert "Duplicate codes: K1." in page.content.decode()
    assert survey.codes.count() == 0
    file = io.BytesIO(b"K1\r\nK2\r\n")
    file.name = "codes.txt"
    assert client.post(url, {"action": "codes", "file": file}).status_code == 302
    assert survey.codes.count() == 2
