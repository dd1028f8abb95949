#!/usr/bin/env bash
# Dynamic scan: wapiti3 against the running app on 127.0.0.1, zero findings expected.
#
# Starts gunicorn on a free loopback port behind TLS (a throwaway self-signed certificate,
# COACH_SECURE_COOKIES=1: the configuration SECURITY.md asks for in production), on a fresh
# database with the demo organisation: SQLite in a temporary instance folder, or a database
# of its own on the PostgreSQL server that COACH_TEST_DATABASE names (dropped after). It signs
# in as a demo manager (whose session also holds a rater link) and as the administrator, and
# runs wapiti with an explicit module list on each session. The JSON reports are then read,
# and any vulnerability or anomaly fails the script.
# Everything targets 127.0.0.1 only; wapiti lives in its own virtualenv because it pins
# versions of Flask and SQLAlchemy that differ from the app's.
#
#   bash scripts/dynamic-scan.sh            # both sessions, about 3 to 5 minutes
#   SCAN_SECONDS=60 SCAN_KEEP=1 bash scripts/dynamic-scan.sh   # shorter; keep logs and reports
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
WAPITI_VERSION=3.2.3
SCAN_VENV=${SCAN_VENV:-.venv/wapiti}
SCAN_SECONDS=${SCAN_SECONDS:-100}  # per session, crawling included
ATTACK_SECONDS=${ATTACK_SECONDS:-15}  # per attack module
MODULES=xss,permanentxss,sql,exec,file,crlf,redirect,csrf,http_headers,cookieflags,methods,csp

if [ ! -x "$SCAN_VENV/bin/wapiti" ] || ! "$SCAN_VENV/bin/wapiti" --version 2>/dev/null | grep -q "$WAPITI_VERSION"; then
  echo "Installing wapiti3 $WAPITI_VERSION into $SCAN_VENV..."
  python3 -m venv "$SCAN_VENV"
  { "$SCAN_VENV/bin/pip" install --upgrade pip \
      && "$SCAN_VENV/bin/pip" install "wapiti3==$WAPITI_VERSION"; } >"$SCAN_VENV.log" 2>&1 \
    || { tail -20 "$SCAN_VENV.log" >&2; exit 1; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/coach-scan.XXXXXX")
GUNICORN_PID=""
SCAN_DATABASE=""
cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ -n "$SCAN_DATABASE" ]; then database drop >/dev/null || true; fi
  if [ -n "${SCAN_KEEP:-}" ]; then echo "Kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

database() {  # database create|drop|peers|rater-link: the scan's own database, with the app's venv
  "$BIN/python" - "$1" "${COACH_TEST_DATABASE:-sqlite}" "$SCAN_DATABASE" "$WORK" <<'PY'
import sys
from urllib.parse import urlparse

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coach.config import normalise_database_url

action, server, name, work = sys.argv[1:]
if action == "peers":  # three colleagues from the directory: raters are directory people
    import os

    engine = create_engine(normalise_database_url(os.environ["COACH_DATABASE_URL"]))
    with engine.connect() as conn:
        emails = conn.execute(
            text(
                "SELECT email FROM user_account WHERE active AND role = 'manager' "
                "AND email <> :manager ORDER BY id LIMIT 3"
            ),
            {"manager": os.environ["SCAN_MANAGER"]},
        ).scalars()
        print(" ".join(emails))
    sys.exit(0)
if action == "rater-link":  # one invitation link from the outbox (no mail leaves)
    import os

    engine = create_engine(normalise_database_url(os.environ["COACH_DATABASE_URL"]))
    with engine.connect() as conn:
        link = conn.execute(
            text("SELECT link FROM outbox_message WHERE kind = 'invitation'")
        ).scalar()
    print(urlparse(link).path)
    sys.exit(0)
if server == "sqlite":
    print(f"sqlite:///{work}/instance/coach.db")
    sys.exit(0)
admin = create_engine(
    make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
)
with admin.connect() as conn:
    if action == "create":
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    else:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
print(make_url(server).set(database=name).render_as_string(hide_password=False))
PY
}

PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="https://127.0.0.1:$PORT"
export COACH_INSTANCE_DIR="$WORK/instance"
case "${COACH_TEST_DATABASE:-sqlite}" in
  postgres://* | postgresql://*)
    SCAN_DATABASE="coach_scan_$("$BIN/python" -c 'import secrets; print(secrets.token_hex(4))')"
    ;;
esac
COACH_DATABASE_URL=$(database create)
export COACH_DATABASE_URL
export COACH_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export COACH_DEMO_PASSWORD=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(18))')
export COACH_SECURE_COOKIES=1
export COACH_BASE_URL="$BASE"
export FLASK_APP=coach
mkdir -p "$COACH_INSTANCE_DIR"

echo "Preparing a fresh instance in $WORK (database: ${SCAN_DATABASE:-SQLite})..."
SETUP=$(date +%s)
"$BIN/flask" db upgrade >"$WORK/setup.log" 2>&1
"$BIN/flask" seed-demo >>"$WORK/setup.log" 2>&1
MANAGER=ceo@demo.coach.example  # a completed assessment, its report and a plan to attack

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1

