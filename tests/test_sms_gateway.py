import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import TransactionCase, tagged


class Gateway(BaseHTTPRequestHandler):
    """A real HTTP SMS gateway on 127.0.0.1: answers by the path (/ok, /fail, /slow)."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        Gateway.received.append({"path": self.path, "body": json.loads(body),
                                 "auth": self.headers.get("Authorization")})
        if self.path.startswith("/slow"):
            time.sleep(12)
        code, answer = (500, "internal error") if self.path.startswith("/fail") else (200, '{"status": "queued"}')
        self.send_response(code)
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestHttpSmsGateway(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        cls.env.company.write({
            "library_sms_provider": "http", "library_sms_method": "POST",
            "library_sms_body": '{"to": "{number}", "text": "{text}"}',
            "library_sms_auth_header": "Authorization: Bearer secret-token",
            "library_sms_success": "queued", "library_sms_timeout": 1,
        })

    def setUp(self):
        super().setUp()
        Gateway.received.clear()

    def _sms(self, body='Your book "Rumi" is due tomorrow'):
        return self.env["sms.sms"].create({"number": "+989181234567", "body": body})

    def test_success(self):
        self.env.company.library_sms_url = self.base + "/ok"
        sms = self._sms()
        sms._send(unlink_sent=False)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(Gateway.received, [{"path": "/ok", "auth": "Bearer secret-token",
                                             "body": {"to": "+989181234567",
                                                      "text": 'Your book "Rumi" is due tomorrow'}}])

    def test_gateway_error(self):
        self.env.company.library_sms_url = self.base + "/fail"
        sms = self._sms()
        sms._send(unlink_failed=False)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertEqual(len(Gateway.received), 1)

    def test_answer_without_success_marker(self):
        self.env.company.write({"library_sms_url": self.base + "/ok", "library_sms_success": "accepted"})
        sms = self._sms()
        sms._send(unlink_failed=False)
        self.assertEqual(sms.state, "error")

    def test_timeout(self):
        self.env.company.library_sms_url = self.base + "/slow"
        sms = self._sms()
        started = time.time()
        sms._send(unlink_failed=False)
        # Odoo's test framework raises any request timeout under 10 s to 10 s
        self.assertLess(time.time() - started, 11.5, "the gateway timeout stops the wait")
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
