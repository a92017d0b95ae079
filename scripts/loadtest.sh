#!/usr/bin/env bash
# `make loadtest`: load and fault test against PostgreSQL, on loopback only.
#
# 1. Starts a throwaway PostgreSQL cluster of its own (so that stopping it later
#    cannot disturb any other database on the machine), migrates, collects static
#    files, and creates LOADTEST_USERS demo people with journals and signed-in sessions.
# 2. Serves the app with gunicorn (2 workers, DEBUG off) on 127.0.0.1.
# 3. Load: wrk, one connection per person, mixes page views and twitch logging for
#    LOADTEST_SECONDS. Prints requests per second, p50/p99 latency and the error
#    count, which must be 0; the twitch rows written must equal the successful logs.
# 4. Faults: under a second, shorter load the database is stopped. Every failure must
#    be a clean 503 page (no stack trace) and /healthz must answer 503; then the
#    database is started again and the app must recover by itself within
#    LOADTEST_RECOVERY_SECONDS, with no restart of gunicorn. Counting every answer,
#    the twitch rows written must equal the successful logs (a save the database
#    committed is never answered 503), and the log must hold one line per failed
#    request and no traceback (no second exception).
#
# Exits non-zero when any of these does not hold. Everything it starts is stopped and
# deleted on exit.
set -euo pipefail
. "$(dirname "$0")/gunicorn.sh"
. "$(dirname "$0")/loadtest_lib.sh"
cd "$(dirname "$0")/.."

USERS="${LOADTEST_USERS:-50}"
SECONDS_LOAD="${LOADTEST_SECONDS:-30}"
SECONDS_FAULT="${LOADTEST_FAULT_SECONDS:-20}"
RECOVERY_SECONDS="${LOADTEST_RECOVERY_SECONDS:-30}"
PORT="${LOADTEST_PORT:-8107}"
PG_PORT="${LOADTEST_PG_PORT:-8171}"
BASE="http://127.0.0.1:$PORT"

require_tools loadtest wrk curl
find_pg_bin loadtest
refuse_busy_port loadtest "$PORT"
refuse_busy_port loadtest "$PG_PORT"

WORK="$(mktemp -d /tmp/twitchlog-loadtest.XXXXXX)"
GUNICORN_PID=""
WRK_PID=""

cleanup() {
  local status=$?
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  pg_stop_if_running
  if [ "$status" -ne 0 ] && [ -f "$WORK/gunicorn.log" ]; then
    echo "--- last lines of the gunicorn log" >&2
    tail -n 20 "$WORK/gunicorn.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== PostgreSQL: a throwaway cluster on 127.0.0.1:$PG_PORT"
pg_create_cluster
production_env loadtest
prepare_app

echo "== gunicorn: 2 workers on $BASE"
start_gunicorn loadtest

echo "== load: $USERS people for ${SECONDS_LOAD}s (page views and twitch logging)"
rows_before="$(twitch_rows)"
run_wrk load "$SECONDS_LOAD"
rows_written=$(($(twitch_rows) - rows_before))
compare_saved load
logs_ok="$(result load logs_ok)"
errors="$(result load errors)"
printf '   requests/s %s   p50 %s ms   p99 %s ms   requests %s   errors %s\n' \
  "$(result load rps)" "$(result load p50_ms)" "$(result load p99_ms)" \
  "$(result load requests)" "$errors"
printf '   successful logs %s   twitch rows written %s   statuses %s\n' \
  "$logs_ok" "$rows_written" "$(result load statuses)"
failed=0
if [ "$errors" != 0 ]; then
  echo "FAIL: $errors requests failed under load" >&2
  failed=1
fi
if [ "$logs_ok" = 0 ] || [ "$rows_written" != "$logs_ok" ] || [ "$ROWS" != "$logs_ok" ] \
  || [ "$DUPLICATED" != 0 ] || [ "$MISSING" != 0 ]; then
  echo "FAIL: $rows_written twitch rows written for $logs_ok successful log requests" \
    "($DUPLICATED saved twice, $MISSING saved answers without their row)" >&2
  failed=1
fi
[ "$failed" = 0 ] || exit 1

echo "== faults: stop PostgreSQL under load, then start it again"
session_cookie="sessionid=$(head -n 1 "$WORK/sessions.txt" | cut -d' ' -f1)"
rows_before="$(twitch_rows)"
log_lines_before="$(wc -l <"$WORK/gunicorn.log")"
probes_503=0
run_wrk fault "$SECONDS_FAULT" &
WRK_PID=$!
sleep 3
pg_stop
sleep 2
health_down="$(curl -s -o "$WORK/healthz.down" -w '%{http_code}' "$BASE/healthz")"
page_down="$(curl -s -o "$WORK/page.down" -w '%{http_code}' -H "Cookie: $session_cookie" "$BASE/journal/")"
for code in "$health_down" "$page_down"; do
  [ "$code" = 503 ] && probes_503=$((probes_503 + 1))
done
sleep 3
pg_start
recovered_after=""
for tenth in $(seq 1 $((RECOVERY_SECONDS * 10))); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")"
  if [ "$code" = 200 ]; then
    recovered_after="$(awk "BEGIN { printf \"%.1f\", $tenth / 10 }")"
    break
  fi
  [ "$code" = 503 ] && probes_503=$((probes_503 + 1))
  sleep 0.1
done
wait "$WRK_PID"
WRK_PID=""
page_after="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $session_cookie" "$BASE/journal/")"
fault_rows=$(($(twitch_rows) - rows_before))
fault_logs_ok="$(result fault logs_ok)"
# What the outage wrote to the log: one line per failed request, never a traceback.
tail -n +"$((log_lines_before + 1))" "$WORK/gunicorn.log" >"$WORK/fault.log"
answers_503=$(($(result fault statuses | tr ',' '\n' | sed -n 's/^503://p' | head -n 1) + probes_503))
lines_503="$(grep -c '^Service Unavailable: ' "$WORK/fault.log" || true)"
tracebacks="$(grep -c -e 'Traceback' -e 'another exception occurred' -e '_session_cache' "$WORK/fault.log" || true)"

