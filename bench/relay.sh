#!/usr/bin/env bash
# What faxlan relay costs (issue 14): info latency (p50/p99) and upload throughput, directly and
# through the relay, over the same path, in one run.
#
# Namespaces made here (10.231.8.0/24 and 10.231.7.0/24, nothing leaves them):
#   client (10.231.8.2) — mid (10.231.8.1 | 10.231.7.1) — server (10.231.7.2)
# mid routes between the two links (the direct path) and runs `faxlan relay --listen 10.231.8.1:4644
# --server 10.231.7.2:4644` (the relayed path): both paths cross the same two veth links and the
# same namespace, so the difference is the relay. SHAPE=100mbit (default) puts tbf at that rate on
# every link end, as on a LAN; SHAPE=none leaves the veths unshaped (CPU-bound).
# Needs root, ip, tc, a JDK 17 and Maven. Usage: bench/relay.sh [REQUESTS] [SIZE_MB] [ROUNDS]
set -euo pipefail
requests="${1:-2000}"
size_mb="${2:-50}"
rounds="${3:-3}"
shape="${SHAPE:-100mbit}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "relay: needs root (network namespaces)" >&2; exit 2; }
for t in ip tc java mvn; do command -v "$t" >/dev/null || { echo "relay: $t is missing" >&2; exit 2; }; done

bench_build
java_opts=(-XX:+UseParallelGC -Xmx1g)

tag="fr$$"
cli="${tag}c"; mid="${tag}m"; srv="${tag}s"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in "$cli" "$mid" "$srv"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for ns in "$cli" "$mid" "$srv"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$cli" link add eth0 type veth peer name eth0 netns "$mid"
ip -n "$mid" link add eth1 type veth peer name eth0 netns "$srv"
ip -n "$cli" addr add 10.231.8.2/24 brd + dev eth0; ip -n "$mid" addr add 10.231.8.1/24 brd + dev eth0
ip -n "$mid" addr add 10.231.7.1/24 brd + dev eth1; ip -n "$srv" addr add 10.231.7.2/24 brd + dev eth0
ip -n "$cli" link set eth0 up; ip -n "$mid" link set eth0 up; ip -n "$mid" link set eth1 up; ip -n "$srv" link set eth0 up
ip -n "$cli" route add default via 10.231.8.1
ip -n "$srv" route add default via 10.231.7.1
ip netns exec "$mid" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
if [ "$shape" != none ]; then
  for end in "$cli eth0" "$mid eth0" "$mid eth1" "$srv eth0"; do
    set -- $end
    ip netns exec "$1" tc qdisc add dev "$2" root tbf rate "$shape" burst 256kb latency 50ms
  done
fi

export FAXLAN_ADMIN_PASSWORD="bench-admin-pw" FAXLAN_USER=admin FAXLAN_PASSWORD="bench-admin-pw"
ip netns exec "$srv" java "${java_opts[@]}" -cp "$cp" dev.faxlan.launcher.Launcher server --data "$work/data" --port 4644 --name bench \
  >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
ip netns exec "$mid" java "${java_opts[@]}" -cp "$cp" dev.faxlan.launcher.Launcher relay --listen 10.231.8.1:4644 --server 10.231.7.2:4644 \
  >"$work/relay.out" 2>"$work/relay.err" &
pids+=($!)
for _ in $(seq 1 600); do grep -q identity "$work/server.out" 2>/dev/null && grep -q identity "$work/relay.out" 2>/dev/null && break; sleep 0.2; done
grep -q identity "$work/server.out" || { echo "relay: server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
grep -q identity "$work/relay.out" || { echo "relay: relay did not start" >&2; cat "$work/relay.out" "$work/relay.err" >&2; exit 1; }

bench_header "path: veth x2 via a middle namespace, shape $shape"
ip netns exec "$cli" java "${java_opts[@]}" -cp "$cp" dev.faxlan.bench.cpi.RelayBench --direct 10.231.7.2:4644 --relay 10.231.8.1:4644 \
  --requests "$requests" --size-mb "$size_mb" --rounds "$rounds" 2>"$work/client.err"
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
# UDP datagrams the kernel dropped for a full socket receive buffer, per namespace (the relay's is mid).
for ns in "$cli" "$mid" "$srv"; do
  echo "# $ns UDP RcvbufErrors: $(ip netns exec "$ns" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp)"
done
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
echo "# $(grep 'relay stopping' "$work/relay.out" || echo 'relay printed no summary')"
if grep -q -E 'WARN|ERROR|Exception' "$work/client.err" "$work/relay.err"; then echo "# stderr:"; grep -h -E 'WARN|ERROR|Exception' "$work/client.err" "$work/relay.err" | sort | uniq -c | head -5; fi
