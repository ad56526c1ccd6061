#!/usr/bin/python3
"""A real SMTP server for the tests, on 127.0.0.1: aiosmtpd (Debian python3-aiosmtpd)
with STARTTLS required and AUTH PLAIN/LOGIN required after it.

    smtp.py [--port N] --port-file FILE --dir DIR --cert PEM --key KEY --user U --password P

Each message accepted is written to DIR/NNN.eml as received, after three lines of its
own: "X-Test-Auth: USER", "X-Test-From: ADDRESS", "X-Test-Rcpt: A, B". While the file
DIR/.delay holds a number of seconds, the answer to DATA waits that long (a slow server
during which a test kills the client). The port (--port, else one the system chooses) is
written to the port file.
"""
import argparse
import asyncio
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        delay = os.path.join(self.folder, ".delay")
        if os.path.exists(delay):
            with open(delay) as f:
                await asyncio.sleep(float(f.read().strip() or 0))
        self.count += 1
        user = session.auth_data.login.decode() if session.auth_data else ""
        head = "X-Test-Auth: %s\r\nX-Test-From: %s\r\nX-Test-Rcpt: %s\r\n" % (
            user, envelope.mail_from, ", ".join(envelope.rcpt_tos))
        path = os.path.join(self.folder, "%03d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode() + envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK: queued"


def main():
    ap = argparse.ArgumentParser()
    for name in ("port-file", "dir", "cert", "key", "user", "password"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == args.user \
            and data.password.decode() == args.password
        return AuthResult(success=ok, handled=False, auth_data=data)

    loop = asyncio.new_event_loop()
    handler = Handler(args.dir)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="incluinfo-tests", tls_context=tls, require_starttls=True,
                     auth_required=True, auth_require_tls=True, authenticator=authenticator),
        host="127.0.0.1", port=args.port))
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(args.port_file + ".tmp", args.port_file)
    loop.run_forever()


if __name__ == "__main__":
    main()
