#!/usr/bin/env bash
# `make loadtest-cluster`: several app servers behind nginx, under load and a failure,
# on loopback only, with throwaway state in a temporary folder.
#
# 1. Starts its own PostgreSQL cluster and its own Redis (each on a spare port, so that
#    stopping them cannot disturb anything else on the machine), migrates, collects
#    static files and creates LOADTEST_USERS demo people with signed-in sessions.
# 2. Starts two gunicorn app servers (2 workers each, DEBUG off, REDIS_URL set) on two
#    ports, and nginx in front of them with deploy/nginx/twitchlog-proxy.conf, the
#    deployment's own proxy rules, in a generated config (nginx runs as the current user
#    with its prefix, pid file, logs and temporary files in the temporary folder).
# 3. Lock-outs: wrong passwords sent to one app server must pause signing in on the
#    other, and wrong passwords sent through nginx (which spreads them over both) must
#    pause signing in on each.
# 4. Load: the mixed load of `make loadtest` (scripts/loadtest.lua) through nginx for
#    LOADTEST_SECONDS, each person's round also logging a twitch through the API with an
#    Idempotency-Key of its own. Some seconds in, the first app server is killed (SIGKILL
#    to its master and workers at once, as a machine dying would) and started again.
#
# Prints requests/s, p50/p99, the statuses, and the twitch rows written against the
# logs answered as saved. Passes only when: no answer was a 5xx other than nginx's 502
# for a form POST in flight on the killed server (nginx's log names the server behind
# each answer: a GET or a keyed API POST in flight must have been sent on to the other
# server); no twitch was written twice; every log answered as saved is a row; the
# lock-outs held across servers. Everything it starts is stopped and deleted on exit,
# on Ctrl-C and on failure.
set -euo pipefail
. "$(dirname "$0")/gunicorn.sh"
. "$(dirname "$0")/loadtest_lib.sh"
cd "$(dirname "$0")/.."

USERS="${LOADTEST_USERS:-50}"
SECONDS_LOAD="${LOADTEST_SECONDS:-30}"
KILL_AFTER="${LOADTEST_KILL_AFTER:-10}"
DOWN_SECONDS="${LOADTEST_DOWN_SECONDS:-3}"
NGINX_PORT="${LOADTEST_NGINX_PORT:-8110}"
APP_PORTS=("${LOADTEST_APP1_PORT:-8111}" "${LOADTEST_APP2_PORT:-8112}")
PG_PORT="${LOADTEST_PG_PORT:-8173}"
REDIS_PORT="${LOADTEST_REDIS_PORT:-8174}"
BASE="http://127.0.0.1:$NGINX_PORT"
# While one server is down the other takes every request, and they queue: an answer may
# take as long as nginx waits for one (35 s). Only slower than that is a failure.
WRK_TIMEOUT=40s
APP_URLS=("http://127.0.0.1:${APP_PORTS[0]}" "http://127.0.0.1:${APP_PORTS[1]}")
NGINX=/usr/sbin/nginx
command -v nginx >/dev/null && NGINX="$(command -v nginx)"

# nginx leaves a failed server out for 10 s (fail_timeout): the load must go on long
# enough after the restart for nginx to send it requests again.
if [ "$SECONDS_LOAD" -lt $((KILL_AFTER + DOWN_SECONDS + 15)) ]; then
  echo "loadtest-cluster: LOADTEST_SECONDS must be at least LOADTEST_KILL_AFTER + LOADTEST_DOWN_SECONDS + 15" >&2
  exit 1
fi
require_tools loadtest-cluster wrk curl nginx redis-server redis-cli
find_pg_bin loadtest-cluster
for port in "$NGINX_PORT" "${APP_PORTS[@]}" "$PG_PORT" "$REDIS_PORT"; do
  refuse_busy_port loadtest-cluster "$port"
done

WORK="$(mktemp -d /tmp/twitchlog-cluster.XXXXXX)"
APP_PIDS=("" "")
REDIS_PID=""
NGINX_PID=""
WRK_PID=""

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  for pid in "${APP_PIDS[@]}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  pg_stop_if_running
  if [ "$status" -ne 0 ]; then
    for log in app1.log app2.log nginx/error.log; do
      [ -s "$WORK/$log" ] || continue
      echo "--- last lines of $log" >&2
      tail -n 15 "$WORK/$log" >&2
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (throwaway)"
pg_create_cluster
# Redis, nginx and the app servers run in sessions of their own (setsid): a Ctrl-C
# reaches this script, whose cleanup stops them in order, not them directly.
setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$WORK" --logfile "$WORK/redis.log" >/dev/null &
REDIS_PID=$!
for _ in $(seq 1 50); do
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] \
  || { echo "loadtest-cluster: Redis did not start" >&2; exit 1; }

