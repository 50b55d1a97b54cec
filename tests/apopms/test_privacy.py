"""Every personal field of every model is declared with its purpose and retention (`apopms.privacy`)."""

from django.apps import apps

from apopms import privacy

PROJECT_APPS = ("apopms", "nominations", "agenda", "certificates", "workspace")


def _project_models():
    return [model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS]


def test_every_field_that_looks_personal_is_declared_personal_or_not():
    undeclared = []
    for model in _project_models():
        label = model._meta.label
        declared = privacy.personal_fields(label)
        for field in model._meta.concrete_fields:
            if field.is_relation or not privacy.looks_personal(field):
                continue
            if field.name not in declared and f"{label}.{field.name}" not in privacy.NOT_PERSONAL:
                undeclared.append(f"{label}.{field.name}")
    assert undeclared == []


def test_the_check_catches_a_field_named_like_personal_data():
    user_fields = {field.name: field for field in apps.get_model("apopms", "User")._meta.concrete_fields}
    nomination_fields = {
        field.name: field for field in apps.get_model("nominations", "Nomination")._meta.concrete_fields
    }

    assert privacy.looks_personal(user_fields["email"])
    assert privacy.looks_personal(nomination_fields["date_of_birth"])
    assert privacy.looks_personal(nomination_fields["phone"])
    assert privacy.looks_personal(nomination_fields["cv"])
    assert not privacy.looks_personal(nomination_fields["priority"])


def test_every_declaration_names_a_real_field_and_a_known_retention():
    stale = []
    for label, fields in privacy.PERSONAL_FIELDS.items():
        model = apps.get_model(label)
        names = {field.name for field in model._meta.concrete_fields}
        stale += [f"{label}.{name}" for name in fields if name not in names]
        stale += [
            f"{label}.{name}: {p.retention}"
            for name, p in fields.items()
            if p.retention not in privacy.RETENTION_CLASSES
        ]
    for dotted in privacy.NOT_PERSONAL:
        label, name = dotted.rsplit(".", 1)
        if name not in {field.name for field in apps.get_model(label)._meta.concrete_fields}:
            stale.append(dotted)
    assert stale == []
