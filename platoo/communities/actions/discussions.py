"""Discussions in a CoP: threads, replies with mentions, accepted answers, replies turned into knowledge."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind, Verb
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import Kind, KnowledgeItem
from platoo.knowledge.provenance import Capture, Link
from platoo.lib.markdown import mentioned_usernames
from platoo.lib.text import clean_line, clean_text
from platoo.lib.visibility import Visibility

from ..models import Community, CommunityVisibility, Membership, Reply, SharedItem, Thread
from .community import can_facilitate, content_readers, is_admin, locked, membership_of, record, touch

MAX_BODY = 20_000
MAX_MENTIONS = 20


def can_post(community: Community, user: User, membership: Membership | None = None) -> bool:
    """Active members take part in discussions (superusers too, to moderate)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    m = membership or membership_of(community, user)
    return m is not None and m.status == Membership.Status.ACTIVE


def _require_poster(community: Community, user: User) -> None:
    if not can_post(community, user):
        raise PermissionDenied(_("Join the community to take part in its discussions."))


def _clean_body(body: str, field: str = "body") -> str:
    text = clean_text(body).strip()
    if not text:
        raise ValidationError({field: _("Write something first; an empty message cannot be posted.")})
    if len(text) > MAX_BODY:
        raise ValidationError(
            {
                field: _("A message can be at most %(max)d characters; this one has %(length)d.")
                % {"max": MAX_BODY, "length": len(text)}
            }
        )
    return text


def _mentions(community: Community, text: str) -> list[User]:
    """People mentioned who may read the community's discussions: the others are not told."""
    names = mentioned_usernames(text)[:MAX_MENTIONS]
    people = list(User.objects.filter(username__in=names, is_active=True)) if names else []
    return content_readers(community, people)


@transaction.atomic
def do_start_thread(
    user: User, community: Community, title: str, body: str, is_question: bool = False, key: str = ""
) -> Thread:
    """Start a discussion. With a one-time key, a double submit returns the thread the first one made."""
    _require_poster(community, user)
    key = key.strip()[:64]
    if key and (done := Thread.objects.filter(author=user, creation_key=key).first()):
        return done
    title = clean_line(title)
    if not title:
        raise ValidationError({"title": _("Give the discussion a title.")})
    text = _clean_body(body)
    now = timezone.now()
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                community=community,
                title=title[:250],
                body=text,
                is_question=is_question,
                author=user,
                created_at=now,
                last_activity_at=now,
                creation_key=key,
            )
    except IntegrityError:
        if not key:
            raise
        return Thread.objects.get(author=user, creation_key=key)
    mentioned = _mentions(community, text)
    thread.mentioned.set(mentioned)
    url = thread.get_absolute_url()
    activity.notify(mentioned, NotificationKind.MENTION, actor=user, title=thread.title, url=url)
    record(user, Verb.THREAD_STARTED, community, title=thread.title, url=url, target=f"thread:{thread.pk}")
    touch(community, now)
    return thread


@transaction.atomic
def do_edit_thread(user: User, thread: Thread, title: str, body: str, is_question: bool) -> Thread:
    if thread.author_id != user.pk and not is_admin(thread.community, user):
        raise PermissionDenied(_("Only the person who started the discussion or an admin can edit it."))
    title = clean_line(title)
    if not title:
        raise ValidationError({"title": _("Give the discussion a title.")})
    text = _clean_body(body)
    before = set(thread.mentioned.values_list("pk", flat=True))
    thread.title, thread.body, thread.is_question = title[:250], text, is_question
    if not is_question:
        thread.accepted_reply = None
    thread.save(update_fields=["title", "body", "is_question", "accepted_reply"])
    mentioned = _mentions(thread.community, text)
    thread.mentioned.set(mentioned)
    activity.notify(
        [p for p in mentioned if p.pk not in before],
        NotificationKind.MENTION,
        actor=user,
        title=thread.title,
        url=thread.get_absolute_url(),
    )
    return thread


def _participants(thread: Thread) -> list[User]:
    """Who takes part in a thread: its author and everyone who replied."""
    ids = {thread.author_id, *thread.replies.values_list("author_id", flat=True)}
    return list(User.objects.filter(pk__in=[pk for pk in ids if pk is not None], is_active=True))


@transaction.atomic
def do_reply(user: User, thread: Thread, body: str, key: str = "") -> Reply:
    community = thread.community
    _require_poster(community, user)
    key = key.strip()[:64]
    if key and (done := Reply.objects.filter(author=user, creation_key=key).first()):
        return done
    text = _clean_body(body)
    now = timezone.now()
    try:
        with transaction.atomic():
            reply = Reply.objects.create(thread=thread, author=user, body=text, created_at=now, creation_key=key)
    except IntegrityError:
        if not key:
            raise
        return Reply.objects.get(author=user, creation_key=key)
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    mentioned = _mentions(community, text)
    reply.mentioned.set(mentioned)
    url = reply.get_absolute_url()
    activity.notify(mentioned, NotificationKind.MENTION, actor=user, title=thread.title, url=url)
    told = {p.pk for p in mentioned}
    others = [p for p in content_readers(community, _participants(thread)) if p.pk not in told]
    activity.notify(others, NotificationKind.REPLY, actor=user, title=thread.title, url=url)
    record(user, Verb.REPLIED, community, title=thread.title, url=url, target=f"reply:{reply.pk}")
    touch(community, now)
    return reply


