from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LibraryCase


@tagged("post_install", "-at_install")
class TestCatalogue(LibraryCase):

    def test_isbn_is_validated_and_formatted(self):
        ok = self.env["library.title"].create({"name": "Hyphenated", "isbn": "9780306406157"})
        self.assertEqual(ok.isbn, "978-0-306-40615-7")
        count = self.env["library.title"].search_count([])
        with self.assertRaisesRegex(ValidationError, "9780306406158 is not a valid ISBN"), self.cr.savepoint():
            self.env["library.title"].create({"name": "Bad checksum", "isbn": "9780306406158"})
        self.assertEqual(self.env["library.title"].search_count([]), count, "nothing was created")
        with self.assertRaisesRegex(ValidationError, "12345 is not a valid ISBN"), self.cr.savepoint():
            ok.write({"isbn": "12345"})
        ok.invalidate_recordset()
        self.assertEqual(ok.isbn, "978-0-306-40615-7")

    def test_duplicate_barcode_refused(self):
        title = self._title("Dup", copies=1)
        barcode = title.copy_ids.barcode
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["library.copy"].create({"title_id": title.id, "barcode": barcode, "branch_id": self.branch.id,
                                             "material_type_id": self.mat["book"].id})
        self.assertEqual(self.env["library.copy"].search_count([("barcode", "=", barcode)]), 1)

    def test_negative_price_refused(self):
        title = self._title("Priced", copies=1)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.cr.savepoint():
            title.copy_ids.price = -5
        title.copy_ids.invalidate_recordset()
        self.assertEqual(title.copy_ids.price, 1_000_000)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.cr.savepoint():
            self.env["library.copy"].create({"title_id": title.id, "barcode": "NEG-1", "branch_id": self.branch.id,
                                             "material_type_id": self.mat["book"].id, "price": -1})
        self.assertFalse(self.env["library.copy"].search([("barcode", "=", "NEG-1")]))

    def test_single_copy_and_accession(self):
        title = self._title("Single", copies=1)
        self.assertTrue(title.is_single_copy)
        self.assertEqual(title.copy_count, 1)
        self._copies(title, 1)
        self.assertFalse(title.is_single_copy)
        self.assertEqual(title.copy_count, 2)
        self.assertNotEqual(title.copy_ids[0].accession_number, title.copy_ids[1].accession_number)
        self.assertTrue(title.copy_ids[0].accession_number.startswith("ACC/"))
        title.copy_ids[1].action_withdraw()
        self.assertTrue(title.is_single_copy, "a withdrawn copy no longer counts")

    def test_material_types_that_never_leave(self):
        never = self.env["library.material.type"].search([("may_leave", "=", False)]).mapped("code")
        self.assertEqual(sorted(never), sorted(["REF", "RARE", "MS", "PER", "THESIS", "REPORT", "MEDIA"]))
        self.assertTrue(self.mat["reserve"].is_reserve)
        self.assertTrue(self.mat["nonprint"].is_non_print)

    def test_multi_volume_set(self):
        whole = self.env["library.title"].create({"name": "Encyclopaedia Iranica"})
        volume = self.env["library.title"].create({"name": "Encyclopaedia Iranica vol. 3", "set_id": whole.id,
                                                   "volume_number": 3, "sold_separately": False})
        self.assertEqual(whole.volume_ids, volume)
        with self.assertRaisesRegex(ValidationError, "cannot be a volume of itself"):
            whole.set_id = volume
