"""The two working groups and their model permissions.

Curators build the record; reviewers publish verdicts. Permissions are created by a post_migrate
signal that has not run yet inside this migration, so they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = [
    "speaker",
    "speakeralias",
    "role",
    "source",
    "quote",
    "topic",
    "claim",
    "attribution",
    "claimrelation",
]
REVIEW_MODELS = ["review"]
ALL_MODELS = CURATED_MODELS + REVIEW_MODELS + ["reviewevent"]


def codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


GROUP_PERMISSIONS = {
    "curators": codenames(["add", "change", "delete", "view"], CURATED_MODELS)
    + codenames(["view"], REVIEW_MODELS + ["reviewevent"]),
    "reviewers": codenames(["view"], ALL_MODELS)
    + codenames(["add", "change"], REVIEW_MODELS)
    + ["change_claim", "review_claim"],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which historical apps lack.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=wanted)
        missing = set(wanted) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
