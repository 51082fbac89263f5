#!/usr/bin/env bash
# Checks scripts/fuzz-triage.sh on libFuzzer reports whose answer is known: where each failure
# happened, and which report decides after memory past -rss_limit_mb (the replay runs a stand-in
# for the fuzz executable that prints a chosen report). Run by scripts/test.sh before the fuzz smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-triage.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

expect() {  # WHAT EXPECTED ACTUAL
  if [[ $2 == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3"; failures=$(( failures + 1 )); fi
}
frame() {  # N WHERE
  printf '    #%s 0x55cb0eb7f28a in %s\n' "$1" "$2"
}

hdf5=$(frame 1 '(/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x190f18)')
babel=$(frame 2 'OpenBabel::OBMol::Clear() (/lib/x86_64-linux-gnu/libopenbabel.so.7+0x1)')
reader=$(frame 5 'hasAttribute /work/main/Sources/HDF5/HDF5Object+Attributes.swift:35:57')
harness=$(frame 16 'readHDF5 /work/main/Fuzz/Sources/rgdm-fuzz/Harness+Shapes.swift:34:38')
driver=$(frame 2 'rgdm_fuzz_main /work/main/Fuzz/Sources/rgdm-fuzz/main.swift:21:6')
memcpy=$(frame 0 'memcpy /llvm-project/compiler-rt/lib/asan/asan_interceptors_memintrinsics.inc:117:5')

site() {  # WHAT EXPECTED REPORT-LINES…: crash_site on a report of these lines
  local what=$1 expected=$2
  shift 2
  printf '%s\n' "$@" >"$dir/report.log"
  expect "$what" "$expected" "$(crash_site "$dir/report.log")"
}
site "overflow inside libhdf5, called from a reader" library \
  "==1==ERROR: AddressSanitizer: heap-buffer-overflow" "$memcpy" "$hdf5" "$reader" "$harness"
site "overflow in a reader, called back from libhdf5" rgdm \
  "==1==ERROR: AddressSanitizer: heap-buffer-overflow" "$memcpy" "$reader" "$hdf5"
site "segfault inside Open Babel" library "==1==ERROR: AddressSanitizer: SEGV" "$babel" "$harness"
site "C++ exception across the shim" rgdm "terminate called: std::terminate" "$babel" "$harness"
site "glibc's stack protector" library "*** stack smashing detected ***: terminated" "==1== ERROR: libFuzzer: deadly signal"
site "stack overflow ASan saw in rgdm's code" rgdm \
  "==1==ERROR: AddressSanitizer: stack-buffer-overflow" "*** stack smashing detected ***" "$harness"
site "only libFuzzer's own buffers" rgdm \
  "==1== ERROR: libFuzzer: out-of-memory (used: 3174Mb; limit: 3072Mb)" "$memcpy" "$driver"
site "a Swift trap without frames" rgdm "Fatal error: Index out of range" "==1== ERROR: libFuzzer: deadly signal"

# site_log replays an input after memory past -rss_limit_mb, and only then.
binary=$dir/stand-in
replay() {  # REPORT LINES… : the stand-in prints these and records that it ran
  { echo '#!/usr/bin/env bash'; echo "echo \"\$ASAN_OPTIONS \$*\" >'$dir/ran'"; printf 'echo %q\n' "$@"; echo 'exit 1'; } >"$binary"
  chmod +x "$binary"
  rm -f "$dir/ran"
}
oom="==1== ERROR: libFuzzer: out-of-memory (used: 3174Mb; limit: 3072Mb)"
live=$(frame 1 '(/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1233e4)')

printf '%s\n' "$oom" "$driver" >"$dir/i.log"
replay "==2== ERROR: libFuzzer: timeout after 5 seconds" "$hdf5" "$reader"
expect "out of memory, replay hangs in libhdf5: the replay decides" "$dir/i.log.replay" "$(site_log "$dir/i.log" hdf5-molecules input)"
expect "out of memory, replay hangs in libhdf5: the site" library "$(crash_site "$(site_log "$dir/i.log" hdf5-molecules input)")"

printf '%s\n' "$oom" "$driver" "$live" >"$dir/j.log"
replay "Executed input in 234 ms"
expect "out of memory, replay clean: the first report decides" "$dir/j.log" "$(site_log "$dir/j.log" hdf5-molecules input)"
expect "out of memory, replay clean: the live heap's site" library "$(crash_site "$(site_log "$dir/j.log" hdf5-molecules input)")"

printf '%s\n' "$oom" "$driver" >"$dir/k.log"
replay "==2== ERROR: libFuzzer: out-of-memory (malloc(4294967296))" "$reader" "$harness"
expect "out of memory, replay allocates in rgdm's code" rgdm "$(crash_site "$(site_log "$dir/k.log" hdf5-molecules input)")"

peak="rgdm-fuzz: this input raised peak resident memory from 190 MB to 3310 MB"
check=$(frame 7 'PeakMemory.check /work/main/Fuzz/Sources/rgdm-fuzz/PeakMemory.swift:26:9')
printf '%s\n' "$peak" "==1== ERROR: libFuzzer: deadly signal" "$check" "$driver" >"$dir/m.log"
replay "==2==ERROR: AddressSanitizer: specified RSS limit exceeded, currently set to soft_rss_limit_mb=1024" "$live"
expect "the harness's peak check, replay past the soft limit in libhdf5" library "$(crash_site "$(site_log "$dir/m.log" hdf5-molecules input)")"
expect "the replay runs under the soft RSS limit, unwinding fully" yes \
  "$(grep -q 'soft_rss_limit_mb=1024:fast_unwind_on_malloc=0' "$dir/ran" && echo yes || echo no)"
expect "the replay's last word on one allocation is 128 MB" -malloc_limit_mb=128 \
  "$(grep -oE -- '-malloc_limit_mb=[0-9]+' "$dir/ran" | tail -n 1)"
expect "the replay keeps libFuzzer's malloc hooks (-detect_leaks=0 drops them)" no \
  "$(grep -q -- '-detect_leaks=0' "$dir/ran" && echo yes || echo no)"
replay "rgdm-fuzz: this input raised peak resident memory from 80 MB to 3200 MB" "==2== ERROR: libFuzzer: deadly signal" "$check"
expect "the harness's peak check, again in the replay" rgdm "$(crash_site "$(site_log "$dir/m.log" hdf5-molecules input)")"

printf '%s\n' "==1==ERROR: AddressSanitizer: SEGV" "$hdf5" >"$dir/l.log"
replay "should not run"
expect "no replay without memory past the limit" "$dir/l.log" "$(site_log "$dir/l.log" hdf5-molecules input)"
expect "no replay without memory past the limit: the stand-in did not run" absent "$([[ -e $dir/ran ]] && echo ran || echo absent)"

expect "HDF5 harnesses' limits" "-timeout=5 -malloc_limit_mb=256 -rss_limit_mb=3072" "$(limits hdf5-molecules)"
expect "other harnesses' limits" "-timeout=20 -malloc_limit_mb=2048 -rss_limit_mb=3072" "$(limits sdf)"

if (( failures > 0 )); then echo "fuzz-triage-test: $failures failed" >&2; exit 1; fi
echo "fuzz-triage-test: all passed"
