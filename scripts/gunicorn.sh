# Sourced by the load tests and the Lighthouse script: gunicorn with the repository's
# settings (deploy/gunicorn.conf.py, 2 workers) on 127.0.0.1, started in the background
# and awaited until /healthz answers 200.

# launch_gunicorn PORT LOG ACCESS_LOG: start gunicorn on 127.0.0.1:PORT, its error log
# (and anything the app prints) appended to LOG and its access log to ACCESS_LOG, in a
# session of its own: `kill -KILL -- -$GUNICORN_PID` then reaches the master and every
# worker at once, as a machine dying would, and a Ctrl-C reaches the caller, whose
# cleanup stops it. No control socket: by default every gunicorn of a user shares one
# path, and a throwaway server must not take over another's. Sets GUNICORN_PID.
launch_gunicorn() {
  GUNICORN_BIND="127.0.0.1:$1" GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" \
    GUNICORN_ERROR_LOG="$2" GUNICORN_ACCESS_LOG="$3" \
    setsid .venv/bin/gunicorn -c deploy/gunicorn.conf.py twitchlog.wsgi --no-control-socket \
    >>"$2" 2>&1 &
  GUNICORN_PID=$!
}

# await_healthz WHO URL PID: wait until URL/healthz answers 200; stop if PID dies first
# or nothing answers within 30 s.
await_healthz() {
  local who="$1" url="$2" pid="$3"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { echo "$who: gunicorn did not start" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] && return 0
    sleep 0.5
  done
  echo "$who: gunicorn does not answer on $url" >&2
  exit 1
}

# start_gunicorn WHO: gunicorn on $PORT with its logs in $WORK/gunicorn.log and
# $WORK/access.log, awaited at $BASE. Sets GUNICORN_PID for the caller's cleanup trap.
start_gunicorn() {
  launch_gunicorn "$PORT" "$WORK/gunicorn.log" "$WORK/access.log"
  await_healthz "$1" "$BASE" "$GUNICORN_PID"
}
