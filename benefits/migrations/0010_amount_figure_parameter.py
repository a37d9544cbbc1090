"""Amount value and cap hold a figure or a parameter key (rules.figures), so they become text."""

from django.db import migrations, models

HELP = "A figure in yuan, or the key of a parameter (its value on the screening date)."


def blank_for_null(apps, schema_editor):
    for name in ("Amount", "HistoricalAmount"):
        model = apps.get_model("benefits", name)
        model.objects.filter(value__isnull=True).update(value="")
        model.objects.filter(cap__isnull=True).update(cap="")


def figures_as_written(apps, schema_editor):
    """"1000.00" (how PostgreSQL casts a decimal to text) → "1000", as the files write it."""
    from decimal import Decimal

    for name in ("Amount", "HistoricalAmount"):
        model = apps.get_model("benefits", name)
        for row in model.objects.exclude(value="", cap=""):
            for field in ("value", "cap"):
                text = getattr(row, field)
                try:
                    number = Decimal(text)
                except ArithmeticError:
                    continue
                normal = number.normalize()
                if normal == normal.to_integral_value():
                    normal = normal.quantize(Decimal(1))
                setattr(row, field, str(normal))
            row.save(update_fields=["value", "cap"])


def field(label, null):
    return models.CharField(label, max_length=80, blank=True, null=null, help_text=HELP)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0009_fact_past")]

    operations = [
        *(
            migrations.AlterField(model_name=model, name=name, field=field(label, True))
            for model in ("amount", "historicalamount")
            for name, label in (("value", "fixed value"), ("cap", "cap"))
        ),
        migrations.RunPython(blank_for_null, migrations.RunPython.noop),
        migrations.RunPython(figures_as_written, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=model, name=name, field=field(label, False))
            for model in ("amount", "historicalamount")
            for name, label in (("value", "fixed value"), ("cap", "cap"))
        ),
    ]
