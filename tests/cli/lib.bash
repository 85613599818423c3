# tests/cli/lib.bash — what every black-box CLI test script shares (sourced, not run): the
# binary and data arguments, a temporary directory removed on exit, and check/finish.
# Usage in a script: source "$(dirname "$0")/lib.bash" "$@"
set -u
bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0

check() { # description, command...
  local what=$1
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    echo "FAIL: $what" >&2
    fails=$((fails + 1))
  fi
}

finish() { # the closing line, and the exit status
  echo "$(basename "$0"): $pass passed, $fails failed"
  [ "$fails" -eq 0 ]
}
