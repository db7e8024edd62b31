"""Queue-pressure signal control from Python, through `roadtwin serve`.

    roadtwin serve scenarios/grid.yaml --port 8765 &
    python3 clients/python/example_max_pressure.py --port 8765 --seconds 600

Every `--decide` seconds, each signalised junction gets the green phase of its own program whose
green movements have the most halting vehicles on their approaches (the upstream half of
Varaiya's max-pressure rule, 2013, without the downstream term), held until the next decision.
A switch first runs, for 3 s, the interval that follows the current phase in the program (its
yellow, in generated and imported programs), so no movement goes from green to red without it. Prints the mean halting count before and after.
"""

import argparse
import sys

from roadtwin_client import Client


def green_phases(program):
    """Indices of the program's intervals that give some movement a green (G or g)."""
    return [i for i, row in enumerate(program) if "G" in row["state"] or "g" in row["state"]]


def pressure(row_state, conns, halting_by_edge):
    """Halting vehicles on the approaches of the movements this state lets go."""
    edges = {conns[k]["from"] for k, ch in enumerate(row_state) if ch in "Gg"}
    return sum(halting_by_edge.get(e, 0) for e in edges)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--decide", type=float, default=10)
    args = ap.parse_args()
    with Client(args.host, args.port) as c:
        env = c.create(seed=1)["env"]
        nodes = [s["node"] for s in c.signals(env)]
        programs = {n: c.signals(env, n)[0] for n in nodes}
        held = {}
        t = 0.0
        halting_total, samples = 0, 0
        while t < args.seconds:
            queues = {q["node"]: dict(zip(q["edges"], q["halting"])) for q in c.queues(env)}
            for n in nodes:
                prog = programs[n]
                rows, conns = prog["program"], prog["conns"]
                best = max(green_phases(rows), key=lambda i: (pressure(rows[i]["state"], conns, queues.get(n, {})), -i))
                current = held.get(n, prog["phase"])
                if best != current:
                    # the yellow that follows the current phase, then the new green
                    yellow = (current + 1) % len(rows)
                    c.set_phase(env, n, yellow)
                held[n] = best
            # let the yellows run, then hold the chosen greens for the rest of the period
            yellow_time = 3.0
            c.step(env, until=min(args.seconds, t + yellow_time))
            for n in nodes:
                c.set_phase(env, n, held[n])
            t = min(args.seconds, t + args.decide)
            c.step(env, until=t)
            halting_total += sum(sum(q["halting"]) for q in c.queues(env))
            samples += 1
        print(f"env {env}: {samples} decisions, mean halting vehicles at the signals {halting_total / max(1, samples):.1f}, stateHash {c.state_hash(env)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
