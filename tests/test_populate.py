from odoo.tests import tagged
from odoo.tools.populate import populate_models

from .common import LibraryCase


@tagged("post_install", "-at_install")
class TestPopulate(LibraryCase):
    """Odoo 18's populate (SQL duplication) at a tiny size keeps the library's data consistent."""

    def test_populate_tiny(self):
        member = self._member("student_ug", name="Seed Reader")
        title = self._title("Seed Title", copies=2)
        self.checkout(member, title.copy_ids[0])
        self.env.flush_all()  # populate duplicates rows in SQL: what is still in the ORM cache is not copied
        models = ["library.member", "library.title", "library.copy", "library.loan"]
        before = {model: self.env[model].search_count([]) for model in models}
        populate_models({self.env[model]: 1 for model in models}, ord("_"))
        self.env.invalidate_all()
        for model in models:
            self.assertEqual(self.env[model].search_count([]), 2 * before[model], model)
        cr = self.env.cr
        cr.execute("""SELECT count(*) FROM (SELECT copy_id FROM library_loan WHERE state IN ('open', 'overdue')
                      GROUP BY copy_id HAVING count(*) > 1) twice""")
        self.assertEqual(cr.fetchone()[0], 0, "no copy is lent twice")
        cr.execute("SELECT count(*) - count(DISTINCT barcode) FROM library_copy")
        self.assertEqual(cr.fetchone()[0], 0, "barcodes stay unique")
        cr.execute("""SELECT count(*) FROM library_loan l JOIN library_copy c ON c.id = l.copy_id
                       WHERE l.state IN ('open', 'overdue') AND c.state != 'on_loan'""")
        self.assertEqual(cr.fetchone()[0], 0, "every copy of an open loan is on loan")
        cr.execute("""SELECT count(*) FROM library_hold h JOIN library_copy c ON c.id = h.copy_id
                       WHERE h.state = 'ready' AND c.hold_id != h.id""")
        self.assertEqual(cr.fetchone()[0], 0, "a copy on the hold shelf waits for its own hold")
