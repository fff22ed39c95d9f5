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
