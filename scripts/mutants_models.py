#!/usr/bin/env python3
"""Runs the model suites against the mutants that the std suite let live.

cargo-mutants builds and tests each mutant with one test command; the
std suite is the affordable one (a loom build and run per mutant costs
minutes). This script takes a finished cargo-mutants run and, for every
mutant it reports missed (and every timeout named in an optional file,
for timeouts that may have been the machine's doing), applies the
mutant's diff in a scratch checkout and runs:

1. the loom models of the `models` target under cargo-nextest, which
   stops at the first failing test;
2. if loom passes, the shuttle models, the same way.

Both runs leave out the pipeline's models and the toy catalog (FILTER):
the mutants are of the buffer, and those models take most of the time.
With PRODCON_MUTANTS_OF=pipeline in the environment the runs are of the
pipeline's models and the pipeline's catalog faults instead
(PIPELINE_FILTER), for mutants of `src/pipeline/`.
Each outcome is appended as one JSON line to loom.jsonl / shuttle.jsonl
in the output directory, so an interrupted run resumes where it stopped.

    cargo mutants --file 'src/buffer/*.rs' ... -o OUT -- <std tests>
    git worktree add --detach SCRATCH
    python3 scripts/mutants_models.py OUT SCRATCH [DOUBTFUL_TIMEOUTS]

The scratch checkout's `target/loom` and `target/shuttle` hold the builds.
"""
import json
import os
import subprocess
import sys
import time

FILTER = (
    "not (test(/^pipeline/) | test(/^bug_catalog::/) | test(one_pill_too_few)"
    " | test(producer_drops_item) | test(consumer_goes_on_after_pill))"
)

# The models of the pipeline, and the catalog tests whose faults sit in it.
PIPELINE_FILTER = (
    "test(/^pipeline/) | test(one_pill_too_few)"
    " | test(producer_drops_item) | test(consumer_goes_on_after_pill)"
)


def main():
    out, scratch = sys.argv[1], sys.argv[2]
    doubtful = set()
    if len(sys.argv) > 3:
        doubtful = set(open(sys.argv[3]).read().split("\n")) - {""}
    outcomes = json.load(open(os.path.join(out, "mutants.out", "outcomes.json")))["outcomes"]
    mutants = [
        o
        for o in outcomes
        if "Mutant" in o["scenario"]
        and (
            o["summary"] == "MissedMutant"
            or (o["summary"] == "Timeout" and o["scenario"]["Mutant"]["name"] in doubtful)
        )
    ]
    logs = {c: os.path.join(out, f"{c}.jsonl") for c in ("loom", "shuttle")}
    seen = {c: {} for c in logs}
    for c, path in logs.items():
        if os.path.exists(path):
            for line in open(path):
                r = json.loads(line)
                seen[c][r["name"]] = r["rc"]
    for o in mutants:
        m = o["scenario"]["Mutant"]
        name = m["name"]
        if name in seen["loom"] and (seen["loom"][name] != 0 or name in seen["shuttle"]):
            continue
        subprocess.run(["git", "checkout", "--", "src"], cwd=scratch, check=True)
        with open(os.path.join(out, "mutants.out", o["diff_path"])) as diff:
            subprocess.run(["patch", "-s", "-p0", m["file"]], cwd=scratch, check=True, stdin=diff)
        for checker in ("loom", "shuttle"):
            if name in seen[checker]:
                if seen[checker][name] != 0:
                    break
                continue
            rc = run(scratch, checker, name, logs[checker])
            seen[checker][name] = rc
            if rc != 0:
                break
    subprocess.run(["git", "checkout", "--", "src"], cwd=scratch, check=True)


def run(scratch, checker, name, log):
    env = dict(
        os.environ,
        RUSTFLAGS=f"--cfg {checker}",
        CARGO_TARGET_DIR=os.path.join(scratch, "target", checker),
    )
    started = time.time()
    p = subprocess.run(
        ["cargo", "nextest", "run", "--test", "models", "--no-tests=fail", "-E", filter_expression()],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [line.strip() for line in p.stderr.splitlines()]
    record = {
        "name": name,
        "rc": p.returncode,
        "secs": round(time.time() - started),
        "failed": [line for line in lines if line.startswith("FAIL ")][:3],
        "summary": [line for line in lines if line.startswith("Summary")][-1:],
    }
    if p.returncode not in (0, 100):  # 100: a test failed; anything else: say what
        record["tail"] = p.stderr[-1500:]
    with open(log, "a") as f:
        f.write(json.dumps(record) + "\n")
    print(checker, name, p.returncode, record["failed"][:1], flush=True)
    return p.returncode


def filter_expression():
    """Which models run: the buffer's (default) or the pipeline's."""
    return PIPELINE_FILTER if os.environ.get("PRODCON_MUTANTS_OF") == "pipeline" else FILTER


if __name__ == "__main__":
    main()
