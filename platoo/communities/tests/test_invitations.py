import re

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from platoo.accounts.actions import SignupData, do_sign_up
from platoo.accounts.models import Invitation
from platoo.activity.models import Notification
from platoo.communities import actions
from platoo.communities.models import EmailInvitation, Membership

from .base import CoPTestCase


class EmailInvitationTests(CoPTestCase):
    def test_an_unknown_email_gets_a_sign_up_link_and_the_new_account_finds_the_invitation(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            invitation = actions.do_invite(self.alice, self.secret, "new.person@example.org")
        self.assertIsInstance(invitation, EmailInvitation)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["new.person@example.org"])
        self.assertIn(self.secret.name, message.subject)
        token = re.search(r"invite=([\w-]+)", message.body).group(1)  # type: ignore[union-attr]
        signup = Invitation.objects.get(token=token)

        person = do_sign_up(SignupData("newperson", "ignored@example.org", "a-long-pass-phrase-1"), signup)
        membership = Membership.objects.get(community=self.secret, user=person)
        self.assertEqual(membership.status, "invited")
        self.assertEqual(membership.invited_by, self.alice)
        self.assertTrue(Notification.objects.filter(recipient=person, kind="invitation").exists())
        actions.do_answer_invitation(person, self.secret, accept=True)
        self.assertEqual(Membership.objects.get(pk=membership.pk).status, "active")

    def test_signing_up_with_the_same_address_but_without_the_link_links_nothing(self) -> None:
        actions.do_invite(self.alice, self.secret, "someone@example.org")
        person = do_sign_up(SignupData("someone", "someone@example.org", "a-long-pass-phrase-1"))
        self.assertFalse(Membership.objects.filter(community=self.secret, user=person).exists())

    def test_inviting_the_same_address_twice_says_it_is_waiting(self) -> None:
        actions.do_invite(self.alice, self.public, "twice@example.org")
        with self.assertRaises(ValidationError) as caught:
            actions.do_invite(self.alice, self.public, "twice@example.org")
        self.assertIn("username", caught.exception.error_dict)
        actions.do_invite(self.alice, self.closed, "twice@example.org")
        self.assertEqual(Invitation.objects.filter(email="twice@example.org").count(), 1)  # one sign-up link

    def test_an_email_of_an_existing_account_invites_that_person(self) -> None:
        membership = actions.do_invite(self.alice, self.secret, "CAROL@example.org")
        self.assertIsInstance(membership, Membership)
        self.assertEqual(membership.user, self.carol)

    def test_the_page_explains_an_email_invitation_and_a_bad_address(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("communities:invite", args=["open-cop"])
        response = self.client.post(url, {"username": "friend@example.org"}, follow=True)
        self.assertContains(response, "friend@example.org")
        response = self.client.post(url, {"username": "not-a-user"}, follow=True)
        self.assertEqual(len([m for m in response.context["messages"]]), 1)
        self.assertEqual(EmailInvitation.objects.count(), 1)

    def test_invitations_and_join_requests_notify_the_people_concerned(self) -> None:
        actions.do_invite(self.alice, self.secret, "bob")
        self.assertTrue(Notification.objects.filter(recipient=self.bob, kind="invitation").exists())
        actions.do_join(self.carol, self.closed)
        self.assertTrue(Notification.objects.filter(recipient=self.alice, kind="join_request").exists())
        request = Membership.objects.get(community=self.closed, user=self.carol)
        actions.do_decide_request(self.alice, request, approve=True)
        self.assertTrue(Notification.objects.filter(recipient=self.carol, kind="request_approved").exists())
