#!/usr/bin/env bash
# Starts (start DIR PORT) or stops (stop DIR) a throwaway PostgreSQL for the multi-replica tests:
# loopback only, trust authentication, run as user nobody (initdb refuses root).
set -euo pipefail
cmd=$1 dir=$2
bin=$(dirname "$(readlink -f "$(command -v initdb)")")
as_nobody() { runuser -u nobody -- "$@"; }
case "$cmd" in
start)
	port=$3
	rm -rf "$dir" && mkdir -p "$dir" && chown nobody:nogroup "$dir"
	as_nobody "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_nobody "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
		{ cat "$dir/postgres.log" >&2; exit 1; }
	;;
stop)
	[ -d "$dir/data" ] && as_nobody "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
	;;
esac
