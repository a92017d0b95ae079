#!/usr/bin/env bash
# `make lighthouse`: Lighthouse (npm, mobile profile) against the running app.
#
# Serves the app with gunicorn as in production (DEBUG off, collected static files
# served by WhiteNoise) on 127.0.0.1 with a throwaway SQLite database and one demo
# person with a few weeks of journal, then audits the landing page signed out and
# `/`, `/log/` and `/trends/` signed in. Each page is audited LIGHTHOUSE_RUNS times
# and the median run counts, as Lighthouse's own docs advise for performance.
#
# Lighthouse itself now and then abandons a run before the page starts loading
# (runtimeError NO_NAVSTART, about one run in six on a busy machine): such a run is made
# again, up to LIGHTHOUSE_ATTEMPTS times, so that one command gives an answer.
#
# Fails unless accessibility and best practices score 100 and performance at least
# 95 on every page. Reports are kept in LIGHTHOUSE_OUT (default /tmp/twitchlog-lighthouse).
set -euo pipefail
. "$(dirname "$0")/gunicorn.sh"
cd "$(dirname "$0")/.."

PORT="${LIGHTHOUSE_PORT:-8172}"
RUNS="${LIGHTHOUSE_RUNS:-3}"
OUT="${LIGHTHOUSE_OUT:-/tmp/twitchlog-lighthouse}"
PY=.venv/bin/python
BASE="http://127.0.0.1:$PORT"
ATTEMPTS="${LIGHTHOUSE_ATTEMPTS:-4}"
LIGHTHOUSE="${LIGHTHOUSE:-node_modules/.bin/lighthouse}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

[ -x "$LIGHTHOUSE" ] || { echo "lighthouse: run \`npm ci\` first to install it" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "lighthouse: no Chromium at $CHROME_PATH (apt-get install -y chromium)" >&2; exit 1; }

if curl -s -o /dev/null "$BASE/"; then
  echo "lighthouse: something already answers on $BASE; free the port or set LIGHTHOUSE_PORT" >&2
  exit 1
fi

WORK="$(mktemp -d /tmp/twitchlog-lighthouse-work.XXXXXX)"
GUNICORN_PID=""
cleanup() {
  local status=$?
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM
mkdir -p "$OUT"

unset DATABASE_URL
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=ERROR EMAIL_BACKEND=console
export SQLITE_PATH="$WORK/db.sqlite3"
export SECRET_KEY="lighthouse-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py loadtest_setup --users 1 --out "$WORK" >/dev/null
session="$(cut -d' ' -f1 "$WORK/sessions.txt")"
printf '{"Cookie": "sessionid=%s"}\n' "$session" >"$WORK/signed-in.json"
echo '{}' >"$WORK/signed-out.json"

start_gunicorn lighthouse

CHROME_FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --disable-sync --no-first-run"

# name|path|headers file
PAGES=(
  "landing|/|signed-out"
  "home|/|signed-in"
  "log|/log/|signed-in"
  "trends|/trends/|signed-in"
)

# One run of Lighthouse into $2, made again while Lighthouse abandons it (NO_NAVSTART).
# Any other failure ends the script as before.
audit() {
  local url=$1 report=$2 headers=$3 attempt status
  for attempt in $(seq 1 "$ATTEMPTS"); do
    status=0
    "$LIGHTHOUSE" "$url" --quiet --output=json --output-path="$report" \
      --only-categories=accessibility,best-practices,performance \
      --chrome-flags="$CHROME_FLAGS" --extra-headers="$WORK/$headers.json" || status=$?
    if ! node -e '
      let r;
      try { r = require(require("path").resolve(process.argv[1])); } catch { process.exit(0); }
      process.exit(r.runtimeError && r.runtimeError.code === "NO_NAVSTART" ? 1 : 0);
    ' "$report"; then
      echo "lighthouse: $url abandoned by Lighthouse (NO_NAVSTART), attempt $attempt of $ATTEMPTS" >&2
      continue
    fi
    return "$status"
  done
  echo "lighthouse: $url abandoned $ATTEMPTS times in a row" >&2
  return 1
}

failed=0
printf '%-8s %-9s %13s %15s %12s\n' page path accessibility best-practices performance
for entry in "${PAGES[@]}"; do
  IFS='|' read -r name path headers <<<"$entry"
  reports=()
  for run in $(seq 1 "$RUNS"); do
    report="$OUT/$name-$run.json"
    rm -f "$report"
    audit "$BASE$path" "$report" "$headers"
    reports+=("$report")
  done
  # The median run by performance; accessibility and best practices do not vary by run.
  read -r a11y practices perf median < <(node -e '
    const files = process.argv.slice(1);
    const runs = files.map((f) => Object.assign(require(require("path").resolve(f)), { file: f }));
    for (const r of runs) {
      if (r.runtimeError) { console.error(r.finalDisplayedUrl, r.runtimeError.message); process.exit(1); }
    }
    const score = (r, c) => Math.round(r.categories[c].score * 100);
    runs.sort((a, b) => score(a, "performance") - score(b, "performance"));
    const median = runs[Math.floor(runs.length / 2)];
    const worst = (c) => Math.min(...runs.map((r) => score(r, c)));
    console.log(
      worst("accessibility"), worst("best-practices"), score(median, "performance"), median.file
    );
  ' "${reports[@]}")
  printf '%-8s %-9s %13s %15s %12s\n' "$name" "$path" "$a11y" "$practices" "$perf"
  if [ "$a11y" -lt 100 ] || [ "$practices" -lt 100 ] || [ "$perf" -lt 95 ]; then
    failed=1
    # Say which audits cost points, so the fix can start at once.
    node -e '
      const r = require(require("path").resolve(process.argv[1]));
      for (const [id, cat] of Object.entries(r.categories)) {
        for (const ref of cat.auditRefs) {
          const a = r.audits[ref.id];
          if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
            console.log(`   ${id}: ${a.id} (${a.score}) ${a.title} ${a.displayValue || ""}`);
          }
        }
      }
    ' "$median"
  fi
done
echo "reports: $OUT"
if [ "$failed" != 0 ]; then
  echo "FAIL: accessibility and best practices must be 100, performance at least 95" >&2
  exit 1
fi
echo "== lighthouse passed"
