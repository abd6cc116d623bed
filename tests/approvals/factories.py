"""factory_boy factories for approvals. Items and fees are put on the register through the
services (``establish``), so that their change log exists as in real use."""

import datetime as dt
from decimal import Decimal

import factory

from approvals import services, tracking
from approvals.models import ApplicantKind, Application, ApprovalItem, FeeItem, Material, ProcedureStep, ServiceHall, ServiceWindow
from tests.factories import DepartmentFactory


class ServiceHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHall

    name = factory.Sequence(lambda n: f"政務服務大廳{n}")
    department = factory.SubFactory(DepartmentFactory)
    address = "人民路1號"
    opening_hours = "週一至週五 8:30–12:00, 14:30–17:30"


class ServiceWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceWindow
        skip_postgeneration_save = True

    hall = factory.SubFactory(ServiceHallFactory)
    # From 101: the conftest's window is number 7 of its hall, and a sequence reaching "7"
    # in the same hall broke the unique (hall, number) constraint depending on test order.
    number = factory.Sequence(lambda n: str(n + 101))
    name = factory.LazyAttribute(lambda window: f"{window.hall.name}{window.number}號窗口")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class ApprovalItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalItem

    code = factory.Sequence(lambda n: f"SP-{n:05d}")
    name = factory.Sequence(lambda n: f"道路運輸經營許可{n}")
    department = factory.SubFactory(DepartmentFactory)
    basis_law = "《中華人民共和國道路運輸條例》"
    basis_article = "第十條"
    conditions = "有與其經營業務相適應並經檢測合格的車輛。"
    statutory_limit = 20
    promised_limit = 10
    consultation_phone = "0915-5210017"
    complaint_phone = "0915-5210012"


def establish(actor=None, *, on=dt.date(2020, 1, 1), document_number="漢政發〔2020〕1號", **fields):
    """A new item established through the service (actor: a coordinator or the department's
    publisher; None writes directly, for fixtures that are not about permissions)."""
    item = ApprovalItemFactory.build(**fields)
    if item.department_id is None or item.department.pk is None:
        item.department.save()
        item.department_id = item.department.pk
    if actor is None:
        item.save()
        item.changes.create(kind="establish", effective_on=on, document_number=document_number)
        return item
    return services.approval_item_establish(actor=actor, item=item, effective_on=on, document_number=document_number)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ApprovalItemFactory)
    name = factory.Sequence(lambda n: f"申請表{n}")


class ProcedureStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureStep

    item = factory.SubFactory(ApprovalItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "受理"


class FeeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    code = factory.Sequence(lambda n: f"FEE-{n:05d}")
    name = factory.Sequence(lambda n: f"證照工本費{n}")
    department = factory.SubFactory(DepartmentFactory)
    legal_basis = "《國家發展改革委、財政部關於規範證照工本費的通知》"
    standard_kind = "fixed"
    amount = Decimal("10.00")
    unit = "本"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """Written directly; use ``services.application_register`` where the rules matter."""

    class Meta:
        model = Application

    tracking_number = factory.LazyAttribute(lambda application: tracking.new_tracking_number(application.received_on))
    item = factory.SubFactory(ApprovalItemFactory)
    applicant_kind = ApplicantKind.PERSON
    applicant_name = "張小明"
    applicant_id_number = "11010519491231002X"
    applicant_phone = "13812345678"
    received_on = dt.date(2026, 9, 1)
    due_on = dt.date(2026, 9, 15)
