"""An SMTP peer for hotro's tests (TR-3), run by aiosmtpd:

    HOTRO_SINK_DIR=DIR python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c hotro_sink.Handler

Each accepted message is written to DIR as one .eml file (written to a temporary name and
renamed, so a reader never sees half a message). While the file DIR/outage exists, every
message is answered `451 4.3.0`, which lets a test stage an outage and a recovery without
restarting the server.
"""

import os
import time
import uuid


class Handler:
    async def handle_DATA(self, server, session, envelope):
        out = os.environ["HOTRO_SINK_DIR"]
        if os.path.exists(os.path.join(out, "outage")):
            return "451 4.3.0 Temporary outage, try again later"
        name = "%d-%s.eml" % (time.time_ns(), uuid.uuid4().hex)
        tmp = os.path.join(out, "." + name + ".tmp")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(tmp, "wb") as f:
            f.write(content)
        os.rename(tmp, os.path.join(out, name))
        return "250 2.0.0 OK"
