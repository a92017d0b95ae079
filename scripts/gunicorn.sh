# Sourced by the load test and Lighthouse scripts: start gunicorn with the repository's
# settings (deploy/gunicorn.conf.py, 2 workers) on 127.0.0.1:$PORT and wait until
# /healthz answers 200. Sets GUNICORN_PID for the caller's cleanup trap; needs PORT,
# BASE and WORK. $1 names the caller in errors. The access log goes to $WORK/access.log.
start_gunicorn() {
  local who="$1"
  GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" \
    GUNICORN_ACCESS_LOG="$WORK/access.log" GUNICORN_ERROR_LOG="$WORK/gunicorn.log" \
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py twitchlog.wsgi 2>>"$WORK/gunicorn.log" &
  GUNICORN_PID=$!
  for _ in $(seq 1 60); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "$who: gunicorn did not start" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && return 0
    sleep 0.5
  done
  echo "$who: gunicorn does not answer on $BASE" >&2
  exit 1
}
