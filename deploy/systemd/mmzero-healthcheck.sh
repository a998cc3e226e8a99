#!/bin/sh
# Usage: mmzero-healthcheck.sh <healthz URL> <systemd unit>
# Restarts <unit> when <healthz URL> answers 503 (stalled) or does not answer within 10 s (hung);
# leaves it alone when it answers 200, or refuses the connection (starting up, or stopped: the
# unit's Restart= handles a dead process). Exits 1 when curl cannot run at all (not installed).
set -u
url="$1"
unit="$2"
code=$(curl --silent --output /dev/null --max-time 10 --write-out '%{http_code}' "$url")
status=$?
case "$status/$code" in
  0/200)
    exit 0 ;;
  0/503 | 28/*)
    echo "$unit: $url answered ${code} (curl exit $status): restarting it"
    exec systemctl restart "$unit" ;;
  127/*)
    echo "$unit: curl is not installed: the probe cannot run" >&2
    exit 1 ;;
  *)
    echo "$unit: $url not reachable (curl exit $status, HTTP ${code}): starting or stopped; left alone"
    exit 0 ;;
esac
