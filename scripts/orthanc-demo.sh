#!/usr/bin/env bash
# The hospital round trip on one machine: starts Orthanc (a PACS, with its DICOMweb plugin and the forwarding hook of
# scripts/orthanc/), starts the CxrQa server with CxrQa:Pacs:StowUrl pointing at it, sends a chest film to Orthanc
# with storescu as a modality would, and prints where CxrQa's report (SR) and overlay (SC) landed in the film's study.
#   scripts/orthanc-demo.sh [FILM.dcm] [--keep]
# FILM defaults to a chest DX from ../shared/data. --keep leaves both running until Ctrl-C (browse Orthanc's explorer).
# Needs Debian's orthanc, orthanc-dicomweb and dcmtk (scripts/ensure-test-deps.sh installs them) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

film="" keep=0
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) film="$arg" ;;
  esac
done
film=${film:-"$repo/../shared/data/dicom/chest/1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm"}
[ -f "$film" ] || { echo "no such film: $film" >&2; exit 2; }
for tool in /usr/sbin/Orthanc storescu dcmdump dsrdump curl python3 dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: run scripts/ensure-test-deps.sh as root (Debian: orthanc orthanc-dicomweb dcmtk)" >&2; exit 2; }
done
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || { echo "missing orthanc-dicomweb: apt-get install orthanc-dicomweb" >&2; exit 2; }

free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port found" >&2; exit 1
}

work=$(mktemp -d /tmp/cxrqa-orthanc-demo.XXXXXX)
http_port=$(free_port) dicom_port=$(free_port) cxrqa_port=$(free_port)
orthanc_pid="" server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$orthanc_pid" ] && kill "$orthanc_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

sed -e "s#@STORAGE@#$work/orthanc-storage#g" -e "s#@HTTP_PORT@#$http_port#g" -e "s#@DICOM_PORT@#$dicom_port#g" \
    -e "s#@LUA@#$repo/scripts/orthanc/forward.lua#g" -e "s#@CXRQA_DICOMWEB@#http://127.0.0.1:$cxrqa_port/dicomweb/#g" \
    scripts/orthanc/orthanc.json > "$work/orthanc.json"
/usr/sbin/Orthanc "$work/orthanc.json" > "$work/orthanc.log" 2>&1 &
orthanc_pid=$!

echo "building and starting CxrQa (dotnet run, Release) ..."
CxrQa__Pacs__StowUrl="http://127.0.0.1:$http_port/dicom-web" \
  dotnet run --project src/CxrQa.Server -c Release -- --urls "http://127.0.0.1:$cxrqa_port" --data-dir "$work/cxrqa-data" \
  > "$work/cxrqa.log" 2>&1 &
server_pid=$!

wait_for() { # URL SECONDS WHAT
  for _ in $(seq "$2"); do curl -sf "$1" >/dev/null && return 0; sleep 1; done
  echo "$3 did not come up; logs in $work" >&2; tail -20 "$work/orthanc.log" "$work/cxrqa.log" >&2; trap - EXIT; exit 1
}
wait_for "http://127.0.0.1:$http_port/plugins/dicom-web" 60 "Orthanc"
wait_for "http://127.0.0.1:$cxrqa_port/health/ready" 600 "CxrQa"
echo "Orthanc : http://127.0.0.1:$http_port (DICOM port $dicom_port, AE ORTHANC)"
echo "CxrQa   : http://127.0.0.1:$cxrqa_port (STOW-RS at /dicomweb/studies)"

study=$(dcmdump +P 0020,000d -s "$film" | sed -n 's/.*\[\(.*\)\].*/\1/p')
film_uid=$(dcmdump +P 0008,0018 -s "$film" | sed -n 's/.*\[\(.*\)\].*/\1/p')
echo "storescu $film -> Orthanc (study $study)"
storescu -aet DEMO -aec ORTHANC 127.0.0.1 "$dicom_port" "$film"

# QIDO-RS on the film's study until CxrQa's SR and SC are there (the film itself may be a Secondary Capture: it does not count).
results() { # prints "KIND SOP-INSTANCE-UID" for every instance of the study that is not the film
  curl -sf "http://127.0.0.1:$http_port/dicom-web/studies/$study/instances?includefield=00080016" | python3 -c '
import json, sys
film = sys.argv[1]
kinds = {"1.2.840.10008.5.1.4.1.1.88.33": "SR", "1.2.840.10008.5.1.4.1.1.7": "SC"}
for i in json.load(sys.stdin):
    uid = i["00080018"]["Value"][0]
    if uid != film:
        print(kinds.get(i["00080016"]["Value"][0], "other"), uid)
' "$film_uid" 2>/dev/null || true
}
found=""
for _ in $(seq 120); do
  found=$(results)
  if grep -q '^SR ' <<<"$found" && grep -q '^SC ' <<<"$found"; then break; fi
  found=""
  sleep 1
done
[ -n "$found" ] || { echo "no SR and SC within 120 s; logs in $work" >&2; tail -20 "$work/cxrqa.log" >&2; trap - EXIT; exit 1; }

lookup() { curl -sf -X POST "http://127.0.0.1:$http_port/tools/lookup" -d "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])'; }
echo
echo "CxrQa's results in the film's study:"
while read -r kind uid; do
  echo "  $kind $uid -> http://127.0.0.1:$http_port/instances/$(lookup "$uid")"
done <<<"$found"
echo "Orthanc explorer: http://127.0.0.1:$http_port/app/explorer.html#study?uuid=$(lookup "$study")"
echo "QIDO-RS:          http://127.0.0.1:$http_port/dicom-web/studies/$study/instances"
sr_uid=$(grep '^SR ' <<<"$found" | head -1 | cut -d' ' -f2)
curl -sf "http://127.0.0.1:$http_port/instances/$(lookup "$sr_uid")/file" -o "$work/sr.dcm"
echo
echo "The report (dsrdump):"
dsrdump -Ee -Ec +Pl "$work/sr.dcm" || true

if [ "$keep" = 1 ]; then
  echo; echo "Running until Ctrl-C (logs in $work)."
  wait "$server_pid"
fi
