#!/usr/bin/env python3
"""Golden outputs of the template fidelity cases, made with the reference Helm engine.

For each case of cases.yaml, a chart named `fidelity` is written to a scratch folder (its
values.yaml: the file's `values`; templates/case.yaml: the case's `template`; templates/
_helpers.tpl: its `helpers`), rendered with `helm template`, and what Helm printed (the body of
templates/case.yaml) or its error message goes to golden.json.

  usage: make-golden.py HELM      (HELM: the `helm` of ../shared/tools/helm-reference/install.sh)
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

here = os.path.dirname(os.path.abspath(__file__))


def render(helm, values, case):
    with tempfile.TemporaryDirectory() as tmp:
        chart = os.path.join(tmp, "fidelity")
        os.makedirs(os.path.join(chart, "templates"))
        with open(os.path.join(chart, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: fidelity\nversion: 0.1.0\n")
        with open(os.path.join(chart, "values.yaml"), "w") as f:
            f.write(values)
        with open(os.path.join(chart, "templates", "case.yaml"), "w") as f:
            f.write(case["template"])
        if case.get("helpers"):
            with open(os.path.join(chart, "templates", "_helpers.tpl"), "w") as f:
                f.write(case["helpers"])
        p = subprocess.run([helm, "template", "rel", chart], capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": p.stderr.strip().removeprefix("Error: ")}
    header = "# Source: fidelity/templates/case.yaml\n"
    out = p.stdout
    at = out.find(header)
    body = "" if at < 0 else out[at + len(header):]
    return {"output": body.rstrip("\n")}


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(os.path.join(here, "cases.yaml")) as f:
        spec = yaml.safe_load(f)
    golden = {}
    for case in spec["cases"]:
        golden[case["name"]] = render(argv[0], spec["values"], case)
    with open(os.path.join(here, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