printf '   while down: /healthz %s, /journal/ %s   back up: /healthz 200 after %ss, /journal/ %s\n' \
  "$health_down" "$page_down" "${recovered_after:-never}" "$page_after"
printf '   under load: requests %s   statuses %s   socket errors %s\n' \
  "$(result fault requests)" "$(result fault statuses)" "$(result fault socket_errors)"
printf '   successful logs %s   twitch rows written %s   503 answers %s   log lines for them %s   tracebacks %s\n' \
  "$fault_logs_ok" "$fault_rows" "$answers_503" "$lines_503" "$tracebacks"
if [ "$health_down" != 503 ] || [ "$page_down" != 503 ]; then
  echo "FAIL: with the database down the app answered $health_down and $page_down, not 503" >&2
  failed=1
fi
if grep -qi -e traceback -e 'File "' "$WORK/page.down" "$WORK/healthz.down" \
  || ! grep -q "Back in a moment" "$WORK/page.down"; then
  echo "FAIL: the outage page is not the calm 503 page" >&2
  failed=1
fi
# Under load every answer is either a normal one or the 503 page: never a 500.
unclean="$(result fault statuses | tr ',' '\n' | grep -v -E '^(200|302|503):' || true)"
if [ -n "$unclean" ] || [ "$(result fault socket_errors)" != 0 ]; then
  echo "FAIL: during the outage some answers were neither normal nor 503: ${unclean:-socket errors}" >&2
  failed=1
fi
# A save the database committed was answered as saved, and no saved answer lacks its row.
if [ "$fault_rows" != "$fault_logs_ok" ]; then
  echo "FAIL: during the outage $fault_rows twitch rows were written for $fault_logs_ok successful log requests" >&2
  failed=1
fi
if [ "$tracebacks" != 0 ] || [ "$lines_503" != "$answers_503" ]; then
  echo "FAIL: the outage left $tracebacks tracebacks and $lines_503 log lines for $answers_503 failed requests (want 0, and one line each)" >&2
  failed=1
fi
if [ -z "$recovered_after" ] || [ "$page_after" != 200 ]; then
  echo "FAIL: the app did not recover within ${RECOVERY_SECONDS}s of the database returning" >&2
  failed=1
fi
[ "$failed" = 0 ] || exit 1
echo "== loadtest passed"
