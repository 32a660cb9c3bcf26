#!/usr/bin/env python3
"""Interim HTTPS sink for Scripts/bench-outbox, used until shelter-registry is available: answers every POST
with 202 over TLS with a required client certificate (mTLS) and HTTP/1.1 keep-alive. It does not validate,
de-duplicate or store anything, so it measures the agent side (outbox + libcurl + TLS) only.
Usage: bench-https-sink.py CERT_DIR  (prints "PORT <n>" once listening on 127.0.0.1, port chosen by the kernel)"""
import http.server
import ssl
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stdout if len(sys.argv) == 2 else sys.stderr)
        sys.exit(0 if len(sys.argv) == 2 else 64)
    certs = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(f"{certs}/server.pem", f"{certs}/server.key")
    context.load_verify_locations(f"{certs}/ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


main()
