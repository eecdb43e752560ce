from pathlib import Path

import polib

from odoo.exceptions import UserError
from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from .common import LibrarySetup

LANGS = {"fa": "fa_IR", "vi": "vi_VN"}


@tagged("post_install", "-at_install")
class TestTranslations(LibrarySetup, TransactionCase):
    """Persian and Vietnamese are part of the product: every term has both."""

    def _catalogue(self, module, code):
        path = Path(get_module_path(module), "i18n", f"{code}.po")
        self.assertTrue(path.exists(), f"{module} has no i18n/{code}.po")
        return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}

    def test_every_term_is_translated(self):
        modules = self.env["ir.module.module"].search([
            ("name", "in", ("university_library", "university_library_payroll")), ("state", "=", "installed")])
        for module in modules.mapped("name"):
            terms = {source for _module, _type, _name, _res_id, source, _value, _comments
                     in TranslationModuleReader(self.env.cr, modules=[module]) if source}
            self.assertGreater(len(terms), 2, module)
            for code in LANGS:
                catalogue = self._catalogue(module, code)
                missing = sorted(term for term in terms if not catalogue.get(term))
                self.assertFalse(missing, f"{module}: {len(missing)} term(s) without a {code} translation "
                                          f"(run scripts/i18n.sh, then translate): {missing[:10]}")

    def test_translations_load(self):
        self._setup_library()
        langs = self.env["res.lang"]
        for lang in LANGS.values():
            langs._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["university_library"], list(LANGS.values()), overwrite=True)
        root = self.env.ref("university_library.menu_library_root")
        self.assertEqual(root.with_context(lang="fa_IR").name, "کتابخانه")
        self.assertEqual(root.with_context(lang="vi_VN").name, "Thư viện")
        label = self.env["ir.model.fields"]._get("library.loan", "due_date")
        self.assertEqual(label.with_context(lang="fa_IR").field_description, "تاریخ بازگشت")
        self.assertEqual(label.with_context(lang="vi_VN").field_description, "Hạn trả")
        # messages from the code, in the user's language
        member = self._member("student_ug", name="Sara")
        for lang, word in (("fa_IR", "Sara"), ("vi_VN", "Sara")):
            with self.assertRaises(UserError) as raised:
                member.with_context(lang=lang).action_take_payment()
            message = str(raised.exception)
            self.assertIn(word, message)
            self.assertNotIn("has nothing to pay", message)
            self.assertEqual(message, self._catalogue("university_library", lang[:2])[
                "%(member)s has nothing to pay."].replace("%(member)s", "Sara"))
