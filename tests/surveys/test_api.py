import pytest

from tests.surveys.conftest import FUNDS, QUESTIONS, REWARD, answers_for, brand_balance, wallet
from tolpa.surveys.models import DiscountCode, Question, Response, Survey

pytestmark = pytest.mark.django_db


def _payload(organization, **extra):
    return {"organization_id": organization.pk, "title": "Taste test", "currency": "USD",
            "reward": REWARD, "max_responses": 5, "questions": QUESTIONS, **extra}  # fmt: skip


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_brand_creates_launches_and_reads_results(api_client, owner, brand, make_user):
    api_client.login(owner)
    created = api_client.post("/surveys", _payload(brand))
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert api_client.post(f"/surveys/{slug}/launch").json()["status"] == "live"
    person = make_user()
    api_client.login(person)
    survey = Survey.objects.get()
    public = api_client.get(f"/surveys/{slug}").json()
    assert len(public["questions"]) == 4
    assert "answers" not in str(public)
    sent = api_client.post(f"/surveys/{slug}/responses", {"answers": answers_for(survey)})
    assert sent.status_code == 201, sent.content
    assert sent.json()["rewarded"] is True
    assert api_client.get(f"/surveys/{slug}/responses/me").json()["id"] == sent.json()["id"]
    assert wallet(person) == REWARD
    _error(api_client.get(f"/surveys/{slug}/results"), 403)
    api_client.login(owner)
    results = api_client.get(f"/surveys/{slug}/results").json()
    assert results["responses"] == 1
    first = results["questions"][0]["options"]
    assert first[0] == {"option": "Vanilla", "count": 1, "percent": 100.0}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/surveys"),
        ("put", "/surveys/{slug}/questions"),
        ("post", "/surveys/{slug}/launch"),
        ("post", "/surveys/{slug}/codes"),
        ("post", "/surveys/{slug}/responses"),
        ("get", "/surveys/{slug}/responses/me"),
        ("get", "/surveys/{slug}/results"),
        ("post", "/surveys/{slug}/award"),
        ("post", "/surveys/{slug}/close"),
    ],
)
def test_anonymous_gets_401(client, make_survey, method, path):
    survey = make_survey()
    url = "/api/v1" + path.format(slug=survey.campaign.slug)
    if method == "put":
        response = client.put(url, {}, content_type="application/json")
    else:
        response = getattr(client, method)(url)
    assert _error(response, 401)["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/surveys/{slug}/launch", {}),
        ("/surveys/{slug}/codes", {"codes": "A\nB"}),
        ("/surveys/{slug}/award", {"response": 1}),
        ("/surveys/{slug}/close", {}),
    ],
)
def test_non_member_gets_403_on_brand_routes(api_client, make_survey, make_user, path, body):
    survey = make_survey(launch=path.endswith("close"))
    api_client.login(make_user())
    url = path.format(slug=survey.campaign.slug)
    if survey.status == "draft":  # a stranger does not even see a draft
        assert _error(api_client.post(url, body), 404)["code"] == "not_found"
        survey = make_survey(title="Live one")
        url = path.format(slug=survey.campaign.slug)
    assert _error(api_client.post(url, body), 403)["code"] == "forbidden"
    assert _error(api_client.get(f"/surveys/{survey.campaign.slug}/results"), 403)


def test_non_member_cannot_create_or_edit(api_client, make_survey, make_user, brand):
    draft = make_survey(launch=False)
    api_client.login(make_user())
    _error(api_client.post("/surveys", _payload(brand)), 404)
    response = api_client.inner.put(
        f"/api/v1/surveys/{draft.campaign.slug}/questions", {"questions": QUESTIONS},
        content_type="application/json",
    )  # fmt: skip
    _error(response, 404)
    assert Survey.objects.count() == 1


def test_brand_member_cannot_answer_403(api_client, make_survey, owner):
    survey = make_survey()
    api_client.login(owner)
    body = {"answers": answers_for(survey)}
    _error(api_client.post(f"/surveys/{survey.campaign.slug}/responses", body), 403)
    assert Response.objects.count() == 0


def test_bad_survey_input_names_the_field_and_creates_nothing(api_client, owner, brand):
    api_client.login(owner)
    cases = [
        (_payload(brand, reward=-1), "reward"),
        (_payload(brand, currency="XXX"), "currency"),
        (_payload(brand, questions=[{"kind": "single", "prompt": "A?", "choices": ["x"]}]),
         "questions.0"),
        (_payload(brand, questions=[{"kind": "scale", "prompt": "A?", "scale_max": 7}]),
         "questions.0"),
        (_payload(brand, reward_mode="money", reward=0), "reward"),
        (_payload(brand, max_responses=0), "max_responses"),
    ]  # fmt: skip
    for body, field in cases:
        error = _error(api_client.post("/surveys", body), 422)
        assert field in error["fields"], (field, error)
    assert Survey.objects.count() == 0
    assert brand_balance(brand) == FUNDS


