"""A client for `roadtwin serve` (docs/control-api.md), standard library only.

The server speaks newline-delimited JSON over TCP: one request object per line, one response
object per line, in order. Every response has "ok"; a failed request has "error" and "field"
(the request field that was wrong), and the connection keeps serving.
"""

import json
import socket


class RoadtwinError(Exception):
    """A request the server refused: `field` names the request field that was wrong."""

    def __init__(self, message, field):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class Client:
    """One connection to a roadtwin control server."""

    def __init__(self, host="127.0.0.1", port=8765, timeout=120.0):
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._file = self._sock.makefile("rwb")
        self._next_id = 0

    def request(self, cmd, **fields):
        """Sends one request and returns its response (a dict), or raises RoadtwinError."""
        self._next_id += 1
        line = json.dumps({"cmd": cmd, "id": self._next_id, **fields}, separators=(",", ":"))
        self._file.write(line.encode("utf-8") + b"\n")
        self._file.flush()
        answer = self._file.readline()
        if not answer:
            raise ConnectionError("the server closed the connection")
        response = json.loads(answer)
        if not response.get("ok"):
            raise RoadtwinError(response.get("error", "refused"), response.get("field", ""))
        return response

    # ---- the common requests, as methods
    def create(self, seed=None, overrides=None):
        fields = {}
        if seed is not None:
            fields["seed"] = seed
        if overrides:
            fields["set"] = list(overrides)
        return self.request("create", **fields)

    def step(self, env, ticks=None, until=None):
        fields = {"env": env}
        if ticks is not None:
            fields["ticks"] = ticks
        if until is not None:
            fields["until"] = until
        return self.request("step", **fields)

    def signals(self, env, node=None):
        return self.request("signals", env=env, **({"node": node} if node is not None else {}))["signals"]

    def queues(self, env, node=None):
        return self.request("queues", env=env, **({"node": node} if node is not None else {}))["queues"]

    def set_phase(self, env, node, phase):
        return self.request("setSignal", env=env, node=node, phase=phase)

    def release_signal(self, env, node):
        return self.request("setSignal", env=env, node=node, release=True)

    def state_hash(self, env):
        return self.request("stateHash", env=env)["stateHash"]

    def close(self):
        self._file.close()
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
