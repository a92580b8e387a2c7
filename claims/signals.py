"""Derived columns (checksums, folded search text) kept in step with what they derive from.

These run on every save, including `loaddata`'s raw saves, which skip Model.save(): a fixture
therefore never has to carry a checksum or a search document, and can never carry a wrong one.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Claim, ClaimRelation, Quote, Review, Source, Speaker, SpeakerAlias
from .text import fold, search_document


@receiver(pre_save, sender=Source)
def compute_source_checksum(sender, instance, **kwargs):
    instance.sha256 = Source.checksum(instance.text)


@receiver(pre_save, sender=Quote)
def derive_quote_fields(sender, instance, **kwargs):
    instance.derive_fields()


@receiver(pre_save, sender=Claim)
def derive_claim_search_document(sender, instance, **kwargs):
    instance.search_document = search_document(instance.text)


@receiver(post_save, sender=Claim)
def derive_loaded_claim_flags(sender, instance, raw=False, **kwargs):
    if raw:  # a fixture may list a claim after its relations and reviews, and never decides the flags itself
        loaded = Claim.objects.filter(pk=instance.pk)
        loaded.refresh_disputed()
        loaded.refresh_verdicts()


@receiver(pre_save, sender=ClaimRelation)
def remember_related_claims(sender, instance, **kwargs):
    """The claims a relation linked before this save: an edit can move it off a claim, or change its kind."""
    before = None
    if instance.pk is not None:
        before = ClaimRelation.objects.filter(pk=instance.pk).values_list("from_claim_id", "to_claim_id").first()
    instance._claims_before = before or ()


@receiver(post_save, sender=ClaimRelation)
@receiver(post_delete, sender=ClaimRelation)
def refresh_dispute_flags(sender, instance, **kwargs):
    linked = {instance.from_claim_id, instance.to_claim_id, *getattr(instance, "_claims_before", ())}
    Claim.objects.filter(pk__in=linked).refresh_disputed()


@receiver(pre_save, sender=Review)
def remember_reviewed_claim(sender, instance, **kwargs):
    """The claim a review judged before this save: an edit can move it to another claim."""
    before = None
    if instance.pk is not None:
        before = Review.objects.filter(pk=instance.pk).values_list("claim_id", flat=True).first()
    instance._claim_before = before


@receiver(post_save, sender=Review)
@receiver(post_delete, sender=Review)
def refresh_verdict_flags(sender, instance, **kwargs):
    judged = {instance.claim_id, getattr(instance, "_claim_before", None)} - {None}
    Claim.objects.filter(pk__in=judged).refresh_verdicts()


@receiver(pre_save, sender=Speaker)
def derive_speaker_search_document(sender, instance, **kwargs):
    instance.search_document = instance.build_search_document()


@receiver(pre_save, sender=SpeakerAlias)
def fold_alias(sender, instance, **kwargs):
    instance.folded_name = fold(instance.name)


@receiver(post_save, sender=SpeakerAlias)
@receiver(post_delete, sender=SpeakerAlias)
def refresh_speaker_search_document(sender, instance, **kwargs):
    speaker = Speaker.objects.filter(pk=instance.speaker_id).first()
    if speaker is not None:
        speaker.refresh_search_document()