@transaction.atomic
def do_edit_reply(user: User, reply: Reply, body: str) -> Reply:
    if reply.author_id != user.pk and not is_admin(reply.thread.community, user):
        raise PermissionDenied(_("Only the person who wrote the reply or an admin can edit it."))
    text = _clean_body(body)
    before = set(reply.mentioned.values_list("pk", flat=True))
    reply.body, reply.edited_at = text, timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    mentioned = _mentions(reply.thread.community, text)
    reply.mentioned.set(mentioned)
    activity.notify(
        [p for p in mentioned if p.pk not in before],
        NotificationKind.MENTION,
        actor=user,
        title=reply.thread.title,
        url=reply.get_absolute_url(),
    )
    return reply


@transaction.atomic
def do_delete_reply(user: User, reply: Reply) -> None:
    thread = reply.thread
    if reply.author_id != user.pk and not is_admin(thread.community, user):
        raise PermissionDenied(_("Only the person who wrote the reply or an admin can delete it."))
    Thread.objects.filter(pk=thread.pk, accepted_reply=reply).update(accepted_reply=None)
    Thread.objects.filter(pk=thread.pk, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    activity.forget(f"reply:{reply.pk}")
    reply.delete()


@transaction.atomic
def do_accept_answer(user: User, thread: Thread, reply: Reply | None) -> Thread:
    """The asker (or an admin) marks the reply that answered the question; None takes the mark away."""
    if thread.author_id != user.pk and not is_admin(thread.community, user):
        raise PermissionDenied(_("Only the person who asked, or an admin, can accept an answer."))
    if not thread.is_question:
        raise ValidationError(_("Only a question can have an accepted answer."))
    if reply is not None and reply.thread_id != thread.pk:
        raise ValidationError(_("That reply belongs to another discussion."))
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.accepted_reply = reply
    thread.save(update_fields=["accepted_reply"])
    if reply is not None and reply.author is not None:
        activity.notify(
            [reply.author],
            NotificationKind.ANSWER_ACCEPTED,
            actor=user,
            title=thread.title,
            url=reply.get_absolute_url(),
        )
    return thread


def can_make_knowledge(reply: Reply, user: User) -> bool:
    """Whoever wrote the reply or started the discussion, and the community's facilitators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in (reply.author_id, reply.thread.author_id) or can_facilitate(reply.thread.community, user)


def _attach_reply(reply: Reply) -> "Capture":
    def attach(actor: User, item: KnowledgeItem) -> None:
        community = locked(reply.thread.community)
        Reply.objects.filter(pk=reply.pk).update(knowledge_item=item)
        now = timezone.now()
        SharedItem.objects.get_or_create(
            community=community, item=item, defaults={"shared_by": actor, "shared_at": now}
        )
        touch(community, now)

    link = Link(_("Made from a reply in the discussion"), reply.thread.title, reply.get_absolute_url())
    return Capture(key=f"reply:{reply.pk}", source=link, attach=attach)


@transaction.atomic
def do_make_knowledge(user: User, reply: Reply) -> tuple[KnowledgeItem, bool]:
    """Turn a reply into a knowledge item in one step; returns the item and whether it is new.

    What came from a closed or secret community starts as a private draft of its authors, so nothing
    leaves the community until someone chooses who may read it.
    """
    if not can_make_knowledge(reply, user):
        raise PermissionDenied(_("Only the reply's author, the discussion's author or a facilitator can do this."))
    reply = Reply.objects.select_for_update(of=("self",)).select_related("thread__community", "author").get(pk=reply.pk)
    if reply.knowledge_item_id is not None and (
        existing := KnowledgeItem.objects.filter(pk=reply.knowledge_item_id).first()
    ):
        return existing, False
    community = reply.thread.community
    public = community.visibility == CommunityVisibility.PUBLIC
    author = reply.author if reply.author is not None and reply.author.is_active else user
    data = ItemData(
        title=reply.thread.title,
        kind=Kind.NOTE,
        body=reply.body,
        visibility=Visibility.NETWORK if public else Visibility.PRIVATE,
        organization_id=author.organization_id,
        topic_ids=list(community.topics.values_list("pk", flat=True)),
        author_ids=sorted({author.pk, user.pk}),
    )
    item = do_create_item(user, data, _("Made from a reply in a discussion"), capture=_attach_reply(reply))
    return item, True