production_env loadtest-cluster
# As behind a real proxy (deploy/twitchlog.env.example): the address is the last one in
# X-Forwarded-For, and every count is in the shared Redis.
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TRUSTED_PROXY_COUNT=1 SECURE_PROXY_SSL_HEADER=true
prepare_app
# One API token per demo person, in the order of their sessions.
export LOADTEST_TOKENS="$WORK/tokens.txt"
$PY manage.py shell -v0 -c '
import os
from django.contrib.auth import get_user_model
from api.tokens import create_token
from journal.management.commands.loadtest_setup import EMAIL_DOMAIN
people = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN).order_by("email")
with open(os.environ["LOADTEST_TOKENS"], "w") as tokens:
    for person in people:
        tokens.write(create_token(person, "load test", "read+write")[1] + "\n")
'
[ "$(grep -c '^tl_' "$LOADTEST_TOKENS")" = "$USERS" ] \
  || { echo "loadtest-cluster: the API tokens were not made" >&2; exit 1; }

# start_app N: app server N (0 or 1), awaited; its logs are $WORK/appN+1.log and
# $WORK/appN+1.access.log.
start_app() {
  launch_gunicorn "${APP_PORTS[$1]}" "$WORK/app$(($1 + 1)).log" "$WORK/app$(($1 + 1)).access.log"
  APP_PIDS[$1]=$GUNICORN_PID
  await_healthz loadtest-cluster "${APP_URLS[$1]}" "${APP_PIDS[$1]}"
}

echo "== two app servers (gunicorn, 2 workers each) on ${APP_URLS[*]}"
start_app 0
start_app 1

