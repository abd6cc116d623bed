"""Published decisions counted by the database itself (``DecisionTotal``), per department,
year decided and outcome, so that the public results list never counts the applications
(issue 15). An application counts while it is decided (``Application.objects.decided()``:
a decided status and a decision date); it counts for its item's department, so an item
moving to another department moves its decisions' counts with it."""

import django.db.models.deletion
from django.db import migrations, models

from portal.migration_sql import vendor_sql

DECIDED = "('decided', 'completed', 'rejected')"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION approvals_decision_total_add(dept bigint, day date, refused boolean, delta bigint)
RETURNS void AS $$
    INSERT INTO approvals_decisiontotal (department_id, year, rejected, count)
    VALUES (dept, EXTRACT(YEAR FROM day)::smallint, refused, delta)
    ON CONFLICT (department_id, year, rejected) DO UPDATE SET count = approvals_decisiontotal.count + EXCLUDED.count;
$$ LANGUAGE sql;
CREATE OR REPLACE FUNCTION approvals_decision_total() RETURNS trigger AS $$
DECLARE
    was_decided boolean := TG_OP IN ('DELETE', 'UPDATE') AND OLD.decided_on IS NOT NULL AND OLD.status IN {DECIDED};
    is_decided boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.decided_on IS NOT NULL AND NEW.status IN {DECIDED};
BEGIN
    IF TG_OP = 'UPDATE' AND was_decided = is_decided AND (NOT is_decided OR (NEW.item_id = OLD.item_id AND NEW.decided_on = OLD.decided_on
       AND (NEW.status = 'rejected') = (OLD.status = 'rejected'))) THEN
        RETURN NULL;
    END IF;
    IF was_decided THEN
        PERFORM approvals_decision_total_add(
            (SELECT department_id FROM approvals_approvalitem WHERE id = OLD.item_id), OLD.decided_on, OLD.status = 'rejected', -1);
    END IF;
    IF is_decided THEN
        PERFORM approvals_decision_total_add(
            (SELECT department_id FROM approvals_approvalitem WHERE id = NEW.item_id), NEW.decided_on, NEW.status = 'rejected', 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER approvals_decision_total
    AFTER INSERT OR DELETE OR UPDATE OF status, decided_on, item_id ON approvals_application
    FOR EACH ROW EXECUTE FUNCTION approvals_decision_total();
CREATE OR REPLACE FUNCTION approvals_decision_total_item() RETURNS trigger AS $$
BEGIN
    INSERT INTO approvals_decisiontotal (department_id, year, rejected, count)
    SELECT department, EXTRACT(YEAR FROM decided_on)::smallint, status = 'rejected', sum(sign)
    FROM approvals_application, (VALUES (OLD.department_id, -1), (NEW.department_id, 1)) AS moved (department, sign)
    WHERE item_id = NEW.id AND decided_on IS NOT NULL AND status IN {DECIDED}
    GROUP BY 1, 2, 3
    ON CONFLICT (department_id, year, rejected) DO UPDATE SET count = approvals_decisiontotal.count + EXCLUDED.count;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER approvals_decision_total_item
    AFTER UPDATE OF department_id ON approvals_approvalitem
    FOR EACH ROW WHEN (NEW.department_id IS DISTINCT FROM OLD.department_id)
    EXECUTE FUNCTION approvals_decision_total_item();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS approvals_decision_total_item ON approvals_approvalitem;
DROP TRIGGER IF EXISTS approvals_decision_total ON approvals_application;
DROP FUNCTION IF EXISTS approvals_decision_total_item();
DROP FUNCTION IF EXISTS approvals_decision_total();
DROP FUNCTION IF EXISTS approvals_decision_total_add(bigint, date, boolean, bigint);
"""


def _sqlite_add(row: str, sign: int) -> str:
    """SQLite: add ``sign`` to the total of ``row`` (NEW or OLD) if it is decided."""
    return (
        "INSERT INTO approvals_decisiontotal (department_id, year, rejected, count) "
        f"SELECT department_id, CAST(strftime('%Y', {row}.decided_on) AS INTEGER), {row}.status = 'rejected', {sign} "
        f"FROM approvals_approvalitem WHERE id = {row}.item_id AND {row}.decided_on IS NOT NULL AND {row}.status IN {DECIDED} "
        "ON CONFLICT (department_id, year, rejected) DO UPDATE SET count = count + excluded.count;"
    )


def _sqlite_move(department: str, sign: int) -> str:
    """SQLite: add ``sign`` × the decisions of the moved item to ``department``'s totals."""
    return (
        "INSERT INTO approvals_decisiontotal (department_id, year, rejected, count) "
        f"SELECT {department}, CAST(strftime('%Y', decided_on) AS INTEGER), status = 'rejected', {sign} * count(*) "
        f"FROM approvals_application WHERE item_id = NEW.id AND decided_on IS NOT NULL AND status IN {DECIDED} "
        "GROUP BY 2, 3 "
        "ON CONFLICT (department_id, year, rejected) DO UPDATE SET count = count + excluded.count;"
    )


SQLITE_FORWARD = [
    "CREATE TRIGGER approvals_decision_total_insert AFTER INSERT ON approvals_application BEGIN "
    + _sqlite_add("NEW", 1) + " END;",
    "CREATE TRIGGER approvals_decision_total_delete AFTER DELETE ON approvals_application BEGIN "
    + _sqlite_add("OLD", -1) + " END;",
    "CREATE TRIGGER approvals_decision_total_update AFTER UPDATE OF status, decided_on, item_id ON approvals_application "
    "WHEN NEW.status IS NOT OLD.status OR NEW.decided_on IS NOT OLD.decided_on OR NEW.item_id IS NOT OLD.item_id BEGIN "
    + _sqlite_add("OLD", -1) + " " + _sqlite_add("NEW", 1) + " END;",
    "CREATE TRIGGER approvals_decision_total_item AFTER UPDATE OF department_id ON approvals_approvalitem "
    "WHEN NEW.department_id IS NOT OLD.department_id BEGIN "
    + _sqlite_move("OLD.department_id", -1) + " " + _sqlite_move("NEW.department_id", 1) + " END;",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS approvals_decision_total_{name};" for name in ("insert", "delete", "update", "item")
]


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0009_guide_fields_optional'),
        ('portal', '0010_verbose_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('rejected', models.BooleanField(verbose_name='rejected')),
                ('count', models.BigIntegerField(default=0, verbose_name='count')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.department', verbose_name='department')),
            ],
            options={
                'verbose_name': 'decision total',
                'verbose_name_plural': 'decision totals',
                'ordering': ['department', 'year', 'rejected'],
                'constraints': [models.UniqueConstraint(fields=('department', 'year', 'rejected'), name='decision_total_unique')],
            },
        ),
        vendor_sql(postgresql=PG_FORWARD, sqlite=SQLITE_FORWARD, reverse_postgresql=PG_REVERSE, reverse_sqlite=SQLITE_REVERSE),
    ]
