#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing (a fresh Debian 12 machine, as root).
#   libgdcm-tools     : gdcmconv, the optional decoder for compressed DICOM transfer syntaxes (JPEG 2000, RLE, ...)
#   fonts-dejavu-core : the font report plots are drawn with (SkiaSharp's no-dependency build finds no font otherwise)
#   postgresql        : server binaries (/usr/lib/postgresql/N/bin) for the server's PostgreSQL tests; the tests start
#                       their own throw-away cluster, so the Debian service itself is not needed (nor started).
#   dicom3tools       : dciodvfy, which validates the DICOM result objects (SR, SC) against their IODs
#   dcmtk             : dsrdump and dcmdump, which read the result objects back (SR content tree, header); storescu
#                       (a modality's C-STORE) and dcmodify for the hospital round trip tests.
#   orthanc, orthanc-dicomweb : a real PACS (Orthanc and its DICOMweb plugin) for the round trip tests
#                       (PacsOrthancTests); the tests start their own instance, the Debian service is not needed.
#   chromium          : the headless browser the review page's browser tests drive through Playwright (Playwright
#                       cannot download its own browser build here, so it is given /usr/bin/chromium).
set -euo pipefail
missing=()
command -v gdcmconv >/dev/null 2>&1 || missing+=(libgdcm-tools)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/dciodvfy ] || missing+=(dicom3tools)
{ [ -x /usr/bin/dsrdump ] && [ -x /usr/bin/dcmdump ] && [ -x /usr/bin/storescu ] && [ -x /usr/bin/dcmodify ]; } || missing+=(dcmtk)
[ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
