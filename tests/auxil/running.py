"""Finding a free port on 127.0.0.1 for the emulator and the bot's webhook."""

from __future__ import annotations

import random
import socket

#: Ports to listen on, below the range the system hands out to outgoing connections
#: (32768–60999 on Linux): a port free when chosen stays free until the server binds it,
#: where an ephemeral one may meanwhile become the source port of some client's connection
#: (a benchmark replica once failed with "address already in use" that way).
LISTEN_PORTS = range(20_000, 32_000)


def free_port() -> int:
    """A port nothing listens on now, outside the ephemeral range."""
    for port in random.sample(LISTEN_PORTS, 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # the range is busy: let the system choose
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
