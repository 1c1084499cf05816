#!/usr/bin/env bash
# Two `docsandbox serve` replicas behind HAProxy on loopback, as a Kubernetes Service would
# spread them, under a bounded load: 2 000 uploads of mixed corpus files at concurrency 16
# (scripts/loadgen.py). A third of the way in, one replica gets SIGTERM, as a rolling update
# or a scale-down sends it: it drains what it holds, HAProxy's health check (GET /readyz)
# takes it out, and requests that hit it meanwhile are retried on the other. Prints latency
# percentiles, throughput and the requests lost (there must be none).
#
#   scripts/load-balanced.sh [COUNT] [CONCURRENCY]     (needs haproxy and ../shared/corpus)
#
# A measurement, not part of the test command: it takes minutes and needs the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
concurrency="${2:-16}"
corpus="${DOCSANDBOX_CORPUS:-../shared/corpus}"
command -v haproxy >/dev/null || { echo "needs haproxy (apt-get install haproxy)" >&2; exit 2; }
[ -f "$corpus/MANIFEST.tsv" ] || { echo "needs the corpus at $corpus" >&2; exit 2; }
cargo build --release --locked -p docsandbox-cli >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Normal and malformed corpus files up to 1 MiB: HAProxy can only retry a request it holds
# whole in its buffer.
files=()
while IFS=$'\t' read -r path _ kind _; do
  if [ "$kind" = normal ] || [ "$kind" = malformed ]; then
    [ "$(stat -c %s "$corpus/$path")" -le 1048576 ] && files+=("$corpus/$path")
  fi
done < "$corpus/MANIFEST.tsv"

openssl rand -hex 32 > "$work/token"
workers=1 queue=15
for port in 18081 18082; do
  target/release/docsandbox serve --port "$port" --workers "$workers" --queue "$queue" --token-file "$work/token" \
    --shutdown-grace 30 > "$work/serve-$port.out" 2> "$work/serve-$port.log" &
  pids+=("$!")
done
cat > "$work/haproxy.cfg" <<CFG
global
    maxconn 256
    tune.bufsize 1179648
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout queue 120s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 503
    option http-buffer-request
frontend viewer
    bind 127.0.0.1:18080
    default_backend replicas
backend replicas
    balance leastconn
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 maxconn $((workers + queue - 1))
    server one 127.0.0.1:18081 check
    server two 127.0.0.1:18082 check
CFG
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do
  curl -sf -o /dev/null http://127.0.0.1:18081/readyz && curl -sf -o /dev/null http://127.0.0.1:18082/readyz \
    && curl -sf -o /dev/null http://127.0.0.1:18080/healthz && break
  sleep 0.2
done

echo "${#files[@]} files, $count uploads at concurrency $concurrency; replica one gets SIGTERM a third of the way in" >&2
status=0
scripts/loadgen.py --url http://127.0.0.1:18080 --token-file "$work/token" --count "$count" --concurrency "$concurrency" \
  --on-progress "kill -TERM ${pids[0]}" "${files[@]}" || status=$?
wait "${pids[0]}" && echo "replica one drained and exited 0" >&2 || echo "replica one exited $?" >&2
echo "renders logged: one $(grep -c '"event":"render"' "$work/serve-18081.log"), two $(grep -c '"event":"render"' "$work/serve-18082.log")" >&2
exit "$status"
