#!/usr/bin/env python3
"""Checks deploy/ against the real program, as scripts/test.sh runs it.

1. The Kubernetes manifests are valid for the API (kubernetes-validate --strict, when it is
   installed: scripts/test.sh installs it in a venv).
2. The Deployment keeps its hardening: non-root, read-only root file system, no privilege
   escalation, every capability dropped, RuntimeDefault seccomp, resource requests and
   limits, the three probes, a grace period longer than the drain.
3. Every DOCSANDBOX_* variable the Dockerfile and the manifest set is one the program reads
   (a misspelt one would be silently ignored).
4. The program started with the container's environment (on a free local port) answers
   the manifest's probe paths, renders with the manifest's host name, and on SIGTERM drains
   and exits 0 within the grace period.

Usage: deploy/check.py PATH/TO/docsandbox
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "kubernetes", "docsandbox.yaml")
DOCKERFILE = os.path.join(HERE, "Dockerfile")
# Read by the library's EngineConfig::from_env rather than by a flag.
ENGINE_VARIABLES = {"DOCSANDBOX_CACHE_DIR", "DOCSANDBOX_ON_DEMAND_ALLOCATION"}


def fail(message):
    print(f"deploy/check.py: {message}", file=sys.stderr)
    sys.exit(1)


def documents():
    with open(MANIFEST) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def validate_schemas():
    validator = shutil.which("kubernetes-validate")
    if validator is None:
        if os.environ.get("CI"):
            fail("kubernetes-validate is not installed")
        print("deploy/check.py: kubernetes-validate not installed, schema check skipped")
        return
    subprocess.run([validator, "--strict", "--quiet", MANIFEST], check=True)


def check_hardening(deployment):
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    pod_security = pod["securityContext"]
    security = container["securityContext"]
    expectations = {
        "pod runAsNonRoot": pod_security.get("runAsNonRoot") is True,
        "pod seccomp RuntimeDefault": pod_security.get("seccompProfile", {}).get("type") == "RuntimeDefault",
        "container runAsNonRoot": security.get("runAsNonRoot") is True,
        "readOnlyRootFilesystem": security.get("readOnlyRootFilesystem") is True,
        "no privilege escalation": security.get("allowPrivilegeEscalation") is False,
        "not privileged": security.get("privileged") is False,
        "all capabilities dropped": security.get("capabilities", {}).get("drop") == ["ALL"],
        "no service account token": pod.get("automountServiceAccountToken") is False,
        "cpu and memory requests": {"cpu", "memory"} <= set(container["resources"].get("requests", {})),
        "cpu and memory limits": {"cpu", "memory"} <= set(container["resources"].get("limits", {})),
        "startup, readiness and liveness probes": all(p in container for p in ("startupProbe", "readinessProbe", "livenessProbe")),
    }
    for what, holds in expectations.items():
        if not holds:
            fail(f"the Deployment lost its hardening: {what}")
    env = {e["name"]: e["value"] for e in container["env"]}
    grace = int(env["DOCSANDBOX_SHUTDOWN_GRACE"]) + container["lifecycle"]["preStop"]["sleep"]["seconds"]
    if pod["terminationGracePeriodSeconds"] <= grace:
        fail("terminationGracePeriodSeconds must outlast the preStop pause and the drain")
    limit = container["resources"]["limits"]["memory"]
    limit_mib = int(limit[:-2]) * (1024 if limit.endswith("Gi") else 1)
    if int(env["DOCSANDBOX_MEMORY_BUDGET_MIB"]) >= limit_mib:
        fail("the memory budget must fit inside the container's memory limit")
    return container, env


def dockerfile_env():
    text = open(DOCKERFILE).read().replace("\\\n", " ")
    env = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(re.findall(r"(DOCSANDBOX_\w+)=(\S*)", line))
    return env


def check_variables(program, names):
    help_text = subprocess.run([program, "serve", "--help"], capture_output=True, text=True, check=True).stdout
    help_text += subprocess.run([program, "--help"], capture_output=True, text=True, check=True).stdout
    read = set(re.findall(r"env: (DOCSANDBOX_\w+)", help_text)) | ENGINE_VARIABLES
    unknown = sorted(set(names) - read)
    if unknown:
        fail(f"set in deploy/ but read by nothing: {', '.join(unknown)}")


def request(port, method, path, host, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def run_like_the_container(program, container, env):
    cache = tempfile.mkdtemp()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DOCSANDBOX_")}
    environment.update(dockerfile_env())
    environment.update(env)
    token_file = os.path.join(cache, "token")
    with open(token_file, "w") as f:
        f.write(os.urandom(32).hex() + "\n")
    environment.update({"DOCSANDBOX_ADDR": "127.0.0.1", "DOCSANDBOX_PORT": "0", "DOCSANDBOX_CACHE_DIR": os.path.join(cache, "docsandbox"), "DOCSANDBOX_TOKEN_FILE": token_file})
    child = subprocess.Popen([program, "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            fail(f"the viewer did not start: {line!r} {child.stderr.read()}")
        port = int(match.group(1))
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            path = container[probe]["httpGet"]["path"]
            status, _ = request(port, "GET", path, f"10.0.0.7:{container['ports'][0]['containerPort']}")
            if status != 200:
                fail(f"{probe} {path} answered {status}")
        host = env["DOCSANDBOX_ALLOWED_HOST"].split(",")[0]
        status, page = request(port, "GET", "/", host)
        if status != 200:
            fail(f"the viewer refused its own host name {host}: {status}")
        token = re.search(rb'name="docsandbox-token" content="([0-9a-f]+)"', page).group(1).decode()
        if token != open(token_file).read().strip():
            fail("the page does not carry the shared token from DOCSANDBOX_TOKEN_FILE")
        sample = open(os.path.join(HERE, "..", "samples", "welcome.pdf"), "rb").read()
        boundary = "check-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="welcome.pdf"\r\n\r\n').encode() + sample
        body += f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Docsandbox-Token": token, "Origin": f"https://{host}"}
        status, answer = request(port, "POST", "/render", host, body, headers)
        if status != 200 or b'"type":"done"' not in answer:
            fail(f"a render through the manifest's host name failed: {status} {answer[:200]!r}")
        child.send_signal(signal.SIGTERM)
        grace = int(env["DOCSANDBOX_SHUTDOWN_GRACE"])
        code = child.wait(timeout=grace + 5)
        if code != 0:
            fail(f"after SIGTERM the viewer exited with {code}")
        logs = child.stderr.read()
        if '"event":"stopped"' not in logs:
            fail(f"no shutdown log line: {logs}")
    finally:
        if child.poll() is None:
            child.kill()
        shutil.rmtree(cache, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        fail("usage: deploy/check.py PATH/TO/docsandbox")
    program = sys.argv[1]
    validate_schemas()
    kinds = {d["kind"]: d for d in documents()}
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"):
        if kind not in kinds:
            fail(f"the manifest has no {kind}")
    container, env = check_hardening(kinds["Deployment"])
    check_variables(program, list(env) + list(dockerfile_env()))
    run_like_the_container(program, container, env)
    print("deploy/check.py: manifests valid, hardening kept, the container's settings run")


if __name__ == "__main__":
    main()
