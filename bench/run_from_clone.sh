#!/usr/bin/env bash
# `make run` on a fresh clone, as a new user would: seconds until the app answers, then the
# virtualenv's size and package count. Usage: bench/run_from_clone.sh cold|warm [commit]
# cold: pip's cache is switched off (every package downloaded); warm: the user's pip cache.
# The clone is taken at the given commit (default: the newest), so an older Makefile can be
# measured the same way.
set -euo pipefail
mode=${1:-warm}
ref=${2:-HEAD}
source_repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d /tmp/coach-clone.XXXXXX)
git clone -q "$source_repo" "$work/coach"
cd "$work/coach"
git checkout -q "$ref"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$mode" = cold ]; then export PIP_NO_CACHE_DIR=1; fi
unset COACH_DATABASE_URL COACH_INSTANCE_DIR
start=$(date +%s.%N)
setsid make run PORT="$port" >"$work/run.log" 2>&1 &
leader=$!
trap 'kill -- -"$leader" 2>/dev/null || true' EXIT
installed=""
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
  if ! kill -0 "$leader" 2>/dev/null; then echo "make run stopped:"; tail -30 "$work/run.log"; exit 1; fi
  # make echoes each command before it runs it: npm's line means the Python install is done.
  if [ -z "$installed" ] && grep -q "^npm install" "$work/run.log"; then installed=$(date +%s.%N); fi
  sleep 0.5
done
end=$(date +%s.%N)
seconds() { python3 -c "print(round($2-$1,1))"; }
echo "mode=$mode ref=$ref serving_after_s=$(seconds "$start" "$end") python_install_s=$(seconds "$start" "${installed:-$end}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "venv_size=$(du -sh .venv | cut -f1) packages=$(.venv/bin/pip list 2>/dev/null | tail -n +3 | wc -l)"
kill -- -"$leader" 2>/dev/null || true
sleep 2
rm -rf "$work"
