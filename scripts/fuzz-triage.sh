# Triage of libFuzzer's reports for scripts/fuzz.sh (sourced there; checked by
# scripts/fuzz-triage-test.sh): the limits of each harness, and whether a failure happened in rgdm's
# code or inside libhdf5 or Open Babel. site_log runs "$binary", the fuzz executable.

# libFuzzer's limits per harness: -timeout (seconds for one input), -malloc_limit_mb (one
# allocation), -rss_limit_mb (the process's peak). An HDF5 input is at most 32 KiB and rgdm's reads
# from it are bounded to 1,100 times its size (HDF5ReadLimit), so 256 MB in one allocation or 5 s
# on one input is a runaway that the report can then trace to its stack; libhdf5 1.10.8 loops on
# some corrupt heaps, and a 20 s timeout would spend most of an hour's budget waiting on them.
limits() {
  case $1 in
    hdf5-*) echo "-timeout=5 -malloc_limit_mb=256 -rss_limit_mb=3072" ;;
    *) echo "-timeout=20 -malloc_limit_mb=2048 -rss_limit_mb=3072" ;;
  esac
}

# Where a crash happened, from libFuzzer's log: "library" when the innermost stack frame in
# either rgdm's code or a library it reads through is in libhdf5 or Open Babel (their bugs are
# not rgdm's to fix in the reader: see Fuzz/README.md), "rgdm" otherwise (and for hangs and
# memory blow-ups, whose stack may say little). A C++ exception that reached std::terminate
# crossed the shim's C API, which must catch it: that is rgdm's. glibc's "stack smashing detected"
# (a stack protector's canary, checked as a function returns) leaves no stack to read, but it can
# only come from code ASan does not instrument: in rgdm's own code, Swift and the C/C++ shims, ASan
# reports the overrunning write itself, before any canary is checked.
crash_site() {
  local frame
  if grep -q 'std::terminate' "$1"; then echo rgdm; return; fi
  if grep -q 'stack smashing detected' "$1" && ! grep -q 'ERROR: AddressSanitizer: stack' "$1"; then echo library; return; fi
  frame=$(grep -E '^ +#[0-9]+ 0x' "$1" | grep -v rgdm_fuzz_main | grep -E '/Sources/|libhdf5|openbabel|OpenBabel::' | head -n 1 || true)
  if [[ $frame == *libhdf5* || $frame == *openbabel* || $frame == *OpenBabel::* ]]; then echo library; else echo rgdm; fi
}

# The log to read the crash site from. libFuzzer checks -rss_limit_mb against the process's peak
# resident memory on a thread of its own, once a second: its report lists where the live heap was
# allocated (with libFuzzer's own buffers under rgdm_fuzz_main, which crash_site skips), not what
# the fuzzed thread was doing, and the input it keeps is the one running when the limit was seen.
# The harness also ends the process itself after an input that raised the peak by more than a GB
# (Fuzz/Sources/rgdm-fuzz/PeakMemory.swift), and that input is the one kept. Either input is
# replayed alone with a 128 MB limit on one allocation, which stops a single large allocation where
# it is made, and under AddressSanitizer's soft RSS limit, which its thread checks ten times a
# second: the first allocation after the process passed 1 GB reports its stack, the right one when
# many small allocations grew the memory (stacks are unwound from debug information: libhdf5 and
# glibc keep no frame pointers for the fast unwinder to follow). A loop that would not stop reports
# the timeout's stack. When the replay fails, its report
# decides; when it runs clean, the peak came from an earlier input of the run, and the live-heap
# profile is the only evidence left.
site_log() {  # LOG HARNESS ARTIFACT
  local log=$1
  if grep -qE 'libFuzzer: out-of-memory \(used:|rgdm-fuzz: this input raised peak resident memory' "$log"; then
    # shellcheck disable=SC2046
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0:soft_rss_limit_mb=1024:fast_unwind_on_malloc=0 \
      nice -n 19 timeout 300 "$binary" "$2" "$3" $(limits "$2") -malloc_limit_mb=128 -rss_limit_mb=8192 >"$log.replay" 2>&1 || true
    if grep -qE '^ +#[0-9]+ 0x' "$log.replay"; then log=$log.replay; fi
  fi
  echo "$log"
}
