#!/bin/sh
# A stand-in for the tessera binary in sweep tests: crashes on ADC bits 5,
# hangs on ADC bits 6, and runs the real binary ($TESSERA_REAL) otherwise.
for a in "$@"; do
  case "$a" in
    *adc.bits=5) kill -SEGV $$ ;;
    *adc.bits=6) exec sleep 600 ;;
  esac
done
exec "$TESSERA_REAL" "$@"
