#!/usr/bin/env bash
# The check step of action.yml: runs `api-reachability check` once for the SARIF log and, when
# annotations are on, once more for GitHub annotations; writes exit-code to $GITHUB_OUTPUT. It
# never fails itself: the action's last step fails the job after the SARIF upload.
set -uo pipefail

if [ -x node_modules/.bin/api-reachability ]; then
  cli=(node_modules/.bin/api-reachability)
else
  cli=(npx --yes --package "cdk-api-reachability@${AR_VERSION:-latest}" api-reachability)
fi

# Inputs and extra options are split at white space (a path with spaces cannot be given here).
read -r -d '' -a inputs <<<"${AR_INPUTS:-cdk.out}" || true
read -r -d '' -a extra <<<"${AR_ARGS:-}" || true
options=(--fail-on "${AR_FAIL_ON:-error}")
[ -n "${AR_BASELINE:-}" ] && options+=(--baseline "$AR_BASELINE")
[ -n "${AR_REGION:-}" ] && options+=(--region "$AR_REGION")
options+=("${extra[@]}")

"${cli[@]}" check "${options[@]}" --format sarif --out "${AR_SARIF:-api-reachability.sarif}" -- "${inputs[@]}"
code=$?
if [ "$code" -ne 2 ] && [ "${AR_ANNOTATIONS:-true}" = "true" ]; then
  "${cli[@]}" check "${options[@]}" --format github -- "${inputs[@]}" || true
fi
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