def test_bad_answers_422_change_nothing(api_client, make_survey, make_user, brand):
    survey = make_survey()
    slug = survey.campaign.slug
    person = make_user()
    api_client.login(person)
    first = str(survey.questions.first().pk)
    for answers, field in [
        (answers_for(survey, **{first: "Mint"}), f"question_{first}"),
        ({"999999": "x"}, "answers"),
        ("not an object", "answers"),
    ]:
        error = _error(api_client.post(f"/surveys/{slug}/responses", {"answers": answers}), 422)
        assert field in error["fields"], error
    assert Response.objects.count() == 0
    assert wallet(person) == 0
    _error(api_client.get(f"/surveys/{slug}/responses/me"), 404)


def test_bad_codes_award_and_questions_422(api_client, make_survey, owner, brand):
    survey = make_survey(launch=False, reward_mode="code", reward=0)
    slug = survey.campaign.slug
    api_client.login(owner)
    error = _error(api_client.post(f"/surveys/{slug}/codes", {"codes": "A\nA\nB"}), 422)
    assert "A" in error["fields"]["codes"][0]
    _error(api_client.post(f"/surveys/{slug}/codes", {}), 422)
    assert DiscountCode.objects.count() == 0
    bad = {"questions": [{"kind": "text", "prompt": "Why?", "max_length": 0}]}
    response = api_client.inner.put(f"/api/v1/surveys/{slug}/questions", bad,
                                    content_type="application/json")  # fmt: skip
    assert "questions.0" in _error(response, 422)["fields"]
    assert Question.objects.filter(survey=survey).count() == len(QUESTIONS)
    _error(api_client.post(f"/surveys/{slug}/award", {"response": "x"}), 422)
    _error(api_client.post(f"/surveys/{slug}/award", {"response": 1}), 422)
    assert brand_balance(brand) == FUNDS


def test_codes_upload_launch_and_my_code(api_client, make_survey, owner, make_user):
    survey = make_survey(launch=False, reward_mode="code", reward=0)
    slug = survey.campaign.slug
    api_client.login(owner)
    assert api_client.post(f"/surveys/{slug}/codes", {"codes": "X1\nX2"}).json()["added"] == 2
    api_client.post(f"/surveys/{slug}/launch")
    person = make_user()
    api_client.login(person)
    api_client.post(f"/surveys/{slug}/responses", {"answers": answers_for(survey)})
    assert api_client.get(f"/surveys/{slug}/responses/me").json()["code"] == "X1"


def test_unfunded_launch_is_409_and_changes_nothing(api_client, owner, organization):
    api_client.login(owner)
    slug = api_client.post("/surveys", _payload(organization)).json()["slug"]
    error = _error(api_client.post(f"/surveys/{slug}/launch"), 409)
    assert "Not enough money" in error["message"]
    assert Survey.objects.get().status == "draft"


def test_award_twice_is_409_and_close_twice_409(api_client, make_survey, owner, make_user):
    survey = make_survey(award=500)
    slug = survey.campaign.slug
    response = Response.objects.get(pk=_answer(api_client, survey, make_user()))
    api_client.login(owner)
    award = api_client.post(f"/surveys/{slug}/award", {"response": response.pk})
    assert award.status_code == 200, award.content
    assert award.json()["code"] == ""
    _error(api_client.post(f"/surveys/{slug}/award", {"response": response.pk}), 409)
    assert api_client.post(f"/surveys/{slug}/close").json()["status"] == "settled"
    _error(api_client.post(f"/surveys/{slug}/close"), 409)


def _answer(api_client, survey, person) -> int:
    api_client.login(person)
    sent = api_client.post(f"/surveys/{survey.campaign.slug}/responses",
                           {"answers": answers_for(survey)})  # fmt: skip
    return sent.json()["id"]


def test_public_list_and_draft_hidden(api_client, make_survey):
    make_survey()
    draft = make_survey(launch=False, title="Secret draft")
    titles = [s["title"] for s in api_client.get("/surveys").json()]
    assert titles == ["Taste test"]
    _error(api_client.get(f"/surveys/{draft.campaign.slug}"), 404)
