#!/usr/bin/env bash
# Whole-process benchmark of the release `cct` binary on the shared real-world corpus:
# wall time, CPU time and peak RSS (GNU time -v) of
#   - `cct check --format json <corpus>/rendered` (golden Helm renders): objects/s and MB/s;
#   - `cct check --format json <one manifest>`: the latency of one pre-commit style check;
# each with `-j 1` and the default number of jobs, a few repetitions each (median and min).
#
# Usage: scripts/bench.sh              (from anywhere in the repository)
#   CORPUS=path/to/corpus  the shared corpus (default: ../shared/corpus next to the repository)
#   REPS=5                 repetitions of the corpus runs (single file: 4 × REPS)
#   NO_BUILD=1             reuse target/release/cct as it is
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
REPS="${REPS:-5}"
SINGLE_REPS=$((REPS * 4))
RENDERED="$CORPUS/rendered"
SINGLE="$CORPUS/manifests/kubernetes-examples/web/guestbook/frontend-deployment.yaml"
CCT="$ROOT/target/release/cct"

if [[ ! -d "$RENDERED" ]]; then
    echo "skipped: $CORPUS not found (set CORPUS=...)" >&2
    exit 0
fi

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (apt-get)..." >&2
    if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi

if [[ -z "${NO_BUILD:-}" ]]; then
    (cd "$ROOT" && cargo build --release -p cct --quiet)
fi
[[ -x "$CCT" ]] || { echo "no $CCT" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Bytes of the YAML the corpus run reads (render_results.json is not a manifest).
CORPUS_BYTES=$(find "$RENDERED" -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 \
    | xargs -0 cat | wc -c)
SINGLE_BYTES=$(wc -c <"$SINGLE")

# Objects checked, from the report's stats.
objects_of() {
    "$CCT" check --format json --fail-on never "$1" \
        | grep -o '"resources": *[0-9]*' | tail -1 | grep -o '[0-9]*$'
}
CORPUS_OBJECTS=$(objects_of "$RENDERED")
SINGLE_OBJECTS=$(objects_of "$SINGLE")

# run NAME JOBS REPS PATH: one line of results in $TMP/results.
run() {
    local name=$1 jobs=$2 reps=$3 path=$4 jflag=()
    [[ $jobs != default ]] && jflag=(-j "$jobs")
    # Warm-up (page cache, binary loaded).
    "$CCT" check --format json --fail-on never "${jflag[@]}" "$path" >/dev/null
    : >"$TMP/samples"
    for _ in $(seq "$reps"); do
        local t0 t1
        t0=$(date +%s%N)
        /usr/bin/time -v -o "$TMP/time" \
            "$CCT" check --format json --fail-on never "${jflag[@]}" "$path" >"$TMP/out.json"
        t1=$(date +%s%N)
        local rss user sys
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
        user=$(awk -F': ' '/User time/ {print $2}' "$TMP/time")
        sys=$(awk -F': ' '/System time/ {print $2}' "$TMP/time")
        echo "$(((t1 - t0) / 1000)) $rss $user $sys" >>"$TMP/samples"
    done
    # median wall (µs), min wall, max RSS (kB), median CPU (s); POSIX awk (mawk) only.
    local cmed
    cmed=$(awk '{ print $3 + $4 }' "$TMP/samples" | sort -g | awk '
        { v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    sort -n "$TMP/samples" | awk -v name="$name" -v jobs="$jobs" -v reps="$reps" \
        -v bytes="$5" -v objects="$6" -v cmed="$cmed" '
        { wall[NR] = $1; if ($2 > rss) rss = $2 }
        END {
            n = NR; med = (n % 2) ? wall[(n + 1) / 2] : (wall[n / 2] + wall[n / 2 + 1]) / 2
            s = med / 1e6
            printf "%-16s %-8s %4d %10.1f %10.1f %9.0f %9.1f %10.0f %8.1f\n",
                name, jobs, reps, med / 1000, wall[1] / 1000, cmed * 1000, rss / 1024,
                objects / s, bytes / 1e6 / s
        }' >>"$TMP/results"
}

run corpus 1 "$REPS" "$RENDERED" "$CORPUS_BYTES" "$CORPUS_OBJECTS"
run corpus default "$REPS" "$RENDERED" "$CORPUS_BYTES" "$CORPUS_OBJECTS"
run single-file 1 "$SINGLE_REPS" "$SINGLE" "$SINGLE_BYTES" "$SINGLE_OBJECTS"
run single-file default "$SINGLE_REPS" "$SINGLE" "$SINGLE_BYTES" "$SINGLE_OBJECTS"

echo "cct $("$CCT" --version 2>/dev/null | awk '{print $NF}') on $(nproc) cores"
printf "corpus: %s (%.1f MB of YAML, %d objects checked)\n" \
    "${RENDERED#"$ROOT/"}" "$(echo "$CORPUS_BYTES / 1000000" | bc -l)" "$CORPUS_OBJECTS"
printf "single file: %s (%d bytes, %d object)\n" "${SINGLE#"$CORPUS/"}" "$SINGLE_BYTES" "$SINGLE_OBJECTS"
echo
printf "%-16s %-8s %4s %10s %10s %9s %9s %10s %8s\n" \
    case jobs reps "wall ms" "min ms" "cpu ms" "RSS MB" "objects/s" "MB/s"
printf "%-16s %-8s %4s %10s %10s %9s %9s %10s %8s\n" \
    "" "" "" "(median)" "" "(median)" "(peak)" "" ""
cat "$TMP/results"
