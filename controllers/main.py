from odoo import http
from odoo.http import request


class LibraryClearanceController(http.Controller):

    @http.route(["/library/clearance/verify", "/library/clearance/verify/<string:code>"], type="http",
                auth="public", website=False, sitemap=False)
    def verify(self, code=None, **kwargs):
        """Anyone can check a clearance certificate by its verification code."""
        code = code or kwargs.get("code")
        clearance = request.env["library.clearance"]._verify(code) if code else None
        return request.render("university_library.clearance_verify_page", {
            "code": code, "clearance": clearance,
        })
