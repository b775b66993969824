#!/usr/bin/env python3
"""Test webhook receiver: webhook_sink.py PORT OUT [FAIL_FIRST [DELAY_MS]].
Appends "<status> <content-type> <body>" per POST to OUT; answers 503 to the
first FAIL_FIRST POSTs (a receiver that is down for a moment), 200 after,
each answer DELAY_MS late (a slow receiver)."""
import http.server
import sys
import time

port, out = int(sys.argv[1]), sys.argv[2]
fail_first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
delay_s = int(sys.argv[4]) / 1000 if len(sys.argv) > 4 else 0
posts = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global posts
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        posts += 1
        time.sleep(delay_s)
        status = 503 if posts <= fail_first else 200
        with open(out, "a") as f:
            f.write(f"{status} {self.headers.get('Content-Type')} {body.decode()}\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
