"""Evaluation campaigns (民主評議): preparing, opening and closing a campaign; evaluators
with an account or an invitation link; one scorecard per evaluator and department, drafts
then one submission; weighted results, ranking and ties; the evaluation-score indicator;
the pages of evaluators, of the office and of the public."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import indicators
from portal import services as portal_services
from portal.indicators import Period
from portal.models import Department, Event
from portal.roles import Role
from portal.workflow import TransitionError
from supervision import campaign_results
from supervision.indicators import EVALUATION_SCORE
from supervision.models import Campaign, CampaignStatus, Invitation, Scale, Scorecard, ScorecardStatus
from supervision.services import campaigns as services
from supervision.services.campaigns import Evaluator

pytestmark = pytest.mark.django_db

EVALUATE = "/supervision/evaluate/"


@pytest.fixture
def make_evaluator(db):
    def make(username):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username, first_name="代表")
        portal_services.user_role_grant(actor=None, user=user, role=Role.EVALUATOR)
        return user

    return make


@pytest.fixture
def evaluator(make_evaluator):
    return make_evaluator("evaluator")


@pytest.fixture
def campaign(coordinator, department_a, department_b, evaluator):
    """An open 100-point campaign over A and B, criteria weighted 3 and 1."""
    made = services.campaign_create(
        actor=coordinator, title="2026年度民主評議", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        scale=Scale.HUNDRED, departments=[department_a, department_b], evaluators=[evaluator],
        criteria=[("真實性", 3), ("服務", 1)],
    )
    return services.campaign_open(actor=coordinator, campaign=made)


def scores(campaign, *values):
    return dict(zip(campaign.criteria.values_list("pk", flat=True), values))


def submit(campaign, who, department, *values, comment=""):
    return services.scorecard_submit(evaluator=who, campaign=campaign, department=department,
                                     scores=scores(campaign, *values), comment=comment)


def invited(campaign, coordinator, name="人大代表 王某", days=14):
    invitation, token = services.invitation_issue(actor=coordinator, campaign=campaign, name=name, kind="deputy",
                                                  days=days)
    return invitation, token


# --- campaigns --------------------------------------------------------------------------------


def test_a_new_campaign_gets_the_seeds_default_criteria_and_starts_as_a_draft(coordinator, department_a):
    from django.utils import translation

    with translation.override("en"):  # a coordinator reading the site in English: the data stays the county's
        made = services.campaign_create(actor=coordinator, title="評議", period_start=dt.date(2026, 1, 1),
                                        period_end=dt.date(2026, 6, 30), scale=Scale.FIVE_LEVELS,
                                        departments=[department_a])
    assert made.status == CampaignStatus.DRAFT
    assert [(c.name, c.weight) for c in made.criteria.all()] == [
        ("真實性", 20), ("全面性", 20), ("時效性", 20), ("公開性", 20), ("服務", 20)]
    assert Event.objects.filter(kind="campaign.created").count() == 1


def test_only_the_coordinator_and_the_supervisors_create_campaigns(publisher_a, supervisor, department_a):
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=publisher_a, title="評議", period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED, departments=[department_a])
    assert services.campaign_create(actor=supervisor, title="評議", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED,
                                    departments=[department_a]).pk


def test_a_campaign_without_departments_cannot_open(coordinator):
    made = services.campaign_create(actor=coordinator, title="評議", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED, departments=[])
    with pytest.raises(ValidationError):
        services.campaign_open(actor=coordinator, campaign=made)


def test_nobody_scores_a_campaign_being_prepared(coordinator, department_a, evaluator):
    made = services.campaign_create(actor=coordinator, title="評議", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED, departments=[department_a],
                                    evaluators=[evaluator])
    with pytest.raises(ValidationError):
        submit(made, Evaluator(user=evaluator), department_a, 90, 90, 90, 90, 90)


# --- scorecards -------------------------------------------------------------------------------


def test_the_weighted_score_is_the_weighted_average_of_the_criteria(campaign, evaluator, department_a):
    card = submit(campaign, Evaluator(user=evaluator), department_a, 90, 50)
    assert card.status == ScorecardStatus.SUBMITTED
    assert card.total == Decimal("80.00")  # (90×3 + 50×1) / 4


def test_a_five_level_card_counts_each_level_as_points(coordinator, department_a, evaluator):
    made = services.campaign_create(actor=coordinator, title="五級", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.FIVE_LEVELS, departments=[department_a],
                                    evaluators=[evaluator], criteria=[("a", 1), ("b", 1)])
    services.campaign_open(actor=coordinator, campaign=made)
    assert submit(made, Evaluator(user=evaluator), department_a, 5, 4).total == Decimal("90.00")  # (100 + 80) / 2
    with pytest.raises(ValidationError):
        services.scorecard_save(evaluator=Evaluator(user=evaluator), campaign=made, department=department_a,
                                scores=scores(made, 6, 1))


def test_a_draft_may_be_incomplete_and_saved_again_then_submitted_once(campaign, evaluator, department_a):
    me = Evaluator(user=evaluator)
    services.scorecard_save(evaluator=me, campaign=campaign, department=department_a, scores=scores(campaign, 70, None))
    services.scorecard_save(evaluator=me, campaign=campaign, department=department_a, scores=scores(campaign, 75, None),
                            comment="草稿")
    card = Scorecard.objects.get()
    assert card.status == ScorecardStatus.DRAFT and card.total is None and card.scores.get().value == 75
    with pytest.raises(ValidationError):  # every criterion before submitting
        services.scorecard_submit(evaluator=me, campaign=campaign, department=department_a,
                                  scores=scores(campaign, 75, None))
    submit(campaign, me, department_a, 75, 95)
    with pytest.raises(TransitionError):
        submit(campaign, me, department_a, 10, 10)
    with pytest.raises(TransitionError):
        services.scorecard_save(evaluator=me, campaign=campaign, department=department_a, scores=scores(campaign, 1, 1))
    card = Scorecard.objects.get()
    assert card.total == Decimal("80.00") and Scorecard.objects.count() == 1


def test_an_evaluator_not_invited_or_a_department_not_evaluated_is_refused(campaign, make_evaluator, evaluator,
                                                                            office):
    stranger = make_evaluator("stranger")
    with pytest.raises(PermissionDenied):
        submit(campaign, Evaluator(user=stranger), campaign.departments.first(), 80, 80)
    with pytest.raises(PermissionDenied):
        submit(campaign, Evaluator(user=evaluator), office, 80, 80)


def test_a_closed_campaign_is_read_only(campaign, coordinator, evaluator, department_a):
    me = Evaluator(user=evaluator)
    services.scorecard_save(evaluator=me, campaign=campaign, department=department_a, scores=scores(campaign, 70, 70))
    services.campaign_close(actor=coordinator, campaign=campaign)
    for step in (services.scorecard_save, services.scorecard_submit):
        with pytest.raises(ValidationError):
            step(evaluator=me, campaign=campaign, department=department_a, scores=scores(campaign, 70, 70))
    with pytest.raises(TransitionError):
        services.campaign_open(actor=coordinator, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and Scorecard.objects.get().status == ScorecardStatus.DRAFT


# --- invitation links -------------------------------------------------------------------------


def test_an_invitation_link_is_used_once_and_only_its_hash_is_kept(campaign, coordinator):
    invitation, token = invited(campaign, coordinator)
    assert token not in invitation.token_hash and len(token) >= 40
    assert services.invitation_redeem(token=token).pk == invitation.pk
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(token=token)
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(token=token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_an_invitation_link_expires(campaign, coordinator, department_a):
    invitation, token = invited(campaign, coordinator, days=1)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(token=token)
    # Used before it expired: the evaluator's scoring stops with it.
    invitation, token = invited(campaign, coordinator, name="群眾代表 李某")
    services.invitation_redeem(token=token)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        submit(campaign, Evaluator(invitation=invitation), department_a, 80, 80)


def test_an_invitation_of_a_closed_campaign_cannot_be_used(campaign, coordinator):
    _invitation, token = invited(campaign, coordinator)
    services.campaign_close(actor=coordinator, campaign=campaign)
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(token=token)
    with pytest.raises(TransitionError):
        invited(campaign, coordinator)


def test_an_outside_evaluator_scores_through_the_link_without_an_account(client, campaign, coordinator, department_a,
                                                                         department_b):
    _invitation, token = invited(campaign, coordinator)
    link = reverse("supervision:evaluate-invitation", args=[token])
    page = client.get(link)  # a preview does not use it up
    assert page.status_code == 200 and "人大代表 王某" in page.content.decode()
    assert client.post(link).url == EVALUATE
    assert client.get(EVALUATE).status_code == 200
    url = reverse("supervision:scorecard", args=[campaign.pk, department_a.code])
    fields = {f"criterion_{pk}": value for pk, value in scores(campaign, 88, 60).items()}
    assert client.post(url, {**fields, "comment": "窗口服務好", "action": "save"}).status_code == 302
    assert client.post(url, {**fields, "comment": "窗口服務好", "action": "submit"}).url == EVALUATE
    card = Scorecard.objects.get()
    assert card.invitation_id and card.evaluator_id is None and card.total == Decimal("81.00")
    # The link is spent: another browser gets nothing.
    other = client.__class__()
    assert other.post(link).status_code == 404
    assert other.get(url).status_code == 302  # to the sign-in page
    # A submitted card is shown, not changed.
    assert client.post(url, {**fields, "action": "submit"}).status_code == 302
    assert Scorecard.objects.get().total == Decimal("81.00")


def test_two_evaluators_see_only_their_own_scorecards(client, campaign, make_evaluator, evaluator, department_a):
    colleague = make_evaluator("colleague")
    campaign.evaluators.add(colleague)
    submit(campaign, Evaluator(user=colleague), department_a, 11, 11, comment="SECRETCOMMENT")
    client.force_login(evaluator)
    url = reverse("supervision:scorecard", args=[campaign.pk, department_a.code])
    page = client.get(url).content.decode()
    assert "SECRETCOMMENT" not in page and 'value="11"' not in page
    assert "SECRETCOMMENT" not in client.get(EVALUATE).content.decode()
    assert list(services.scorecards_of(Evaluator(user=evaluator))) == []


# --- evaluator pages --------------------------------------------------------------------------


def test_the_evaluator_account_signs_in_on_its_own_page_not_the_admin(client, campaign, evaluator):
    assert client.get(EVALUATE).url.startswith(reverse("supervision:evaluate-login"))
    response = client.post(reverse("supervision:evaluate-login"), {"username": "evaluator", "password": "pw-evaluator"})
    assert response.status_code == 302 and response.url == EVALUATE
    page = client.get(EVALUATE).content.decode()
    assert campaign.title in page and "甲局" in page
    assert client.get("/admin/").status_code == 302  # no admin for evaluators


def test_the_login_page_sends_nowhere_outside_the_evaluation_pages(client, evaluator):
    response = client.post(reverse("supervision:evaluate-login") + "?next=https://evil.example/",
                           {"username": "evaluator", "password": "pw-evaluator", "next": "https://evil.example/"})
    assert response.url == EVALUATE


def test_a_scorecard_posted_with_a_bad_value_comes_back_with_a_message(client, campaign, evaluator, department_a):
    client.force_login(evaluator)
    url = reverse("supervision:scorecard", args=[campaign.pk, department_a.code])
    fields = {f"criterion_{pk}": value for pk, value in scores(campaign, 101, "x").items()}
    response = client.post(url, {**fields, "action": "submit"})
    assert response.status_code == 200 and response.context["form"].errors
    fields = {f"criterion_{pk}": value for pk, value in scores(campaign, 90, "").items()}
    response = client.post(url, {**fields, "action": "submit"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).exists()


def test_the_evaluator_pages_run_a_fixed_number_of_queries(client, coordinator, evaluator, make_evaluator):
    def count():
        client.force_login(evaluator)
        with CaptureQueriesContext(connection) as home:
            assert client.get(EVALUATE).status_code == 200
        return len(home)

    departments = [Department.objects.create(code=f"d{i}", name=f"局{i}", kind=Department.Kind.BUREAU) for i in range(2)]
    made = services.campaign_create(actor=coordinator, title="一", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED, departments=departments,
                                    evaluators=[evaluator])
    services.campaign_open(actor=coordinator, campaign=made)
    few = count()
    more = [Department.objects.create(code=f"e{i}", name=f"署{i}", kind=Department.Kind.BUREAU) for i in range(8)]
    made = services.campaign_create(actor=coordinator, title="二", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 6, 30), scale=Scale.HUNDRED, departments=more,
                                    evaluators=[evaluator])
    services.campaign_open(actor=coordinator, campaign=made)
    for department in more[:4]:
        submit(made, Evaluator(user=evaluator), department, 80, 80, 80, 80, 80)
    assert count() == few


# --- results ----------------------------------------------------------------------------------


def test_results_rank_departments_by_weighted_score_and_equal_scores_share_a_rank(
        coordinator, make_evaluator):
    departments = [Department.objects.create(code=f"d{i}", name=f"局{i}", kind=Department.Kind.BUREAU)
                   for i in range(4)]
    people = [make_evaluator(f"e{i}") for i in range(2)]
    made = services.campaign_create(actor=coordinator, title="排名", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 12, 31), scale=Scale.HUNDRED, departments=departments,
                                    evaluators=people, criteria=[("a", 1), ("b", 3)])
    services.campaign_open(actor=coordinator, campaign=made)
    e0, e1 = (Evaluator(user=p) for p in people)
    submit(made, e0, departments[0], 100, 80, comment="好")   # 85
    submit(made, e1, departments[0], 60, 60)                 # 60   → 72.50
    submit(made, e0, departments[1], 70, 74)                 # 73
    submit(made, e1, departments[1], 72, 72)                 # 72   → 72.50 (tie)
    submit(made, e0, departments[2], 90, 90)                 # 90   → 90.00
    services.scorecard_save(evaluator=e1, campaign=made, department=departments[2], scores=scores(made, 0, 0))  # draft
    rows = campaign_results.results(made)
    table = [(r.department.code, r.score, r.rank, r.cards) for r in rows]
    assert table == [("d2", Decimal("90.00"), 1, 1), ("d0", Decimal("72.50"), 2, 2), ("d1", Decimal("72.50"), 2, 2),
                     ("d3", None, None, 0)]
    assert rows[1].comments == ["好"]
    first, second = made.criteria.all()
    assert rows[1].criteria == {first.pk: Decimal("80.0"), second.pk: Decimal("70.0")}


def test_results_are_public_only_once_the_campaign_is_closed(client, campaign, coordinator, evaluator, department_a,
                                                             cold_pages):
    submit(campaign, Evaluator(user=evaluator), department_a, 90, 50, comment="公示欄更新及時")
    url = reverse("supervision:campaign-results", args=[campaign.pk])
    assert client.get(url).status_code == 404
    assert campaign.title not in client.get(reverse("supervision:campaign-list")).content.decode()
    services.campaign_close(actor=coordinator, campaign=campaign)
    page = client.get(url).content.decode()
    assert "80.00" in page and "公示欄更新及時" in page and "evaluator" not in page and "代表" not in page
    assert campaign.title in client.get(reverse("supervision:campaign-list")).content.decode()


def test_the_results_page_runs_a_fixed_number_of_queries(client, coordinator, make_evaluator, cold_pages):  # noqa
    def page_queries(n):
        departments = [Department.objects.create(code=f"q{n}-{i}", name=f"局{n}-{i}", kind=Department.Kind.BUREAU)
                       for i in range(n)]
        people = [make_evaluator(f"q{n}-{i}") for i in range(n)]
        made = services.campaign_create(actor=coordinator, title=f"查{n}", period_start=dt.date(2026, 1, 1),
                                        period_end=dt.date(2026, 12, 31), scale=Scale.HUNDRED,
                                        departments=departments, evaluators=people)
        services.campaign_open(actor=coordinator, campaign=made)
        for person in people:
            for department in departments:
                submit(made, Evaluator(user=person), department, 80, 70, 60, 90, 100, comment="意見")
        services.campaign_close(actor=coordinator, campaign=made)

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("supervision:campaign-results", args=[made.pk])).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(5)


def test_the_office_previews_results_and_issues_links_in_the_admin(client_for, campaign, coordinator, publisher_a):
    client = client_for(coordinator)
    assert client.get(reverse("admin:supervision_campaign_results", args=[campaign.pk])).status_code == 200
    url = reverse("admin:supervision_campaign_invitations", args=[campaign.pk])
    page = client.post(url, {"names": "人大代表 甲\n群眾代表 乙\n", "kind": "deputy", "days": "7"}).content.decode()
    links = re.findall(r"/supervision/evaluate/invitation/([\w-]+)/", page)
    assert len(links) == 2 and Invitation.objects.count() == 2
    assert not any(link in client.get(url).content.decode() for link in links)  # shown once
    assert services.invitation_redeem(token=links[0]).name == "人大代表 甲"
    other = client_for(publisher_a)
    assert other.get(url).status_code in (302, 403, 404)


def test_the_admin_edits_a_campaign_only_while_it_is_prepared(client_for, campaign, coordinator):
    client = client_for(coordinator)
    response = client.get(reverse("admin:supervision_campaign_change", args=[campaign.pk]))
    assert response.status_code == 200 and not response.context["has_change_permission"]


def test_the_admin_add_form_offers_the_default_criteria(client_for, coordinator, department_a):
    client = client_for(coordinator)
    page = client.get(reverse("admin:supervision_campaign_add")).content.decode()
    assert page.count('name="criteria-') >= 15 and 'value="20"' in page
    data = {
        "title": "新評議", "period_start": "2026-01-01", "period_end": "2026-12-31", "scale": "hundred",
        "departments": [department_a.pk],
        "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000", "criteria-0-name": "真實性", "criteria-0-weight": "100",
        "criteria-0-position": "0",
    }
    response = client.post(reverse("admin:supervision_campaign_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    made = Campaign.objects.get()
    assert made.created_by == coordinator and list(made.criteria.values_list("weight", flat=True)) == [100]
    assert Event.objects.filter(kind="campaign.created").exists()


# --- the indicator ----------------------------------------------------------------------------


def test_the_evaluation_score_indicator_averages_the_cards_of_closed_campaigns(coordinator, make_evaluator,
                                                                                department_a, department_b):
    people = [make_evaluator(f"i{i}") for i in range(3)]

    def campaign_of(year, criteria=(("a", 1),)):
        made = services.campaign_create(actor=coordinator, title=f"{year}", period_start=dt.date(year, 1, 1),
                                        period_end=dt.date(year, 12, 31), scale=Scale.HUNDRED,
                                        departments=[department_a, department_b], evaluators=people,
                                        criteria=list(criteria))
        return services.campaign_open(actor=coordinator, campaign=made)

    closed, still_open, last_year = campaign_of(2026), campaign_of(2026), campaign_of(2025)
    for person, value in zip(people, (90, 80, 70)):
        submit(closed, Evaluator(user=person), department_a, value)
    submit(closed, Evaluator(user=people[0]), department_b, 55)
    submit(still_open, Evaluator(user=people[0]), department_a, 10)  # not published: not counted
    submit(last_year, Evaluator(user=people[0]), department_a, 20)   # another year
    for made in (closed, last_year):
        services.campaign_close(actor=coordinator, campaign=made)
    assert indicators.get("supervision.evaluation_score") is EVALUATION_SCORE
    figures = indicators.by_department(EVALUATION_SCORE, Period.year(2026))
    assert figures[department_a.pk].value == 80.0 and figures[department_b.pk].value == 55.0
    assert indicators.county(EVALUATION_SCORE, Period.year(2026)).value == 73.8  # (90+80+70+55) / 4
    assert indicators.by_department(EVALUATION_SCORE, Period.year(2025))[department_a.pk].value == 20.0
    behind = indicators.records(EVALUATION_SCORE, Period.year(2026), department_a.pk)
    assert sorted(card.total for card in behind) == [Decimal("70.00"), Decimal("80.00"), Decimal("90.00")]


# --- demo -------------------------------------------------------------------------------------


def test_the_demo_evaluator_signs_in_and_finds_the_open_campaign(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", password="demo-Passw0rd-for-tests", stdout=StringIO())
    assert Campaign.objects.filter(status=CampaignStatus.CLOSED).count() == 2
    response = client.post(reverse("supervision:evaluate-login"),
                           {"username": "evaluator", "password": "demo-Passw0rd-for-tests"})
    assert response.status_code == 302 and response.url == EVALUATE
    page = client.get(EVALUATE).content.decode()
    assert "2026年度政務公開民主評議" in page
    still_open = Campaign.objects.get(status=CampaignStatus.OPEN)
    assert still_open.scorecards.filter(status=ScorecardStatus.DRAFT).exists()
    assert still_open.invitations.filter(redeemed_at__isnull=True).exists()
    closed = Campaign.objects.filter(status=CampaignStatus.CLOSED).first()
    results = campaign_results.results(closed, with_comments=False)
    assert all(row.cards == 5 for row in results) and results[0].rank == 1
    assert client.get(reverse("supervision:campaign-results", args=[closed.pk])).status_code == 200
