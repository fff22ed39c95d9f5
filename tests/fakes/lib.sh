# SPDX-License-Identifier: Apache-2.0
# Helpers for the audit e2e cases (sourced by tests/cases/45xx-*/cmd; POSIX sh).
#   fake_start ARGS...   start tests/fakes/iotfake.py on 127.0.0.1 with ARGS (its
#                        --svc specs etc.), wait until it listens, stop it on exit;
#                        sets $ports (TCP ports, comma-separated, "/udp" suffixes).
#   scope_file [TARGET] [FROM] [UNTIL]   write scope.ini
#   verdicts [PREFIX]    "check verdict" lines of out.json, sorted, unique
fake_start() {
  rm -f ready
  python3 "$ROOT/tests/fakes/iotfake.py" --addr 127.0.0.1 --ready ready --log fake.log "$@" > fake.out 2>&1 &
  fake_pid=$!
  trap 'st=$?; kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null || true; exit $st' EXIT
  i=0
  while [ ! -f ready ]; do
    sleep 0.1; i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 $fake_pid 2>/dev/null; then echo "fake did not start"; cat fake.out; exit 99; fi
  done
  ports=$(sed -e 's/^udp=\(.*\)/\1\/udp/' -e 's/^[a-z]*=//' ready | paste -sd, -)
}
scope_file() {
  printf 'owner = vigil test lab\ncontact = lab@example.org\nvalid-from = %s\nvalid-until = %s\ntarget = %s\n' \
    "${2:-2026-01-01}" "${3:-2099-12-31}" "${1:-127.0.0.1}" > scope.ini
}
verdicts() {
  python3 "$ROOT/tests/fakes/verdicts.py" out.json "${1:-}"
}
# sshd_start [EXTRA sshd_config LINES]: Debian's OpenSSH server on 127.0.0.1 with its own
# config and host key in $OUT (as root inside a private mount namespace, so that its
# privilege separation directory /run/sshd exists without touching the system);
# sets $sshd_port; stopped on exit.  Password logins of system accounts all fail
# (no PAM, no root login, no test user is created).
sshd_start() {
  rm -f "$OUT/hostkey" "$OUT/hostkey.pub"
  ssh-keygen -q -t ed25519 -N "" -f "$OUT/hostkey"
  sshd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s/hostkey\nPidFile %s/sshd.pid\nUsePAM no\nPasswordAuthentication yes\nPermitRootLogin no\nStrictModes no\n%s\n' \
    "$sshd_port" "$OUT" "$OUT" "${1:-}" > "$OUT/sshd_config"
  if [ "$(id -u)" = 0 ]; then
    unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec /usr/sbin/sshd -D -e -f "$1"' sh "$OUT/sshd_config" > sshd.log 2>&1 &
  else
    /usr/sbin/sshd -D -e -f "$OUT/sshd_config" > sshd.log 2>&1 &
  fi
  sshd_pid=$!
  trap 'st=$?; kill $sshd_pid 2>/dev/null; wait $sshd_pid 2>/dev/null || true; exit $st' EXIT
  i=0
  until grep -q "Server listening" sshd.log; do
    sleep 0.1; i=$((i + 1))
    if [ $i -gt 50 ]; then echo "sshd did not start"; cat sshd.log; exit 99; fi
  done
}
