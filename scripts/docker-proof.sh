#!/usr/bin/env bash
# Proves the Dockerfile end to end on a Debian 12 machine that reaches no image registry (run as root):
#  1. installs Debian's docker.io and debootstrap if missing;
#  2. starts its own dockerd in the background (data under $WORK, its own socket, log in $WORK/dockerd.log) and stops
#     it by pid on exit;
#  3. makes local base images once (cached in that data root): a Debian bookworm minbase root fs with what .NET needs,
#     + this machine's .NET SDK (build stage), + only its shared runtimes (runtime stage);
#  4. builds the Dockerfile with --build-arg SDK_IMAGE/RUNTIME_IMAGE (NuGet restore through --network host);
#  5. runs the image with a named volume, waits for its HEALTHCHECK, creates a submitter key inside the container with
#     the server binary's `keys create`, posts a real film, checks the JSON answer, the heatmap, that the process is
#     not root, and that the case survives a new container on the same volume;
#  6. prints the wall time and the image size.
# The cache lives in $CXRQA_DOCKER_WORK (default /var/tmp/cxrqa-docker; ~6 GB after a few builds): delete it to reclaim.
# Usage: scripts/docker-proof.sh [FILM]   (default: the first film of ../shared/data/kermany-224/val/PNEUMONIA)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
START=$(date +%s)
WORK=${CXRQA_DOCKER_WORK:-/var/tmp/cxrqa-docker}
SOCK="$WORK/docker.sock"
export DOCKER_HOST="unix://$SOCK"
export DOCKER_BUILDKIT=0 # the classic builder: --network host for the restore, no buildx plugin needed
DOCKER=/usr/bin/docker   # Debian's client, the same version as its daemon
SDK_IMAGE=cxrqa-local/dotnet-sdk:10.0
RUNTIME_IMAGE=cxrqa-local/aspnet:10.0
IMAGE=cxrqa:proof
NAME=cxrqa-proof
VOLUME=cxrqa-proof-data
DATA="${CXRQA_DATA:-$REPO/../shared/data}"
FILM=${1:-$(find "$DATA/kermany-224/val/PNEUMONIA" -name '*.jpeg' | sort | head -n1)}

log() { printf '[docker-proof %3ss] %s\n' "$(($(date +%s) - START))" "$*"; }
die() { log "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts dockerd)"
[ -f "$FILM" ] || die "no film at '$FILM' (pass one, or put the shared data beside the repository)"

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p "$WORK"
DOCKERD_PID=""
cleanup() {
  local rc=$?
  if [ -n "$DOCKERD_PID" ]; then
    $DOCKER rm -f "$NAME" "$NAME-2" >/dev/null 2>&1 || true
    $DOCKER volume rm "$VOLUME" >/dev/null 2>&1 || true
    log "stopping dockerd (pid $DOCKERD_PID)"
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$DOCKERD_PID" 2>/dev/null || true
  fi
  [ $rc = 0 ] && log "PASSED" || log "exit code $rc (dockerd log: $WORK/dockerd.log)"
}
trap cleanup EXIT

log "starting dockerd (data root $WORK/root, log $WORK/dockerd.log)"
dockerd --data-root "$WORK/root" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" -H "$DOCKER_HOST" \
  >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 120); do
  $DOCKER version >/dev/null 2>&1 && break
  kill -0 "$DOCKERD_PID" 2>/dev/null || die "dockerd exited: $(tail -n 5 "$WORK/dockerd.log")"
  sleep 0.5
done
$DOCKER version >/dev/null || die "dockerd did not answer"

# --- local base images (cached: skipped when the image exists) ---------------------------------------------------
DOTNET_HOME=$(dirname "$(readlink -f "$(command -v dotnet)")")
ROOTFS="$WORK/rootfs-bookworm"
make_rootfs() {
  if [ ! -f "$ROOTFS/.complete" ]; then
    log "debootstrap --variant=minbase bookworm (once)"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata bookworm "$ROOTFS" \
      http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 || die "debootstrap failed: see $WORK/debootstrap.log"
    chroot "$ROOTFS" apt-get clean
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
    touch "$ROOTFS/.complete"
  fi
}
import_image() { # import_image TAG DIR: the directory becomes the image's root fs
  tar --numeric-owner --exclude=./.complete -C "$2" -c . | $DOCKER import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
    --change 'ENV NUGET_CERT_REVOCATION_MODE=offline' \
    --change 'CMD ["bash"]' - "$1" >/dev/null
}
if ! $DOCKER image inspect "$SDK_IMAGE" >/dev/null 2>&1 || ! $DOCKER image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1; then
  make_rootfs
  STAGE="$WORK/stage"
  rm -rf "$STAGE"
  if ! $DOCKER image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1; then
    log "making $RUNTIME_IMAGE: root fs + this machine's shared runtimes ($DOTNET_HOME/shared)"
    cp -a "$ROOTFS" "$STAGE"
    mkdir -p "$STAGE/usr/share/dotnet"
    cp -a "$DOTNET_HOME/dotnet" "$DOTNET_HOME/host" "$DOTNET_HOME/shared" "$DOTNET_HOME/LICENSE.txt" "$STAGE/usr/share/dotnet/"
    ln -sf /usr/share/dotnet/dotnet "$STAGE/usr/bin/dotnet"
    import_image "$RUNTIME_IMAGE" "$STAGE"
    rm -rf "$STAGE"
  fi
  if ! $DOCKER image inspect "$SDK_IMAGE" >/dev/null 2>&1; then
    log "making $SDK_IMAGE: root fs + this machine's .NET SDK ($DOTNET_HOME) + its CA trust (for the restore)"
    cp -a "$ROOTFS" "$STAGE"
    cp -a "$DOTNET_HOME" "$STAGE/usr/share/dotnet"
    ln -sf /usr/share/dotnet/dotnet "$STAGE/usr/bin/dotnet"
    cp /etc/ssl/certs/ca-certificates.crt "$STAGE/etc/ssl/certs/ca-certificates.crt"
    import_image "$SDK_IMAGE" "$STAGE"
    rm -rf "$STAGE"
  fi
else
  log "base images cached: $SDK_IMAGE, $RUNTIME_IMAGE"
fi

# --- build -------------------------------------------------------------------------------------------------------
log "docker build (SDK_IMAGE=$SDK_IMAGE RUNTIME_IMAGE=$RUNTIME_IMAGE)"
BUILD_START=$(date +%s)
$DOCKER build --network host --build-arg SDK_IMAGE="$SDK_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" \
  -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; die "docker build failed (log: $WORK/build.log)"; }
