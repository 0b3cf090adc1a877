"""Tenders: a brand posts a job with a budget and an offer deadline; crowd members send
proposals; an award makes a contract whose milestones are paid through their own escrow
(funded → delivered → released, or disputed and decided by an operator); reviews both ways."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tolpa.accounts.models import Organization
from tolpa.campaigns.models import Campaign

AUTO_RELEASE_DAYS = 14


class Tender(models.Model):
    """The job. Title, Markdown description, skills (tags), language and the offer deadline
    (`ends_at`) live on the campaign; the budget is fixed when min == max."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="tender")
    currency = models.CharField(_("currency"), max_length=3)
    budget_min = models.BigIntegerField(_("budget from (minor units)"))
    budget_max = models.BigIntegerField(_("budget up to (minor units)"))
    proposals_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__gt=0, budget_max__gte=models.F("budget_min")),
                name="marketplace_tender_budget_valid",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def is_fixed(self) -> bool:
        return self.budget_min == self.budget_max


class TenderAttachment(models.Model):
    """A reference file of the job, checked by its bytes (images or PDF)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="tenders/%Y/%m/")
    kind = models.CharField(max_length=8)
    name = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", pgettext_lazy("proposal status", "Declined")


class Proposal(models.Model):
    """An offer: private to its author and the tender's brand."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="proposals")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tender_proposals"
    )
    price = models.BigIntegerField(_("price (minor units)"))
    days = models.PositiveIntegerField(_("timeline (days)"))
    cover_letter = models.TextField(_("cover letter"), max_length=10_000)
    portfolio_links = models.JSONField(_("portfolio links"), default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    shortlisted = models.BooleanField(default=False)
    decline_reason = models.TextField(_("why the brand declined"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "freelancer"],
                condition=~models.Q(status="withdrawn"),
                name="marketplace_one_live_proposal_per_freelancer",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gt=0, days__gte=1, days__lte=3650),
                name="marketplace_proposal_terms_valid",
            ),
        ]

    def __str__(self):
        return f"{self.freelancer} on {self.tender}"


class ProposalMessage(models.Model):
    """The private question-and-answer thread of one proposal (brand ↔ freelancer)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_brand = models.BooleanField(default=False)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.body[:40]


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class Contract(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="contract")
    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="contracts")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tender_contracts"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tender_contracts"
    )
    currency = models.CharField(max_length=3)
    price = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0), name="marketplace_price_positive"
            )
        ]

    def __str__(self):
        return f"{self.tender} · {self.freelancer}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Not funded")
    FUNDED = "funded", _("Funded, in progress")
    DELIVERED = "delivered", _("Delivered, awaiting review")
    DISPUTED = "disputed", _("Disputed")
    RELEASED = "released", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    SPLIT = "split", _("Split by an operator")


FINAL_STATUSES = (MilestoneStatus.RELEASED, MilestoneStatus.REFUNDED, MilestoneStatus.SPLIT)
HELD_STATUSES = (MilestoneStatus.FUNDED, MilestoneStatus.DELIVERED, MilestoneStatus.DISPUTED)


class Milestone(models.Model):
    """A part of the contract paid through its own escrow account, exactly once."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    amount = models.BigIntegerField(_("amount (minor units)"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        max_length=10,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PENDING,
        db_index=True,
    )
    funded_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.BigIntegerField(default=0)  # gross released to the freelancer
    fee_amount = models.BigIntegerField(default=0)  # the platform's part of `paid_amount`
    refunded_amount = models.BigIntegerField(default=0)
    auto_released = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="marketplace_milestone_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["contract", "position"], name="marketplace_milestone_order"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def escrow_reference(self) -> str:
        return f"tender-milestone:{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Delivery(models.Model):
    """What the freelancer hands in for a milestone, and the brand's answer to it."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        CHANGES = "changes", _("Changes requested")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliveries")
    message = models.TextField(max_length=10_000)
    file = models.FileField(upload_to="tender-deliveries/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    feedback = models.TextField(max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"delivery {self.pk} of {self.milestone}"


class DisputeDecision(models.TextChoices):
    RELEASE = "release", _("Release to the freelancer")
    REFUND = "refund", _("Refund to the brand")
    SPLIT = "split", _("Split")


class Dispute(models.Model):
    """Freezes a funded milestone's escrow until an operator decides, once."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="dispute")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_brand = models.BooleanField()
    reason = models.TextField(max_length=4000)
    previous_status = models.CharField(max_length=10, choices=MilestoneStatus.choices)
    opened_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=DisputeDecision.choices, blank=True)
    freelancer_amount = models.BigIntegerField(default=0)
    brand_amount = models.BigIntegerField(default=0)
    note = models.TextField(max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"dispute on {self.milestone}"


class ReviewSide(models.TextChoices):
    BRAND = "brand", _("The brand about the freelancer")
    FREELANCER = "freelancer", _("The freelancer about the brand")


class Review(models.Model):
    """One per side per completed contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    side = models.CharField(max_length=10, choices=ReviewSide.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "side"], name="marketplace_one_review_per_side"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="marketplace_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.rating}/5 on {self.contract}"
