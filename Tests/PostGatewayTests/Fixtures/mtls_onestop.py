"""A stand-in one-stop behind mutual TLS, for OneStopClientTLSTests.

It refuses any TLS handshake without a client certificate signed by the test CA, answers the calls the gateway
makes, tells which client certificate it saw, and offers one redirect that a client must not follow.
Usage: mtls_onestop.py CA_PEM SERVER_CERT_PEM SERVER_KEY_PEM; prints the port it listens on.
"""
import http.server
import json
import ssl
import sys

moved_hits = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def client_name(self):
        subject = dict(pair[0] for pair in self.connection.getpeercert().get("subject", ()))
        return subject.get("commonName", "")

    def do_GET(self):
        global moved_hits
        if self.path.startswith("/moved"):
            moved_hits += 1
            self.answer(200, {"MoTa": "followed"})
        elif self.headers.get("Authorization") != "Bearer tls-token":
            self.answer(401, {"MoTa": "token"})
        else:
            # The redirect test reads how often /moved was followed from LePhi, a field the gateway's page reader keeps.
            self.answer(200, {"DuLieu": [{"MaBuuGui": self.client_name(), "LePhi": moved_hits}], "TiepTheo": None})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path.endswith("/bangiao"):
            self.answer(302, {"MoTa": "moved"}, {"Location": "/moved"})
        else:
            self.answer(200, {"MaHoSo": self.client_name()})

    def log_message(self, *args):
        pass


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.verify_mode = ssl.CERT_REQUIRED
context.load_verify_locations(sys.argv[1])
context.load_cert_chain(sys.argv[2], sys.argv[3])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
