import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_curators_edit_the_record_and_only_reviewers_publish_verdicts():
    curators = set(Group.objects.get(name="curators").permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name="reviewers").permissions.values_list("codename", flat=True))
    assert {"add_quote", "change_claim", "delete_claimrelation", "add_attribution"} <= curators
    assert "review_claim" not in curators and "change_review" not in curators
    assert {"review_claim", "add_review", "change_review", "view_quote"} <= reviewers
    assert "delete_speaker" not in reviewers
