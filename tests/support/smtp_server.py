#!/usr/bin/python3
"""A real SMTP server for tests (aiosmtpd), on 127.0.0.1 only.

    smtp_server.py --dir DIR [--timeout SECONDS] [--fail-first K] [--fail-code 451]
                   [--reply-delay-ms MS]

Listens on a free port and prints "PORT <n>" as the first line on stdout; prints nothing else
there. Every accepted message becomes DIR/message-0001.json (written to a temporary name, then
renamed) with "mail_from", "rcpt_tos" and "data" (the message as received, CRLF line ends).
The first K transactions (counted by MAIL FROM) get --fail-code for every RCPT and DATA, to
test how clients handle refusals. --reply-delay-ms keeps each accepted message (saved first, as
a mail server queues it before it answers) waiting that long for its "250", so that a client can
be killed while it waits. Exits on SIGTERM, SIGINT, or after --timeout seconds.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory, fail_first, fail_code, reply_delay):
        self.directory = directory
        self.reply_delay = reply_delay
        self.fail_first = fail_first
        self.fail_code = fail_code
        self.transactions = 0
        self.saved = 0

    def refusing(self):
        return self.transactions <= self.fail_first

    def refusal(self):
        kind = "4.3.0 Try again later" if self.fail_code < 500 else "5.7.1 Refused by test"
        return f"{self.fail_code} {kind}"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.transactions += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing():
            return self.refusal()
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing():
            return self.refusal()
        self.saved += 1
        content = envelope.original_content or envelope.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", errors="replace")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": content,
        }
        name = os.path.join(self.directory, f"message-{self.saved:04d}.json")
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(name + ".tmp", name)
        if self.reply_delay > 0:
            await asyncio.sleep(self.reply_delay)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-code", type=int, default=451)
    parser.add_argument("--reply-delay-ms", type=int, default=0)
    args = parser.parse_args()
    if not 400 <= args.fail_code <= 599:
        parser.error("--fail-code must be a 4xx or 5xx SMTP code")
    os.makedirs(args.dir, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    handler = Handler(args.dir, args.fail_first, args.fail_code, args.reply_delay_ms / 1000.0)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="smtp.test.invalid", ident="baken test SMTP server",
                    decode_data=False, enable_SMTPUTF8=True)

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, loop.stop)
    loop.call_later(args.timeout, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


if __name__ == "__main__":
    main()
