import io
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from platoo.accounts.models import Expertise, User
from platoo.network.actions import do_apply_for_membership
from platoo.network.models import Organization

from .helpers import CastTestCase, image_file, make_item


def profile_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_th": "อลิซ ใจดี",
        "name_en": "Alice Jaidee",
        "position": "นักวิเคราะห์นโยบาย",
        "bio": "ชอบถอดบทเรียนจากงานภาคสนาม",
        "expertise_text": "ถอดบทเรียน, Data Analysis,  การจัดการ   ความรู้ ,, ถอดบทเรียน",
        "km_roles": ["facilitator", "note_taker"],
    }
    data.update(changes)
    return data


class ProfileEditTests(CastTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_it_saves_names_expertise_and_roles(self) -> None:
        with mock.patch("platoo.accounts.actions.update_index") as update_index:
            response = self.client.post(reverse("accounts:profile_edit"), profile_post())
        self.assertRedirects(response, self.alice.get_absolute_url())
        alice = User.objects.get(pk=self.alice.pk)
        self.assertEqual(alice.name_en, "Alice Jaidee")
        # Cleaned, de-duplicated ignoring case, and the existing "data analysis" row reused.
        self.assertEqual(
            sorted(e.name for e in alice.expertise.all()), ["data analysis", "การจัดการ ความรู้", "ถอดบทเรียน"]
        )
        self.assertEqual(Expertise.objects.filter(name__iexact="data analysis").count(), 1)
        self.assertEqual(sorted(alice.km_roles.values_list("role", flat=True)), ["facilitator", "note_taker"])
        self.assertEqual(alice.km_roles.get(role="note_taker").organization, self.alpha)
        update_index.assert_called_once_with(alice)

    def test_it_removes_roles_no_longer_chosen(self) -> None:
        self.client.post(reverse("accounts:profile_edit"), profile_post(km_roles=["sponsor"]))
        self.assertEqual(list(self.alice.km_roles.values_list("role", flat=True)), ["sponsor"])

    def test_it_refuses_a_10000_character_tag_and_loses_nothing(self) -> None:
        huge = "ก" * 10_000
        response = self.client.post(reverse("accounts:profile_edit"), profile_post(expertise_text=f"ถอดบทเรียน, {huge}"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "100")
        self.assertContains(response, "10000")
        self.assertContains(response, huge)  # what was typed is still in the form
        self.assertContains(response, "Alice Jaidee")
        alice = User.objects.get(pk=self.alice.pk)
        self.assertEqual(alice.name_en, "Alice")  # nothing saved
        self.assertEqual([e.name for e in alice.expertise.all()], ["ถอดบทเรียน"])
        self.assertFalse(Expertise.objects.filter(name__startswith="กกกก").exists())

    def test_it_refuses_an_unknown_role(self) -> None:
        response = self.client.post(reverse("accounts:profile_edit"), profile_post(km_roles=["wizard"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")

    def test_it_does_not_let_people_change_their_own_organization(self) -> None:
        self.client.post(reverse("accounts:profile_edit"), profile_post(organization=self.beta.pk))
        self.assertEqual(User.objects.get(pk=self.alice.pk).organization, self.alpha)

    def test_it_lets_staff_change_their_organization(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(reverse("accounts:profile_edit"), profile_post(organization=self.beta.pk))
        self.assertEqual(User.objects.get(pk=self.admin.pk).organization, self.beta)

    def test_staff_choose_among_member_organizations_and_the_persons_own(self) -> None:
        applicant = Organization(name_th="มูลนิธิรอพิจารณา", code="pending", sector="civil_society")
        do_apply_for_membership(self.dave, applicant, "ขอเข้าร่วม")
        Organization.objects.filter(pk=self.beta.pk).update(status="left")
        self.client.force_login(self.admin)
        form = self.client.get(reverse("accounts:profile_edit")).context["form"]
        self.assertEqual(list(form.fields["organization"].queryset), [self.alpha])
        User.objects.filter(pk=self.admin.pk).update(organization=self.beta)
        form = self.client.get(reverse("accounts:profile_edit")).context["form"]
        self.assertEqual(sorted(o.code for o in form.fields["organization"].queryset), ["alpha", "beta"])
        response = self.client.post(reverse("accounts:profile_edit"), profile_post(organization=applicant.pk))
        self.assertEqual(response.status_code, 200)  # not a choice
        self.assertEqual(User.objects.get(pk=self.admin.pk).organization, self.beta)

    def test_it_shows_the_form_with_current_values(self) -> None:
        response = self.client.get(reverse("accounts:profile_edit"))
        self.assertContains(response, 'value="ถอดบทเรียน"')
        self.assertRegex(response.content.decode(), r'value="facilitator"[^>]*checked')
        self.assertNotRegex(response.content.decode(), r'value="sponsor"[^>]*checked')


class AvatarTests(CastTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def upload(self, file: SimpleUploadedFile) -> object:
        return self.client.post(reverse("accounts:profile_edit"), profile_post(avatar=file))

    def test_it_stores_a_reencoded_image_without_metadata(self) -> None:
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        Image.new("RGB", (2000, 1000), "red").save(buffer, "JPEG", exif=exif)
        response = self.upload(SimpleUploadedFile("me.JPG", buffer.getvalue(), content_type="image/jpeg"))
        self.assertEqual(response.status_code, 302)
        alice = User.objects.get(pk=self.alice.pk)
        with alice.avatar.open() as stored, Image.open(stored) as image:
            self.assertEqual(image.format, "JPEG")
            self.assertEqual(image.size, (800, 400))
            self.assertNotIn(0x010F, image.getexif())
        self.assertNotIn("me", alice.avatar.name)

    @override_settings(MAX_IMAGE_MB=1)
    def test_it_refuses_an_image_over_the_limit(self) -> None:
        big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), content_type="image/png")
        response = self.upload(big)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "1 MB")
        self.assertFalse(User.objects.get(pk=self.alice.pk).avatar)

    def test_it_refuses_a_file_that_is_not_an_image(self) -> None:
        response = self.upload(SimpleUploadedFile("avatar.png", b"<script>alert(1)</script>", content_type="image/png"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "JPEG, PNG, GIF")
        self.assertFalse(User.objects.get(pk=self.alice.pk).avatar)

    def test_it_refuses_a_lying_extension(self) -> None:
        response = self.upload(image_file("avatar.jpg", "PNG"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "PNG")
        self.assertContains(response, ".png")
        self.assertFalse(User.objects.get(pk=self.alice.pk).avatar)

    def test_it_keeps_the_other_fields_when_the_avatar_is_refused(self) -> None:
        response = self.upload(image_file("avatar.gif", "PNG"))
        self.assertContains(response, "Alice Jaidee")
        self.assertEqual(User.objects.get(pk=self.alice.pk).name_en, "Alice")

    def test_it_clears_the_avatar(self) -> None:
        self.upload(image_file())
        self.assertTrue(User.objects.get(pk=self.alice.pk).avatar)
        self.client.post(reverse("accounts:profile_edit"), profile_post(**{"avatar-clear": "on"}))
        self.assertFalse(User.objects.get(pk=self.alice.pk).avatar)


class ProfilePageTests(CastTestCase):
    def test_it_asks_anonymous_visitors_to_sign_in(self) -> None:
        response = self.client.get(self.alice.get_absolute_url())
        self.assertRedirects(response, reverse("accounts:login") + "?next=" + self.alice.get_absolute_url())

    def test_it_hides_inactive_people(self) -> None:
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.bob.get_absolute_url()).status_code, 404)

    def test_it_shows_the_profile_and_only_items_the_viewer_may_see(self) -> None:
        make_item(self.alice, "เรื่องสาธารณะ", "public")
        make_item(self.alice, "เรื่องในเครือข่าย", "network")
        make_item(self.alice, "เรื่องในหน่วยงาน", "organization")
        make_item(self.alice, "ร่างส่วนตัว", "private")
        self.client.force_login(self.carol)  # another organization
        response = self.client.get(self.alice.get_absolute_url())
        self.assertContains(response, "อลิซ ใจดี")
        self.assertContains(response, "ถอดบทเรียน")
        self.assertContains(response, "เรื่องสาธารณะ")
        self.assertContains(response, "เรื่องในเครือข่าย")
        self.assertNotContains(response, "เรื่องในหน่วยงาน")
        self.assertNotContains(response, "ร่างส่วนตัว")
        self.assertNotContains(response, reverse("accounts:profile_edit"))

        self.client.force_login(self.bob)  # same organization
        response = self.client.get(self.alice.get_absolute_url())
        self.assertContains(response, "เรื่องในหน่วยงาน")
        self.assertNotContains(response, "ร่างส่วนตัว")

    def test_it_shows_dates_in_the_buddhist_era(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.alice.get_absolute_url())
        self.assertContains(response, str(self.alice.date_joined.year + 543))

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for n in range(5):
            make_item(self.alice, f"เรื่องที่ {n}", "network")
        self.client.force_login(self.bob)
        # session, user, unread notifications, person, expertise, item count; written evidence and its topics, presented evidence;
        # KM roles in organizations and in CoPs; the item page; the follow button
        with self.assertNumQueries(14):
            self.client.get(self.alice.get_absolute_url())
