#!/usr/bin/python3
"""A webhook receiver for the tests, on 127.0.0.1 (plain HTTP: loopback only).

    webhook.py --port-file FILE --dir DIR

Each POST is written to DIR/NNN.json (its body) and DIR/NNN.head (its request line and
headers). The answer is 200, or the status written in DIR/.status, with a Location header
when DIR/.location holds one (a redirect elsewhere). The port chosen is
written to the port file.
"""
import argparse
import http.server
import os
import threading


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    lock = threading.Lock()
    count = [0]

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status_file = os.path.join(args.dir, ".status")
            status = 200
            if os.path.exists(status_file):
                with open(status_file) as f:
                    status = int(f.read().strip())
            if status == 200:
                with lock:
                    count[0] += 1
                    base = os.path.join(args.dir, "%03d" % count[0])
                with open(base + ".head", "w") as f:
                    f.write(self.requestline + "\n" + str(self.headers))
                with open(base + ".json.tmp", "wb") as f:
                    f.write(body)
                os.rename(base + ".json.tmp", base + ".json")
            self.send_response(status)
            location_file = os.path.join(args.dir, ".location")
            if os.path.exists(location_file):
                with open(location_file) as f:
                    self.send_header("Location", f.read().strip())
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
