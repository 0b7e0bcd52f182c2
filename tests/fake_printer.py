"""A receipt printer on 127.0.0.1 for tests: it accepts raw ESC/POS connections (as port 9100 does) and
keeps every byte it was sent. ``stop()`` switches it off (connections are refused) and ``start()`` on again,
on the same port."""
from __future__ import annotations

import socket
import threading
import time

INITIALISE = b"\x1b@"         # ESC @
RASTER_IMAGE = b"\x1dv0"      # GS v 0: a raster bit image
CUT = b"\x1dV"                # GS V
DRAWER_KICK = b"\x1bp"        # ESC p


class FakePrinter:
    def __init__(self) -> None:
        self.port = 0
        self.jobs: list[bytes] = []          # one per connection, in the order they closed
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def received(self) -> bytes:
        with self._lock:
            return b"".join(self.jobs)

    def start(self) -> "FakePrinter":
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(5)
        server.settimeout(0.1)
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._thread is not None:
            self._thread.join(5)

    def _serve(self, server: socket.socket) -> None:
        while self._server is server:
            try:
                conn, _ = server.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = bytearray()
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    data += chunk
            with self._lock:
                self.jobs.append(bytes(data))

    def wait_for(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """The first ``count`` jobs, once they have all arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.jobs) >= count:
                    return list(self.jobs)
            time.sleep(0.02)
        raise AssertionError(f"the printer received {len(self.jobs)} job(s), not {count}")
