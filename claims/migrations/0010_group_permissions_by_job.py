"""Each working group gets exactly what its job needs, and nothing else.

Curators curate: they add, change and delete speakers (their aliases and roles), sources, quotes,
topics, claims, attributions and claim relations, and read the verdicts. Reviewers review: they read
everything, assign claims and publish and reopen verdicts (`review_claim`), and write and discard
their own draft verdicts (add, change and delete review; the workflow in claims/reviews.py decides
whose draft and which status). Reviewers no longer hold `change_claim`: a claim's wording, notes and
topics are the curators' work. Permissions are set exactly (not added to), so a permission granted by
hand to a group is taken away here too; nobody's individual permissions are touched.
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
VERDICT_MODELS = ["review", "reviewevent"]


def codenames(actions, models):
    return {f"{action}_{model}" for model in models for action in actions}


GROUP_PERMISSIONS = {
    "curators": codenames(["add", "change", "delete", "view"], CURATED_MODELS) | codenames(["view"], VERDICT_MODELS),
    "reviewers": codenames(["view"], CURATED_MODELS + VERDICT_MODELS)
    | codenames(["add", "change", "delete"], ["review"])
    | {"review_claim"},
}

# As 0002 left them, for migrating backwards.
EARLIER_PERMISSIONS = {
    "curators": GROUP_PERMISSIONS["curators"],
    "reviewers": codenames(["view"], CURATED_MODELS + VERDICT_MODELS)
    | codenames(["add", "change"], ["review"])
    | {"change_claim", "review_claim"},
}


def set_permissions(apps, wanted_by_group):
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which historical apps lack.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in wanted_by_group.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=wanted)
        missing = wanted - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def give_each_group_its_job(apps, schema_editor):
    set_permissions(apps, GROUP_PERMISSIONS)


def restore_earlier_permissions(apps, schema_editor):
    set_permissions(apps, EARLIER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_approved_quotes_by_speaker_index")]

    operations = [migrations.RunPython(give_each_group_its_job, restore_earlier_permissions)]
