"""Load the 21 APO member economies as of 2022 (data copied from the reference list)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "apo_members_2022.csv"


def load(apps, schema_editor):
    MemberCountry = apps.get_model("apopms", "MemberCountry")
    with DATA.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            MemberCountry.objects.update_or_create(
                iso2=row["iso2"],
                defaults={
                    "name": row["name"],
                    "joined_year": int(row["joined_year"]),
                    "time_zone": row["timezone"],
                    "npo_name": row["npo_name"],
                    "npo_name_verified": row["npo_name_verified"] == "yes",
                    "active": True,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("apopms", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
