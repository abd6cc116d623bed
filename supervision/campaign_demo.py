"""Demo evaluation campaigns (``seed_demo``): the 2025 annual evaluation and the first half
of 2026, closed with their results published, and the 2026 annual evaluation open, in which
the demo ``evaluator`` account has scored some departments and saved a draft for another.
Idempotent: skipped once any campaign exists."""

import datetime as dt
import random

from django.contrib.auth import get_user_model

from portal.models import Department
from portal.roles import Role
from supervision.models import Campaign, Scale
from supervision.services import campaigns as services
from supervision.services.campaigns import Evaluator

EVALUATED = ["personnel", "education", "civil-affairs", "finance", "health", "transport", "prices", "land",
             "agriculture", "construction"]
OUTSIDE = [("縣人大代表 孫某", "deputy"), ("縣政協委員 吳某", "cppcc"), ("群眾代表 鄭某", "citizen"),
           ("特邀監督員 馮某", "supervisor")]
COMMENTS = ["公開欄內容更新及時,辦事指南清楚。", "收費依據未在窗口公示,建議整改。", "網上公開信息不全,部分文件無法下載。",
            "窗口人員態度好,一次告知到位。", ""]


def _scores(campaign, rng: random.Random, quality: int) -> dict[int, int]:
    low, high = campaign.value_range
    return {
        criterion.pk: max(low, min(high, quality + rng.randint(-1, 1) if campaign.scale == Scale.FIVE_LEVELS
                                  else quality + rng.randint(-8, 8)))
        for criterion in campaign.criteria.all()
    }


def _run(campaign, actor, departments, evaluators, rng, *, close: bool, leave: int = 0):
    """Every evaluator scores every department (but the last ``leave`` for the first one)."""
    five = campaign.scale == Scale.FIVE_LEVELS
    for number, evaluator in enumerate(evaluators):
        for position, department in enumerate(departments):
            if number == 0 and position >= len(departments) - leave:
                if position == len(departments) - leave:
                    services.scorecard_save(evaluator=evaluator, campaign=campaign, department=department,
                                            scores=dict(list(_scores(campaign, rng, 4 if five else 80).items())[:2]),
                                            comment="")
                continue
            quality = (5 - position // 3) if five else 92 - 3 * position  # a clear ranking, with noise
            services.scorecard_submit(evaluator=evaluator, campaign=campaign, department=department,
                                      scores=_scores(campaign, rng, quality), comment=rng.choice(COMMENTS))
    if close:
        services.campaign_close(actor=actor, campaign=campaign)


def load(stdout) -> None:
    if Campaign.objects.exists():
        return
    User = get_user_model()
    coordinator = User.objects.filter(staff_profile__role=Role.COORDINATOR).first()
    account = User.objects.filter(username="evaluator", groups__name=Role.EVALUATOR.value).first()
    departments = list(Department.objects.filter(code__in=EVALUATED).order_by("pk"))
    rng = random.Random(13)
    plans = [
        ("2025年度政務公開民主評議", dt.date(2025, 1, 1), dt.date(2025, 12, 31), Scale.HUNDRED, True),
        ("2026年上半年政務公開民主評議", dt.date(2026, 1, 1), dt.date(2026, 6, 30), Scale.FIVE_LEVELS, True),
        ("2026年度政務公開民主評議", dt.date(2026, 1, 1), dt.date(2026, 12, 31), Scale.HUNDRED, False),
    ]
    for title, start, end, scale, close in plans:
        campaign = services.campaign_create(
            actor=coordinator, title=title, period_start=start, period_end=end, scale=scale,
            departments=departments, evaluators=[account] if account else [])
        services.campaign_open(actor=coordinator, campaign=campaign)
        evaluators = [Evaluator(user=account)] if account else []
        for name, kind in OUTSIDE[: 4 if close else 2]:
            _invitation, token = services.invitation_issue(actor=coordinator, campaign=campaign, name=name, kind=kind)
            evaluators.append(Evaluator(invitation=services.invitation_redeem(token=token)))
        if not close:  # one link not used yet
            services.invitation_issue(actor=coordinator, campaign=campaign, name="群眾代表 陳某", kind="citizen")
        _run(campaign, coordinator, departments, evaluators, rng, close=close, leave=0 if close else 4)
    stdout.write(f"Supervision: {len(plans)} evaluation campaigns (two closed with published results, one open).")
