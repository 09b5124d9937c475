#!/usr/bin/env bash
# CPI upload throughput against plain TCP over the same path, in the same run (issue 3).
#
# Three paths, each between Linux network namespaces made here (10.231.9.0/24, nothing leaves them):
#   loopback      client and server in one namespace, over lo
#   shaped        a veth pair between two namespaces, tbf 100 Mbit/s on both ends
#   shaped-lossy  the same plus 2% random packet loss in each direction (nft numgen in both namespaces)
# On each: a 50 MB file sent R times over TCP (a Java socket) and uploaded R times with the SDK
# (FaxlanClient.upload), alternating; prints per-run MB/s (1 MB = 10^6 bytes), medians and the ratio.
#
# Each path starts with one uncounted full-size transfer each way (JIT warm-up on both ends).
# Needs root, ip, tc, nft, a JDK 17 and Maven. Usage: bench/cpi-upload.sh [SIZE_MB] [RUNS]
# PATHS="loopback shaped lossy" selects paths; JAVA_CLIENT_OPTS adds JVM options to the uploading client.
set -euo pipefail
size_mb="${1:-50}"
runs="${2:-3}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "cpi-upload: needs root (network namespaces)" >&2; exit 2; }
for t in ip tc nft java mvn; do command -v "$t" >/dev/null || { echo "cpi-upload: $t is missing" >&2; exit 2; }; done

bench_build
java_opts=(-XX:+UseParallelGC -Xmx1g)
paths="${PATHS:-loopback shaped lossy}"
read -r -a client_opts <<<"${JAVA_CLIENT_OPTS:-}"

tag="fb$$"
srv="${tag}s"; cli="${tag}c"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$srv" 2>/dev/null || true
  ip netns del "$cli" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

ip netns add "$srv"; ip netns add "$cli"
ip -n "$srv" link set lo up; ip -n "$cli" link set lo up
ip -n "$srv" link add eth0 type veth peer name eth0 netns "$cli"
ip -n "$srv" addr add 10.231.9.1/24 dev eth0; ip -n "$cli" addr add 10.231.9.2/24 dev eth0
ip -n "$srv" link set eth0 up; ip -n "$cli" link set eth0 up

export FAXLAN_ADMIN_PASSWORD="bench-admin-pw" FAXLAN_USER=admin FAXLAN_PASSWORD="bench-admin-pw"
ip netns exec "$srv" java "${java_opts[@]}" -cp "$cp" dev.faxlan.launcher.Launcher server --data "$work/data" --port 4644 --name bench \
  >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
ip netns exec "$srv" java -Xmx256m -cp "$cp" dev.faxlan.bench.cpi.UploadBench tcp-sink 5001 >"$work/sink.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q identity "$work/server.out" 2>/dev/null && grep -q sink "$work/sink.out" 2>/dev/null && break; sleep 0.2; done
grep -q identity "$work/server.out" || { echo "cpi-upload: server did not start" >&2; cat "$work/server.err" >&2; exit 1; }

run() { # NS HOST LABEL
  ip netns exec "$1" java "${java_opts[@]}" "${client_opts[@]}" -cp "$cp" dev.faxlan.bench.cpi.UploadBench run --host "$2" --cpi-port 4644 --tcp-port 5001 \
    --size-mb "$size_mb" --runs "$runs" --label "$3" 2>>"$work/client.err"
}

bench_header
case " $paths " in *" loopback "*) run "$srv" 127.0.0.1 loopback ;; esac

for ns in "$srv" "$cli"; do
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate 100mbit burst 256kb latency 50ms
done
case " $paths " in *" shaped "*) run "$cli" 10.231.9.1 shaped-100mbit ;; esac

for ns in "$srv" "$cli"; do
  ip netns exec "$ns" nft -f - <<'NFT'
table inet fxbenchloss {
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "eth0" numgen random mod 100 < 2 counter drop
	}
}
NFT
done
case " $paths " in *" lossy "*) run "$cli" 10.231.9.1 shaped-100mbit-loss2pct ;; esac
for ns in "$srv" "$cli"; do
  echo "# $ns dropped: $(ip netns exec "$ns" nft list table inet fxbenchloss | grep -o 'packets [0-9]*' | head -1)"
done
if grep -q -E 'WARN|ERROR|Exception' "$work/client.err"; then echo "# client stderr:"; grep -E 'WARN|ERROR|Exception' "$work/client.err" | sort | uniq -c | head -5; fi