BUILD_S=$(($(date +%s) - BUILD_START))
SIZE=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE")
log "built $IMAGE in ${BUILD_S} s: $((SIZE / 1000000)) MB"

# --- run ---------------------------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
$DOCKER rm -f "$NAME" "$NAME-2" >/dev/null 2>&1 || true
$DOCKER volume rm "$VOLUME" >/dev/null 2>&1 || true
run_container() { # run_container NAME
  $DOCKER run -d --name "$1" -v "$VOLUME:/data" -p "127.0.0.1:$PORT:8080" "$IMAGE" >/dev/null
}
wait_healthy() { # wait_healthy NAME: the image's own HEALTHCHECK (/health/ready) must report healthy
  local t0 status
  t0=$(date +%s)
  while :; do
    status=$($DOCKER inspect -f '{{.State.Health.Status}}' "$1")
    [ "$status" = healthy ] && break
    [ "$($DOCKER inspect -f '{{.State.Running}}' "$1")" = true ] || { $DOCKER logs "$1" | tail -n 30; die "container $1 exited"; }
    [ $(($(date +%s) - t0)) -lt 180 ] || { $DOCKER logs "$1" | tail -n 30; die "container $1 not healthy after 180 s ($status)"; }
    sleep 1
  done
  log "container $1 healthy after $(($(date +%s) - t0)) s (HEALTHCHECK on /health/ready)"
}
RUN_START=$(date +%s)
run_container "$NAME"
wait_healthy "$NAME"

USER_ID=$($DOCKER exec "$NAME" awk '/^Uid:/ {print $2}' /proc/1/status)
[ "$USER_ID" != 0 ] || die "the server runs as root"
log "server process (pid 1 in the container) runs as uid $USER_ID ($($DOCKER exec "$NAME" id -un))"

code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$FILM" "$BASE/predict")
[ "$code" = 401 ] || die "/predict without a key answered $code, expected 401"
log "/predict without a key: 401 (keys are required in the container)"

KEY=$($DOCKER exec "$NAME" dotnet /app/CxrQa.Server.dll keys create --role submitter --name docker-proof | tail -n1)
[ ${#KEY} = 43 ] || die "keys create printed no key"
log "created a submitter key inside the container (dotnet /app/CxrQa.Server.dll keys create)"

ANSWER=$(curl -sS --fail-with-body -H "Authorization: Bearer $KEY" -F "file=@$FILM" "$BASE/predict") || die "predict failed: $ANSWER"
echo "$ANSWER" | jq -c '{case_id, prediction, pneumonia_probability, confidence, status, reasons, model}'
CASE_ID=$(echo "$ANSWER" | jq -er '.case_id')
echo "$ANSWER" | jq -e '(.prediction == "Normal" or .prediction == "Pneumonia")
  and (.pneumonia_probability >= 0 and .pneumonia_probability <= 1)
  and (.status == "automated" or .status == "pending_review")
  and (.heatmap_grid | length) == 7 and .model.name == "cxrqa-ensemble-resnet18-int8"
  and .input_sha256 == "'"$(sha256sum "$FILM" | cut -d' ' -f1)"'"' >/dev/null || die "unexpected answer: $ANSWER"
log "answer checked: case $CASE_ID"

ctype=$(curl -sS -o "$WORK/heatmap.png" -w '%{content_type}' -H "Authorization: Bearer $KEY" "$BASE/cases/$CASE_ID/heatmap.png")
[ "$ctype" = image/png ] && [ "$(head -c 4 "$WORK/heatmap.png" | tail -c 3)" = PNG ] || die "heatmap: $ctype"
log "heatmap.png served ($(stat -c %s "$WORK/heatmap.png") bytes)"

log "stopping the container; a new one on the same volume must still serve the case"
$DOCKER stop -t 20 "$NAME" >/dev/null
$DOCKER rm "$NAME" >/dev/null
run_container "$NAME-2"
wait_healthy "$NAME-2"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/cases/$CASE_ID")
[ "$code" = 200 ] || die "the case did not survive on the volume ($code)"
$DOCKER exec "$NAME-2" dotnet /app/CxrQa.Server.dll keys revoke --name docker-proof >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/cases/$CASE_ID")
[ "$code" = 401 ] || die "a revoked key answered $code"
log "case $CASE_ID read back from the volume in a new container; after 'keys revoke' the key gets 401"
$DOCKER stop -t 20 "$NAME-2" >/dev/null

log "image $IMAGE: $((SIZE / 1000000)) MB; build ${BUILD_S} s; run checks $(($(date +%s) - RUN_START)) s; wall $(($(date +%s) - START)) s"
