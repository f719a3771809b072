#!/bin/sh
# Waits for the Temporal frontend, creates the namespace if it is missing and registers the custom
# search attributes entra-ingest's workflows set. Safe to run again: an existing namespace is kept
# as it is and attributes that already exist are skipped by the server.
#
#   TEMPORAL_ADDRESS          host:port of the frontend (required)
#   TEMPORAL_NAMESPACE        namespace to prepare (default "default")
#   NAMESPACE_RETENTION       retention for a namespace created here (default 7d)
#   ENTRA_SEARCH_ATTRIBUTES   space-separated Name=Type pairs (required)
#   SETUP_ATTEMPTS, SETUP_DELAY_SECONDS   retry budget while the server is starting (60 x 2 s)
set -eu

: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS to the Temporal frontend host:port}"
: "${ENTRA_SEARCH_ATTRIBUTES:?set ENTRA_SEARCH_ATTRIBUTES to space-separated Name=Type pairs}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${NAMESPACE_RETENTION:-7d}"
ATTEMPTS="${SETUP_ATTEMPTS:-60}"
DELAY="${SETUP_DELAY_SECONDS:-2}"
TEMPORAL="${TEMPORAL_CLI:-temporal}"

# Checked before anything touches the server, so a typo fails the job instead of half-registering.
for pair in $ENTRA_SEARCH_ATTRIBUTES; do
  case "$pair" in
    ?*=?*) ;;
    *) echo "setup: ENTRA_SEARCH_ATTRIBUTES entry \"$pair\" is not Name=Type" >&2; exit 2 ;;
  esac
done

retry() { # retry DESCRIPTION COMMAND [ARGS...]
  what="$1"
  shift
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      echo "setup: gave up after $attempt attempts: $what" >&2
      exit 1
    fi
    echo "setup: not yet ($attempt/$ATTEMPTS): $what" >&2
    attempt=$((attempt + 1))
    sleep "$DELAY"
  done
}

ensure_namespace() {
  "$TEMPORAL" operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1 ||
    "$TEMPORAL" operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
}

retry "Temporal at $TEMPORAL_ADDRESS is healthy" "$TEMPORAL" operator cluster health --address "$TEMPORAL_ADDRESS"
retry "namespace $NAMESPACE exists" ensure_namespace
for pair in $ENTRA_SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  # Retried: a namespace created a moment ago takes a few seconds to reach every frontend cache.
  retry "search attribute $name ($type) in $NAMESPACE" \
    "$TEMPORAL" operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
done
echo "setup: namespace $NAMESPACE is ready with search attributes: $ENTRA_SEARCH_ATTRIBUTES"
