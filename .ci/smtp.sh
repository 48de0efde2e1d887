#!/usr/bin/env bash
# Starts (start DIR PORT) or stops (stop DIR) a throwaway SMTP server for the notice test:
# aiosmtpd from Debian's python3-aiosmtpd, on loopback, delivering every message into the
# Maildir DIR/maildir.
set -euo pipefail
cmd=$1 dir=$2
case "$cmd" in
start)
	port=$3
	rm -rf "$dir" && mkdir -p "$dir/maildir/cur" "$dir/maildir/new" "$dir/maildir/tmp"
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" >"$dir/smtp.log" 2>&1 &
	echo $! >"$dir/pid"
	for _ in $(seq 1 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
		sleep 0.1
	done
	cat "$dir/smtp.log" >&2
	exit 1
	;;
stop)
	[ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
	;;
esac