# Threaded workers: a sync worker would sit on a TLS connection that the scanner opened and
# left idle, until gunicorn kills it for the timeout.
"$BIN/gunicorn" --workers 2 --worker-class gthread --threads 4 --bind "127.0.0.1:$PORT" \
  --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" \
  --no-control-socket --capture-output --error-logfile "$WORK/gunicorn.log" wsgi:app &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  curl -ksf "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -ksf "$BASE/healthz" >/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
echo "Serving on $BASE after $(( $(date +%s) - SETUP )) s of set-up."

browser() {  # browser ACTION EMAIL [PATH]: a signed-in session over the throwaway certificate
  # ACTION "cookie" prints the session cookie (holding a CSRF secret, and the rater link at
  # PATH if given) for wapiti; "open-round" opens a 360 round with the three peers in PATH.
  "$BIN/python" - "$1" "$BASE" "$2" "$COACH_DEMO_PASSWORD" "${3:-}" <<'PY'
import http.cookiejar, re, ssl, sys, urllib.parse, urllib.request

action, base, email, password, visit = sys.argv[1:]
loopback = ssl.create_default_context()
loopback.check_hostname, loopback.verify_mode = False, ssl.CERT_NONE  # our throwaway cert
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(
    urllib.request.HTTPSHandler(context=loopback), urllib.request.HTTPCookieProcessor(jar)
)


def post(path, page, **fields):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
    response = opener.open(f"{base}{path}", data)
    return response.geturl(), response.read().decode()


_, home = post("/sign-in", opener.open(f"{base}/sign-in").read().decode(), email=email,
               password=password)
assert "/sign-out" in home, f"{email} could not sign in"
if action == "cookie":
    if visit:  # the link moves into the session; its page must then be open to this browser
        assert "/rate/" in opener.open(f"{base}{visit}").geturl(), "the rater link did not work"
    print("; ".join(f"{c.name}={c.value}" for c in jar))
else:
    feedback = opener.open(f"{base}/feedback/").read().decode()
    url, page = post("/feedback/start", feedback)
    path = urllib.parse.urlparse(url).path
    for n, peer in enumerate(visit.split()):  # directory colleagues (outside raters wait)
        _, page = post(f"{path}/raters", page, name=f"Peer {n}", email=peer, relationship="peer")
    _, page = post(f"{path}/open", page)
    assert "The round is open" in page, "the round did not open"
PY
}

scan() {  # scan NAME EMAIL VISIT [WAPITI OPTIONS]: attack everything that session reaches
  local name=$1 email=$2 visit=$3
  shift 3
  local cookie
  cookie=$(browser cookie "$email" "$visit")
  echo "Scanning as $name ($email) with: $MODULES"
  # Signing out would end the scan's session. Payloads that point elsewhere name loopback.
  "$SCAN_VENV/bin/wapiti" -u "$BASE/" --scope folder -m "$MODULES" "$@" \
    -C "$cookie" -x "$BASE/sign-out" -x "$BASE/static/*" \
    --verify-ssl 0 --no-bugreport --dns-endpoint localhost \
    --external-endpoint "http://127.0.0.1:9/" \
    --flush-session --store-session "$WORK/wapiti-$name" --store-config "$WORK/wapiti-config" \
    --max-scan-time "$SCAN_SECONDS" --max-attack-time "$ATTACK_SECONDS" \
    --max-links-per-page 40 --max-files-per-dir 12 --tasks 4 --timeout 10 \
    -f json -o "$WORK/report-$name.json" >"$WORK/wapiti-$name.log" 2>&1 || {
      tail -30 "$WORK/wapiti-$name.log" >&2
      exit 1
    }
}

START=$(date +%s)
browser open-round "$MANAGER" "$(SCAN_MANAGER="$MANAGER" database peers)"
RATER=$(database rater-link)
# The manager's session also holds a rater link, so the rater's pages are crawled and attacked
# too (the round stays open). The administrator's scan comes last: it deactivates people.
scan manager "$MANAGER" "$RATER" -s "$BASE$RATER" -x "$BASE/feedback/*/close"
scan admin admin@demo.coach.example "" -x "$BASE/directory/people/*/active"
echo "Scanned in $(( $(date +%s) - START )) s."
# An error the app logged (Flask's "ERROR in app: Exception on ..."), whatever it answered.
if grep -qE "ERROR in [a-z_]+: " "$WORK/gunicorn.log"; then
  grep -A30 -E "ERROR in [a-z_]+: " "$WORK/gunicorn.log" | head -80 >&2
  exit 1
fi
"$BIN/python" - "$WORK"/report-*.json <<'PY'
import json, sys

found = 0
for path in sys.argv[1:]:
    report = json.load(open(path))
    info = report.get("infos", {})
    print(f"{path.rsplit('/', 1)[1]}: {info.get('crawled_pages_nbr', '?')} pages crawled")
    for kind in ("vulnerabilities", "anomalies"):
        for category, findings in sorted(report.get(kind, {}).items()):
            for finding in findings:
                found += 1
                where = f"{finding.get('method', '')} {finding.get('path', '')}".strip()
                print(f"  {kind[:-1]}: {category}: {where}: {finding.get('info', '')}")
print(f"wapiti: {found} finding(s)")
sys.exit(1 if found else 0)
PY
