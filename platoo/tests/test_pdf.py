"""PDFs are rendered for real, in Sarabun, with Thai shaped and readable back out of the file."""

import io
import unicodedata

from django.test import SimpleTestCase
from django.utils import translation
from pypdf import PdfReader

from platoo.lib import pdf, thai

# Stacked vowels and tone marks, SARA AM after a tone, marks beside the ascenders of ป and ฝ.
THAI = "ผู้ใหญ่บ้าน ที่นี่ กี่ปี น้ำ ปั้น ทำ ฝั่ง ปี่ ญี่ปุ่น กรุ๊ป"


def lines_of(data: bytes) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(data)).pages]


def fonts_of(data: bytes) -> dict[str, bool]:
    """Each font of the file by name, and whether its program is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    return found


class PdfTests(SimpleTestCase):
    def test_it_makes_a_real_pdf_whose_thai_text_reads_back(self) -> None:
        data = pdf.render_pdf(f"<h1>รายงาน</h1><p>{THAI}</p><p><b>ตัวหนา น้ำใจ</b> <i>เอียง ซ้ำ</i></p>")
        self.assertTrue(data.startswith(b"%PDF-"))
        page = lines_of(data)[0]
        # ำ is drawn as NIKHAHIT + SARA AA, and that is what the file says: its compatibility
        # decomposition; the project's normaliser (used for search) joins it again.
        self.assertIn(unicodedata.normalize("NFKD", THAI), page)
        self.assertIn(THAI, [thai.clean(line) for line in page])
        self.assertIn("ตัวหนา น้ำใจ เอียง ซ้ำ", [thai.clean(line) for line in page])

    def test_a_glyph_reads_the_same_wherever_it_is_drawn_first(self) -> None:
        # The same glyphs in a different order: WeasyPrint alone would name each after its first cluster.
        data = pdf.render_pdf("<p>น้ำ ทำ บ้าน</p><p>บ้าน ทำ น้ำ</p>")
        self.assertEqual([thai.clean(line) for line in lines_of(data)[0][:2]], ["น้ำ ทำ บ้าน", "บ้าน ทำ น้ำ"])

    def test_it_embeds_sarabun_and_no_other_font(self) -> None:
        data = pdf.render_pdf(f"<p>{THAI} English <b>ตัวหนา</b> <i>เอียง</i> <b><i>ทั้งสอง</i></b></p>")
        fonts = fonts_of(data)
        self.assertEqual(
            {name.split("+", 1)[1] for name in fonts},
            {"Sarabun", "Sarabun-Bold", "Sarabun-Italic", "Sarabun-Bold-Italic"},
        )
        self.assertTrue(all(fonts.values()), fonts)

    def test_every_page_has_the_header_the_footer_and_its_number(self) -> None:
        body = "".join(f"<p>ย่อหน้าที่ {n} การจัดการความรู้ในเครือข่าย</p>" for n in range(120))
        with translation.override("th"):
            data = pdf.render_pdf(body, header_left="เครือข่ายทดสอบ", header_right="รายงาน", footer_left="1 ธันวาคม 2569")
        pages = lines_of(data)
        self.assertGreater(len(pages), 2)
        for number, lines in enumerate(pages, start=1):
            text = "\n".join(lines)
            self.assertIn("เครือข่ายทดสอบ", text)
            self.assertIn("1 ธันวาคม 2569", text)
            self.assertIn(f"หน้า {number} จาก {len(pages)}", text)

    def test_the_title_goes_into_the_documents_metadata(self) -> None:
        data = pdf.render_pdf("<p>ข้อความ</p>", title="รายงานกิจกรรม")
        self.assertEqual(PdfReader(io.BytesIO(data)).metadata.title, "รายงานกิจกรรม")

    def test_it_fetches_nothing_from_the_network_or_outside_the_static_folders(self) -> None:
        fetcher = pdf.LocalOnlyFetcher(pdf._static_roots())
        for url in (
            "https://example.org/logo.png",
            "http://127.0.0.1:9/x.css",
            "ftp://example.org/a",
            "file:///etc/hostname",
        ):
            with self.subTest(url=url), self.assertRaises(ValueError):
                fetcher.fetch(url)
        font = pdf.static_file(pdf.FONT_FACES[0][0])
        self.assertTrue(fetcher.fetch(font.as_uri()).read().startswith(b"\x00\x01\x00\x00"))
        # A page asking for remote things still renders, without them.
        data = pdf.render_pdf(
            '<link rel="stylesheet" href="https://example.org/x.css"><img src="http://127.0.0.1:9/x.png"><p>ได้</p>'
        )
        self.assertIn("ได้", lines_of(data)[0])

    def test_the_response_names_the_file_in_thai(self) -> None:
        response = pdf.pdf_response(b"%PDF-1.7", "รายงาน.pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("filename*=utf-8''%E0%B8%A3", response["Content-Disposition"])
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