echo "== nginx on $BASE in front of both"
mkdir -p "$WORK/nginx"
# Root's nginx would hand its workers to nobody; run them as whoever runs this.
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);" || user_line=""
cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    log_format cluster '\$msec \$request_method \$status upstream=\$upstream_addr \$upstream_status \$uri';
    access_log $WORK/nginx/access.log cluster;
    # As deploy/nginx/twitchlog.conf, on loopback and without TLS.
    upstream twitchlog {
        server 127.0.0.1:${APP_PORTS[0]} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:${APP_PORTS[1]} max_fails=1 fail_timeout=10s;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name 127.0.0.1;
        include $PWD/deploy/nginx/twitchlog-proxy.conf;
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -t -q
setsid "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
  -g 'daemon off;' &
NGINX_PID=$!
await_healthz loadtest-cluster "$BASE" "$NGINX_PID"

# sign_in URL EMAIL PASSWORD: one attempt; the sign-in page's answer goes to
# $WORK/sign_in.html and its status is printed. Django takes the unmasked CSRF secret as
# the form's token, so one request does.
sign_in() {
  local csrf
  csrf="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  curl -s -o "$WORK/sign_in.html" -w '%{http_code}' -H "Cookie: csrftoken=$csrf" \
    --data-urlencode "csrfmiddlewaretoken=$csrf" --data-urlencode "login=$2" \
    --data-urlencode "password=$3" "$1/accounts/login/"
}
PAUSED="password checks are paused"
WRONG="do not match an account"
# attempt URL EMAIL: a wrong password; answers "paused", "wrong" or what else came back.
attempt() {
  local status
  status="$(sign_in "$1" "$2" not-the-password)"
  if grep -q "$PAUSED" "$WORK/sign_in.html"; then
    echo paused
  elif grep -q "$WRONG" "$WORK/sign_in.html"; then
    echo wrong
  else
    echo "status $status: $(head -c 300 "$WORK/sign_in.html" | tr '\n' ' ')"
  fi
}

echo "== lock-outs across the app servers"
failed=0
# Five wrong passwords for one account from one address pause that pair (settings'
# login_failed_pair): three to the first server, two to the second, then both refuse.
for n in 1 2 3 4 5; do
  server=$((n <= 3 ? 0 : 1))
  answer="$(attempt "${APP_URLS[$server]}" lockout-direct@loadtest.invalid)"
  if [ "$answer" != wrong ]; then
    echo "FAIL: wrong password $n on app server $((server + 1)) answered $answer" >&2
    failed=1
  fi
done
for server in 0 1; do
  answer="$(attempt "${APP_URLS[$server]}" lockout-direct@loadtest.invalid)"
  if [ "$answer" != paused ]; then
    echo "FAIL: after five wrong passwords app server $((server + 1)) answered $answer" >&2
    failed=1
  fi
done
# The same through nginx, which spreads the tries over both servers.
for n in 1 2 3 4 5; do
  answer="$(attempt "$BASE" lockout-proxy@loadtest.invalid)"
  if [ "$answer" != wrong ]; then
    echo "FAIL: wrong password $n through nginx answered $answer" >&2
    failed=1
  fi
done
spread="$(awk '$2 == "POST" { print $4 }' "$WORK/nginx/access.log" | sort -u | wc -l)"
if [ "$spread" != 2 ]; then
  echo "FAIL: nginx sent the tries to $spread app server(s), not both" >&2
  failed=1
fi
for server in 0 1; do
  # Asked directly, each server takes the connection's address, 127.0.0.1, which is
  # also the client address nginx passed on: the same address and account.
  answer="$(attempt "${APP_URLS[$server]}" lockout-proxy@loadtest.invalid)"
  if [ "$answer" != paused ]; then
    echo "FAIL: after five wrong passwords through nginx app server $((server + 1)) answered $answer" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
echo "   5 wrong passwords (3 on one server, 2 on the other): both servers refuse the 6th"
echo "   5 wrong passwords through nginx (spread over both): both servers refuse the 6th"

echo "== load: $USERS people for ${SECONDS_LOAD}s through nginx; app server 1 killed after ${KILL_AFTER}s"
: >"$WORK/nginx/access.log"
run_wrk cluster "$SECONDS_LOAD" &
WRK_PID=$!
sleep "$KILL_AFTER"
killed_at="$(date +%s.%N)"
kill -KILL -- "-${APP_PIDS[0]}"
wait "${APP_PIDS[0]}" 2>/dev/null || true
APP_PIDS[0]=""
sleep "$DOWN_SECONDS"
start_app 0
back_at="$(date +%s.%N)"
wait "$WRK_PID"
WRK_PID=""
compare_saved cluster

killed="127.0.0.1:${APP_PORTS[0]}"
logs_ok="$(result cluster logs_ok)"
post_502="$(result cluster post_statuses | tr ',' '\n' | sed -n 's/^502://p')"
post_502="${post_502:-0}"
# Every 5xx in nginx's log, with the server(s) it was sent to. Allowed: nginx's 502 for
# a form POST the killed server had taken, answered between the kill and the restart.
awk '$3 >= 500' "$WORK/nginx/access.log" >"$WORK/5xx.log"
in_flight() {
  awk -v k="upstream=$killed" -v from="$killed_at" -v to="$back_at" "$1" "$WORK/5xx.log" | wc -l
}
ALLOWED='$3 == 502 && $4 == k && $1 >= from && $1 <= to && $2 == "POST" && $NF !~ /^\/api\//'
nginx_502_killed="$(in_flight "$ALLOWED")"
other_5xx="$(in_flight "!($ALLOWED)")"
api_replayed="$(result cluster api_replayed)"
after_restart="$(awk -v t="$back_at" -v k="upstream=$killed" '$1 > t && $4 == k' \
  "$WORK/nginx/access.log" | wc -l)"
retried="$(grep -c "upstream=$killed, " "$WORK/nginx/access.log" || true)"
retried_api_posts="$(awk -v k="upstream=$killed," '$2 == "POST" && $4 == k && $NF ~ /^\/api\//' \
  "$WORK/nginx/access.log" | wc -l)"
printf '   requests/s %s   p50 %s ms   p99 %s ms   requests %s   socket errors %s\n' \
  "$(result cluster rps)" "$(result cluster p50_ms)" "$(result cluster p99_ms)" \
  "$(result cluster requests)" "$(result cluster socket_errors)"
printf '   statuses %s   (form logs: %s; API logs with a key: %s, %s of them replayed)\n' \
  "$(result cluster statuses)" "$(result cluster post_statuses)" \
  "$(result cluster api_statuses)" "$api_replayed"
printf '   successful logs %s   twitch rows written %s   saved twice %s   saved answers without a row %s\n' \
  "$logs_ok" "$ROWS" "$DUPLICATED" "$MISSING"
printf '   killed server: %s 502s from nginx for form POSTs in flight; %s requests sent on to the other, %s of them keyed API POSTs\n' \
  "$nginx_502_killed" "$retried" "$retried_api_posts"
printf '   rows without a saved answer (saved, then cut off by the kill): %s; after its restart the server answered %s requests\n' \
  "$UNANSWERED" "$after_restart"

if [ "$other_5xx" != 0 ]; then
  echo "FAIL: $other_5xx answers were 5xx other than nginx's 502 for a form POST the killed server had:" >&2
  head -n 5 "$WORK/5xx.log" >&2
  failed=1
fi
if [ "$nginx_502_killed" -gt "$USERS" ]; then
  echo "FAIL: $nginx_502_killed 502s, more than the $USERS requests that can be in flight" >&2
  failed=1
fi
if [ "$(result cluster socket_errors)" != 0 ]; then
  echo "FAIL: connections to nginx failed or timed out" >&2
  failed=1
fi
unexpected="$(result cluster statuses | tr ',' '\n' | grep -v -E '^(200|201|302|502):' || true)"
if [ -n "$unexpected" ]; then
  echo "FAIL: unexpected statuses: $unexpected" >&2
  failed=1
fi
if [ "$DUPLICATED" != 0 ]; then
  echo "FAIL: $DUPLICATED twitches were written twice" >&2
  failed=1
fi
if [ "$logs_ok" = 0 ] || [ "$MISSING" != 0 ]; then
  echo "FAIL: $MISSING of $logs_ok logs answered as saved have no row" >&2
  failed=1
fi
if [ "$UNANSWERED" -gt "$post_502" ]; then
  echo "FAIL: $UNANSWERED rows were written without a saved answer, but only $post_502 logs were cut off" >&2
  failed=1
fi
if [ "$after_restart" = 0 ]; then
  echo "FAIL: nginx never sent a request to the restarted server" >&2
  failed=1
fi
[ "$failed" = 0 ] || exit 1
echo "== loadtest-cluster passed"
