# Sourced by scripts/loadtest.sh and scripts/loadtest_cluster.sh: what both load tests
# need besides gunicorn (scripts/gunicorn.sh). A throwaway PostgreSQL cluster of their own
# (so that stopping it cannot disturb any other database on the machine), the demo people
# and the wrk run.
#
# The callers set WORK (their temporary folder), PG_PORT, USERS and, before run_wrk, BASE.

PG_DB=twitchlog_load
PY=.venv/bin/python

# require_tools WHO TOOL...: stop with the Debian package to install when a tool is missing.
require_tools() {
  local who="$1" tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] \
      || { echo "$who: $tool is missing (apt-get install -y $(debian_package "$tool"))" >&2; exit 1; }
  done
}

debian_package() {
  case "$1" in
    nginx) echo nginx-light ;;
    redis-server | redis-cli) echo redis-server ;;
    *) echo "$1" ;;
  esac
}

# refuse_busy_port WHO PORT: stop when something already listens on 127.0.0.1:PORT.
refuse_busy_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
    echo "$1: something already listens on 127.0.0.1:$2; free the port or choose another" >&2
    exit 1
  fi
}

# find_pg_bin WHO: sets PG_BIN to the newest PostgreSQL server's binaries.
find_pg_bin() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$PG_BIN" ] && command -v pg_config >/dev/null; then
    PG_BIN="$(pg_config --bindir)"
  fi
  [ -x "$PG_BIN/initdb" ] \
    || { echo "$1: PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -s \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" start
}

pg_stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -s stop
}

# pg_stop_if_running: for the callers' exit traps.
pg_stop_if_running() {
  [ -n "${PGDATA:-}" ] && [ -f "$PGDATA/postmaster.pid" ] && pg_stop 2>/dev/null
  return 0
}

# pg_create_cluster: initdb, start and create the database; exports DATABASE_URL.
pg_create_cluster() {
  PGDATA="$WORK/pgdata"
  chmod 755 "$WORK"
  mkdir -m 700 "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PGDATA"
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  pg_start
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
}

# pg_sql QUERY: one query's answer, unaligned, without headers.
pg_sql() {
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" -tAc "$1"
}

twitch_rows() { pg_sql "SELECT count(*) FROM journal_twitchentry"; }

# production_env PREFIX: DEBUG off with a fresh secret key, as a real deployment runs;
# the few emails (none in the load) go to the console, which is only for a throwaway run.
production_env() {
  export DEBUG=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=ERROR EMAIL_BACKEND=console
  SECRET_KEY="$1-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  export SECRET_KEY
}

# prepare_app: migrate, collect static files and create the USERS demo people, whose
# sessions and log form land in $WORK (see `manage.py loadtest_setup`).
prepare_app() {
  echo "== migrate, collectstatic, $USERS demo people"
  $PY manage.py migrate --no-input -v0
  $PY manage.py collectstatic --no-input -v0
  $PY manage.py loadtest_setup --users "$USERS" --out "$WORK"
}

# run_wrk PHASE SECONDS: one connection per person against $BASE; the results land in
# $WORK/PHASE.result as key=value lines, and the notes of every log the app answered
# as saved in $WORK/PHASE.saved. An answer slower than WRK_TIMEOUT (10s) counts as a
# socket error. With LOADTEST_TOKENS (a file of API tokens, one per person) each round
# also logs a twitch through the API.
run_wrk() {
  local phase="$1" seconds="$2" timeout="${WRK_TIMEOUT:-10s}"
  # wrk's own deadline is a backstop: each thread stops itself after `seconds`, once its
  # request in flight is answered, so the deadline leaves time for the slowest answer.
  LOADTEST_PHASE="$phase" LOADTEST_RESULT="$WORK/$phase.result" \
    LOADTEST_SAVED="$WORK/$phase.saved" wrk -t "$USERS" -c "$USERS" \
    -d "$((seconds + ${timeout%s} + 10))s" \
    --timeout "$timeout" -s scripts/loadtest.lua "$BASE" -- \
    "$seconds" "$WORK/sessions.txt" "$WORK/log_body.txt" ${LOADTEST_TOKENS:+"$LOADTEST_TOKENS"} \
    >"$WORK/$phase.wrk"
}

# result PHASE KEY: one value from a wrk phase's results.
result() { sed -n "s/^$2=//p" "$WORK/$1.result"; }

# compare_saved PHASE: the twitch rows a phase wrote against the logs answered as saved,
# by each log's own note. Sets ROWS (rows written), DUPLICATED (notes on more than one
# row), MISSING (saved answers without a row) and UNANSWERED (rows whose request got no
# saved answer: it was cut off after the database committed it).
compare_saved() {
  local phase="$1"
  pg_sql "SELECT substring(notes FROM ' ($phase-[0-9]+-[0-9]+)\$') FROM journal_twitchentry
          WHERE notes LIKE 'Logged by the load test. $phase-%'" | sort >"$WORK/$phase.rows"
  sort "$WORK/$phase.saved" >"$WORK/$phase.saved.sorted"
  ROWS="$(wc -l <"$WORK/$phase.rows")"
  DUPLICATED="$(uniq -d "$WORK/$phase.rows" | wc -l)"
  MISSING="$(comm -23 "$WORK/$phase.saved.sorted" <(uniq "$WORK/$phase.rows") | wc -l)"
  UNANSWERED="$(comm -13 "$WORK/$phase.saved.sorted" <(uniq "$WORK/$phase.rows") | wc -l)"
}
