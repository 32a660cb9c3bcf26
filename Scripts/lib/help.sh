# Sourced by the Scripts that take no options of their own for help: `-h` or `--help` anywhere in the arguments
# prints the script's leading comment (its usage) to stdout and exits 0, before the script does anything.
# (`Scripts/pki --help` used to make a directory named --help; `Scripts/test --help` started the test run.)
# Usage, after `set -euo pipefail` and before any `cd`: source "$(dirname "$0")/lib/help.sh" "$@"
for argument in "$@"; do
    case $argument in
        -h | --help)
            sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
    esac
done
unset argument
