"""Thai is the default language: every message must be translated, and the compiled catalogue current."""

import ast
import gettext
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("**/locale/th/LC_MESSAGES/django.po"))


def read_po(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file as {"msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", ..., "flags"}."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


class ThaiCatalogueTests(SimpleTestCase):
    def test_it_finds_the_catalogues(self) -> None:
        self.assertGreaterEqual(len(CATALOGUES), 5, CATALOGUES)

    def test_it_translates_every_message_without_fuzzy_guesses(self) -> None:
        for path in CATALOGUES:
            for entry in read_po(path):
                with self.subTest(catalogue=str(path.relative_to(ROOT)), msgid=entry["msgid"][:60]):
                    self.assertNotIn("fuzzy", entry.get("flags", ""))
                    translations = [v for k, v in entry.items() if k.startswith("msgstr")]
                    self.assertTrue(translations and all(translations))

    def test_it_ships_compiled_catalogues_that_match_their_sources(self) -> None:
        for path in CATALOGUES:
            with path.with_suffix(".mo").open("rb") as compiled:
                catalogue = gettext.GNUTranslations(compiled)
            for entry in read_po(path):
                if "msgid_plural" in entry:
                    continue
                with self.subTest(catalogue=str(path.relative_to(ROOT)), msgid=entry["msgid"][:60]):
                    if "msgctxt" in entry:
                        self.assertEqual(catalogue.pgettext(entry["msgctxt"], entry["msgid"]), entry["msgstr"])
                    else:
                        self.assertEqual(catalogue.gettext(entry["msgid"]), entry["msgstr"])
