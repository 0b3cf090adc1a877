"""Entry conversations move into the community app's threads (one per entry), which bring
threading, Markdown, mentions, edit history and moderation; no comment is lost."""

from django.db import migrations


def move_entry_comments(apps, schema_editor):
    EntryComment = apps.get_model("contests", "EntryComment")
    Comment = apps.get_model("community", "Comment")
    Membership = apps.get_model("accounts", "Membership")
    for old in EntryComment.objects.select_related("entry__contest__campaign").order_by("pk"):
        campaign = old.entry.contest.campaign
        new = Comment.objects.create(
            campaign=campaign,
            item_number=old.entry.number,
            author_id=old.author_id,
            body=old.body,
            is_brand=Membership.objects.filter(
                organization_id=campaign.organization_id, user_id=old.author_id
            ).exists(),
        )
        Comment.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0001_initial"),
        ("community", "0003_comment_item_number"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_entry_comments, migrations.RunPython.noop),
        migrations.DeleteModel(name="EntryComment"),
    ]
