#!/usr/bin/env bash
# Starts (start DIR PORT) or stops (stop DIR) a throwaway Dovecot IMAP server for the mailbox
# end-to-end test: plaintext on loopback only, one user, mail under DIR, as user nobody.
set -euo pipefail
cmd=$1 dir=$2
case "$cmd" in
start)
	port=$3
	rm -rf "$dir" && mkdir -p "$dir/run" "$dir/state" "$dir/mail"
	chown -R nobody:nogroup "$dir/mail"
	echo "bezwaar:{PLAIN}imap-test-password" > "$dir/passwd"
	cat > "$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
first_valid_uid = 65534
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
CONF
	dovecot -c "$dir/dovecot.conf"
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
		sleep 0.1
	done
	echo "dovecot did not start; its log:" >&2
	cat "$dir/dovecot.log" >&2 || true
	exit 1
	;;
stop)
	[ -f "$dir/dovecot.conf" ] && doveadm -c "$dir/dovecot.conf" stop 2>/dev/null || true
	;;
esac
