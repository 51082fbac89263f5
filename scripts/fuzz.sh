#!/usr/bin/env bash
# Fuzzes rgdm's readers with libFuzzer and AddressSanitizer (see Fuzz/README.md).
#
#   bash scripts/fuzz.sh [HARNESS|all] [SECONDS | -runs=N] [more libFuzzer options…]
#
#   bash scripts/fuzz.sh all -runs=300      # the smoke run of scripts/test.sh: every harness, 300 inputs
#   bash scripts/fuzz.sh sdf 3600           # one harness for an hour
#   bash scripts/fuzz.sh list               # the harness names
#
# Builds Fuzz/ (a package over this one) with -sanitize=fuzzer,address, then runs each harness in
# turn, at nice 19, on a working corpus (Fuzz/.build/corpus/HARNESS, kept between runs) seeded from
# the committed Fuzz/corpus/HARNESS. A crash, sanitizer report, hang (-timeout) or memory blow-up
# (-rss_limit_mb, -malloc_limit_mb) stops that harness, leaves the input in
# Fuzz/.build/crashes/HARNESS/ and makes the script exit 1 after the other harnesses ran.
# Replay one input: Fuzz/.build/debug/rgdm-fuzz HARNESS FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-all}
budget=${2:-60}
shift $(( $# < 2 ? $# : 2 ))

harnesses=(sdf xyz mol2 pdb smiles ply off obj stl cloud-xyz hdf5-modelnet40 hdf5-shapenet hdf5-rgdm-clouds hdf5-molecules
           checkpoint config model-card command-reward xtb-output)
if [[ $target == list ]]; then printf '%s\n' "${harnesses[@]}"; exit 0; fi
if [[ $target != all ]]; then
  [[ " ${harnesses[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown harness '$target' (bash scripts/fuzz.sh list)" >&2; exit 2; }
  harnesses=("$target")
fi
if [[ $budget == -runs=* ]]; then limit=("$budget"); else limit=("-max_total_time=$budget"); fi

echo "fuzz: building Fuzz/ with -sanitize=fuzzer,address" >&2
mkdir -p Fuzz/.build
# SwiftPM keeps the build plan of a path dependency while its manifest is unchanged, so a source file
# added to the package one folder up is missed; a new list of source files drops the cached plan.
sources=$(find Sources -type f | LC_ALL=C sort | cksum)
if [[ -f Fuzz/.build/source-list && $(cat Fuzz/.build/source-list) != "$sources" ]]; then
  rm -f Fuzz/.build/debug.yaml Fuzz/.build/*/debug/description.json
fi
if ! nice swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
     -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address >Fuzz/.build/build-log.txt 2>&1; then
  tail -n 30 Fuzz/.build/build-log.txt >&2
  echo "fuzz: the fuzz harnesses did not build (full log: Fuzz/.build/build-log.txt); libFuzzer and ASan ship with Swift's toolchain on Linux" >&2
  exit 1
fi

echo "$sources" > Fuzz/.build/source-list
binary=Fuzz/.build/debug/rgdm-fuzz

# Largest input per harness: the text formats stay small (each execution parses every record);
# HDF5 files and checkpoints need room for their seeds.
max_len() {
  case $1 in
    hdf5-*) echo 32768 ;;
    checkpoint|xtb-output) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

# Swift and Open Babel keep process-wide caches that LeakSanitizer would report at exit, so it is
# off in ASAN_OPTIONS; libFuzzer's own -detect_leaks stays on, because -detect_leaks=0 also drops
# the malloc hooks that -malloc_limit_mb works through. Swift's own crash handler is off so that a
# trap reaches libFuzzer as a signal with its stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
export SWIFT_BACKTRACE=enable=no

source scripts/fuzz-triage.sh

failed=()
for harness in "${harnesses[@]}"; do
  work=Fuzz/.build/corpus/$harness crashes=Fuzz/.build/crashes/$harness library=Fuzz/.build/library-crashes/$harness
  mkdir -p "$work" "$crashes" "$library" Fuzz/.build/logs
  start=$(date +%s)
  total=0 library_crashes=0 outcome=ok
  # A crash inside libhdf5 or Open Babel is kept aside and the harness goes on with the rest of
  # its budget, time or executions (at most 2,000 times: libhdf5 1.10.8 crashes or hangs on a
  # corrupt file every 15 s or so while a new corpus grows); any other failure stops it. An input
  # that crashed leaves the working corpus too, or every restart would begin with it.
  while :; do
    log=Fuzz/.build/logs/$harness.log
    this=("${limit[@]}")
    if [[ $budget == -runs=* ]]; then
      left=$(( ${budget#-runs=} - total ))
      (( left > 0 )) || break
      this=("-runs=$left")
    else
      left=$(( budget - ($(date +%s) - start) ))
      (( left > 0 )) || break
      this=("-max_total_time=$left")
    fi
    status=0
    rm -f "$log.replay"
    # shellcheck disable=SC2046
    nice -n 19 "$binary" "$harness" "$work" "Fuzz/corpus/$harness" "${this[@]}" -max_len="$(max_len "$harness")" \
      $(limits "$harness") -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$@" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    total=$(( total + ${runs:-0} ))
    (( status == 0 )) && break
    artifact=$(sed -n "s|.*Test unit written to \(.*\)\$|\1|p" "$log" | tail -n 1)
    if [[ -n $artifact && $(crash_site "$(site_log "$log" "$harness" "$artifact")") == library ]]; then
      library_crashes=$(( library_crashes + 1 ))
      rm -f "$work/${artifact##*-}"
      mv "$artifact" "$library/" && cp "$log" "$library/$(basename "$artifact").log"
      if [[ -f $log.replay ]]; then mv "$log.replay" "$library/$(basename "$artifact").replay.log"; fi
      (( library_crashes < 2000 )) && continue
      outcome=capped
      break
    fi
    outcome=failed
    break
  done
  seconds=$(( $(date +%s) - start ))
  # Scratch folders of harness processes that ended without their exit handler (a crash, -runs).
  for scratch in /dev/shm/rgdm-fuzz-* "${TMPDIR:-/tmp}"/rgdm-fuzz-*; do
    if [[ -d $scratch ]] && ! kill -0 "${scratch##*-}" 2>/dev/null; then rm -rf "$scratch"; fi
  done
  note=""
  (( library_crashes > 0 )) && note=", $library_crashes crashes inside libhdf5/Open Babel kept in $library/"
  if [[ $outcome == capped ]]; then
    failed+=("$harness")
    echo "fuzz: $harness: stopped after $total executions in ${seconds} s$note: too many to go on" >&2
  elif [[ $outcome == failed ]]; then
    failed+=("$harness")
    echo "fuzz: $harness: FAILED after $total executions in ${seconds} s (exit $status)$note; input in $crashes/, log $log:" >&2
    grep -E "ERROR|Fatal error|SUMMARY|deadly signal|timeout|out-of-memory|^ +#[0-9]+ 0x" "$log" | grep -vE 'compiler-rt|fuzzer::|libFuzzer|libc\.so' | head -n 12 >&2 || true
  else
    echo "fuzz: $harness: $total executions in ${seconds} s, no crash in rgdm's code$note ($(ls "$work" | wc -l) inputs in its corpus)"
  fi
done
if (( ${#failed[@]} > 0 )); then
  echo "fuzz: failures in: ${failed[*]}" >&2
  exit 1
fi
