#!/usr/bin/env bash
# Vendor the browser assets Coalition Atlas needs at run time, so the app needs
# no internet: folium 0.20.0's JS/CSS (+ MarkerCluster), their fonts/images,
# and the Noto Naskh Arabic web font.
#
#   tools/vendor_assets.sh            # (re)build static/vendor/ and static/fonts/
#
# Everything comes from the npm registry via `npm pack` (no node_modules, no
# install scripts), is checked against the sha512 pinned below, and only the
# files that are actually referenced (plus the fonts/images they reference and
# the license texts) are copied to
#
#   static/vendor/<package>@<version>/...      (npm scope dropped from the name)
#   static/fonts/...
#
# The versions are the ones folium 0.20.0 names in folium/folium.py
# (_default_js/_default_css) and folium/plugins/marker_cluster.py. When folium
# is upgraded, update the versions here AND the URL table in
# coalition_atlas/offline.py (its unit test fails when they disagree).
#
# Substitutions (folium's file is not on npm):
#  * glyphicons_css  netdna .../bootstrap/3.0.0/css/bootstrap-glyphicons.css:
#      Bootstrap 3.0.0 is not on npm (3.x starts at 3.1.1). We cut the
#      "Glyphicons Halflings" @font-face + .glyphicon* rules out of
#      bootstrap@3.4.1's dist/css/bootstrap.css (same codepoints, a superset of
#      the 3.0.0 icons) -> bootstrap@3.4.1/css/bootstrap-glyphicons.css.
#  * awesome_markers (cdnjs Leaflet.awesome-markers 2.0.2): the upstream package
#      "leaflet.awesome-markers" has 2.0.0/2.0.4/2.0.5 but no 2.0.2, so we take
#      "drmonty-leaflet-awesome-markers@2.0.2" (a repackaging of the same
#      release). It ships no LICENSE file; the MIT notice from its header is
#      written next to it.
#  * awesome_rotate_css (a file in folium's GitHub repo, not in any package):
#      a generated equivalent, local/leaflet.awesome.rotate.css
#      (.fa-rotate-1 ... .fa-rotate-359 = transform: rotate(Ndeg)).
#  * local/leaflet-default-icon-path.js: our own 5-line shim that sets
#      L.Icon.Default.imagePath (streamlit-folium#275), see offline.py.
# Trimmed on purpose: source maps (the `sourceMappingURL` comments stay; only
# devtools asks for them), Font Awesome's .ttf fallbacks and Glyphicons'
# eot/ttf/svg (every browser that runs Streamlit uses the woff2/woff).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$REPO/static/vendor"
FONTS="$REPO/static/fonts"
PYTHON="${PYTHON:-python3}"

LEAFLET=1.9.3
JQUERY=3.7.1
BOOTSTRAP=5.2.2
GLYPHICONS_FROM=3.4.1
FONTAWESOME=6.2.0
AWESOME_MARKERS=2.0.2
MARKERCLUSTER=1.1.0
NOTO_NASKH=5.3.0

# npm "integrity" (sha512 of the tarball) of each package we take files from.
declare -A INTEGRITY=(
  ["leaflet@$LEAFLET"]="sha512-iB2cR9vAkDOu5l3HAay2obcUHZ7xwUBBjph8+PGtmW/2lYhbLizWtG7nTeYht36WfOslixQF9D/uSIzhZgGMfQ=="
  ["jquery@$JQUERY"]="sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg=="
  ["bootstrap@$BOOTSTRAP"]="sha512-dEtzMTV71n6Fhmbg4fYJzQsw1N29hJKO1js5ackCgIpDcGid2ETMGC6zwSYw09v05Y+oRdQ9loC54zB1La3hHQ=="
  ["bootstrap@$GLYPHICONS_FROM"]="sha512-yN5oZVmRCwe5aKwzRj6736nSmKDX7pLYwsXiCj/EYmo16hODaBiT4En5btW/jhBF/seV+XMx3aYwukYC3A49DA=="
  ["@fortawesome/fontawesome-free@$FONTAWESOME"]="sha512-CNR7qRIfCwWHNN7FnKUniva94edPdyQzil/zCwk3v6k4R6rR2Fr8i4s3PM7n/lyfPA6Zfko9z5WDzFxG9SW1uQ=="
  ["drmonty-leaflet-awesome-markers@$AWESOME_MARKERS"]="sha512-g508pdnnHQr9l4kU6McvJzcSd0w1FvHFlZZCYc4oT+zjwYJi1qtj0fFBFEWMKoNfHK4UcBya1eccyjKfu4chjQ=="
  ["leaflet.markercluster@$MARKERCLUSTER"]="sha512-eI+XkCiLiHwCC3uZ4/n4+Vq3rXcqEHN2lhHRVG1WVziy/3Q0TTipWkzEa1zO0dKZI2AnI5ppFDWrOjnQ7MJLKQ=="
  ["@fontsource/noto-naskh-arabic@$NOTO_NASKH"]="sha512-S/GDgQ6mh/PKo4mz5+eXNYbEarvpI7yh6eCdOz8tTVbeM7+OUiacIEscaYEibr/+egDtGbO2ZB00sjy1bJC1kQ=="
)

command -v npm >/dev/null || { echo "npm not found (apt-get install -y npm)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch SPEC -> prints the directory the package was unpacked into
fetch() {
  local spec="$1" tgz actual dir
  tgz="$(cd "$TMP" && npm pack "$spec" --silent --ignore-scripts 2>"$TMP/npm.log" | tail -n1)" || true
  [[ -n "$tgz" && -f "$TMP/$tgz" ]] || { echo "npm pack $spec failed:" >&2; cat "$TMP/npm.log" >&2; exit 1; }
  actual="sha512-$(openssl dgst -sha512 -binary "$TMP/$tgz" | base64 -w0)"
  if [[ "$actual" != "${INTEGRITY[$spec]}" ]]; then
    echo "integrity mismatch for $spec: got $actual" >&2
    exit 1
  fi
  dir="$TMP/pkg/${tgz%.tgz}"
  mkdir -p "$dir"
  tar -xzf "$TMP/$tgz" -C "$dir" --strip-components=1
  echo "$spec $actual" >>"$TMP/manifest"
  echo "$dir"
}

# put SRC DEST : copy one file, creating folders
put() { mkdir -p "$(dirname "$2")"; cp "$1" "$2"; }

# Start from scratch so removed files do not linger.
rm -rf "$VENDOR" "$FONTS"
mkdir -p "$VENDOR" "$FONTS"

# --- Leaflet ---------------------------------------------------------------
P="$(fetch "leaflet@$LEAFLET")"; D="$VENDOR/leaflet@$LEAFLET"
put "$P/dist/leaflet.js" "$D/leaflet.js"
put "$P/dist/leaflet.css" "$D/leaflet.css"
for f in marker-icon.png marker-icon-2x.png marker-shadow.png layers.png layers-2x.png; do
  put "$P/dist/images/$f" "$D/images/$f"
done
put "$P/LICENSE" "$D/LICENSE"

# --- jQuery ----------------------------------------------------------------
P="$(fetch "jquery@$JQUERY")"; D="$VENDOR/jquery@$JQUERY"
put "$P/dist/jquery.min.js" "$D/jquery.min.js"
put "$P/LICENSE.txt" "$D/LICENSE.txt"

# --- Bootstrap 5 (JS bundle + CSS) -------------------------------------------
P="$(fetch "bootstrap@$BOOTSTRAP")"; D="$VENDOR/bootstrap@$BOOTSTRAP"
put "$P/dist/js/bootstrap.bundle.min.js" "$D/js/bootstrap.bundle.min.js"
put "$P/dist/css/bootstrap.min.css" "$D/css/bootstrap.min.css"
put "$P/LICENSE" "$D/LICENSE"

# --- Glyphicons (cut out of Bootstrap 3) ---------------------------------------
P="$(fetch "bootstrap@$GLYPHICONS_FROM")"; D="$VENDOR/bootstrap@$GLYPHICONS_FROM"
put "$P/dist/fonts/glyphicons-halflings-regular.woff2" "$D/fonts/glyphicons-halflings-regular.woff2"
put "$P/dist/fonts/glyphicons-halflings-regular.woff" "$D/fonts/glyphicons-halflings-regular.woff"
put "$P/LICENSE" "$D/LICENSE"
mkdir -p "$D/css"
"$PYTHON" - "$P/dist/css/bootstrap.css" "$D/css/bootstrap-glyphicons.css" "$GLYPHICONS_FROM" <<'PY'
import re, sys
src, dst, version = sys.argv[1:4]
css = open(src, encoding="utf-8").read()
start = css.index('@font-face {\n  font-family: "Glyphicons Halflings";')
end = css.index("\n* {\n", start)
part = css[start:end].rstrip() + "\n"
# woff2 + woff only (the eot/ttf/svg files are not vendored)
part, n = re.subn(
    r"@font-face \{.*?\}",
    '@font-face {\n  font-family: "Glyphicons Halflings";\n'
    '  src: url("../fonts/glyphicons-halflings-regular.woff2") format("woff2"),'
    ' url("../fonts/glyphicons-halflings-regular.woff") format("woff");\n}',
    part, count=1, flags=re.S)
assert n == 1 and part.count(":before") > 200, "unexpected bootstrap.css layout"
header = (f"/*! Glyphicons Halflings rules cut out of Bootstrap v{version} dist/css/bootstrap.css\n"
          " * (stand-in for folium's bootstrap/3.0.0/css/bootstrap-glyphicons.css, not on npm)\n"
          " * Bootstrap: Copyright 2011-2019 Twitter, Inc. Licensed under MIT (see ../LICENSE).\n"
          " * Glyphicons Halflings are licensed to Bootstrap (https://glyphicons.com/). */\n")
open(dst, "w", encoding="utf-8").write(header + part)
PY

# --- Font Awesome (CSS + woff2 webfonts) --------------------------------------
P="$(fetch "@fortawesome/fontawesome-free@$FONTAWESOME")"; D="$VENDOR/fontawesome-free@$FONTAWESOME"
put "$P/css/all.min.css" "$D/css/all.min.css"
for f in "$P"/webfonts/*.woff2; do put "$f" "$D/webfonts/$(basename "$f")"; done
put "$P/LICENSE.txt" "$D/LICENSE.txt"

# --- Leaflet.awesome-markers ---------------------------------------------------
P="$(fetch "drmonty-leaflet-awesome-markers@$AWESOME_MARKERS")"; D="$VENDOR/leaflet.awesome-markers@$AWESOME_MARKERS"
put "$P/js/leaflet.awesome-markers.js" "$D/leaflet.awesome-markers.js"
put "$P/css/leaflet.awesome-markers.css" "$D/leaflet.awesome-markers.css"
for f in markers-soft.png markers-soft@2x.png markers-shadow.png markers-shadow@2x.png; do
  put "$P/css/images/$f" "$D/images/$f"
done
cat >"$D/LICENSE" <<'EOF'
Leaflet.awesome-markers 2.0.2 -- (c) 2012-2013, Lennard Voogdt
https://github.com/lvoogdt/Leaflet.awesome-markers
Files taken from the npm package drmonty-leaflet-awesome-markers@2.0.2, which
ships no LICENSE file; its headers and package.json say "License: MIT".

The MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF

# --- Leaflet.markercluster (folium.plugins.MarkerCluster) -------------------------
P="$(fetch "leaflet.markercluster@$MARKERCLUSTER")"; D="$VENDOR/leaflet.markercluster@$MARKERCLUSTER"
put "$P/dist/leaflet.markercluster.js" "$D/leaflet.markercluster.js"
put "$P/dist/MarkerCluster.css" "$D/MarkerCluster.css"
put "$P/dist/MarkerCluster.Default.css" "$D/MarkerCluster.Default.css"
put "$P/MIT-LICENCE.txt" "$D/MIT-LICENCE.txt"

# --- our own small shims ------------------------------------------------------------
D="$VENDOR/local"; mkdir -p "$D"
cat >"$D/leaflet-default-icon-path.js" <<EOF
/* Coalition Atlas (generated by tools/vendor_assets.sh). Loaded right after
 * leaflet.js. Leaflet guesses the default marker icon folder from leaflet.css;
 * in streamlit-folium's iframe leaflet.css is added only after the map script
 * has run, the guess lacks "/images/" and every default marker is a broken
 * image (streamlit-folium#275). Point it at the vendored images, relative to
 * this file's own URL, so it works under any base path. */
(function () {
  if (typeof L === "undefined" || !L.Icon || !L.Icon.Default) { return; }
  var self = document.currentScript && document.currentScript.src;
  L.Icon.Default.imagePath = new URL("../leaflet@$LEAFLET/images/", self || document.baseURI).href;
})();
EOF
{
  echo "/* Coalition Atlas (generated by tools/vendor_assets.sh): local equivalent of"
  echo "   folium's templates/leaflet.awesome.rotate.min.css (folium.Icon(angle=N)"
  echo "   adds class fa-rotate-N to the icon). */"
  for ((i = 1; i < 360; i++)); do
    echo ".fa-rotate-$i{transform:rotate(${i}deg)}"
  done
} >"$D/leaflet.awesome.rotate.css"

# --- Noto Naskh Arabic (arabic + latin, 400 + 700, woff2) -------------------------
P="$(fetch "@fontsource/noto-naskh-arabic@$NOTO_NASKH")"
for subset in arabic latin; do
  for weight in 400 700; do
    f="noto-naskh-arabic-$subset-$weight-normal.woff2"
    put "$P/files/$f" "$FONTS/$f"
  done
done
put "$P/LICENSE" "$FONTS/OFL.txt"
"$PYTHON" - "$P" "$FONTS/fonts.css" "$NOTO_NASKH" <<'PY'
import re, sys
pkg, dst, version = sys.argv[1:4]
blocks = []
for weight in (400, 700):
    css = open(f"{pkg}/{weight}.css", encoding="utf-8").read()
    for subset in ("arabic", "latin"):
        name = f"noto-naskh-arabic-{subset}-{weight}-normal"
        m = re.search(r"/\* %s \*/\n(@font-face \{.*?\})" % re.escape(name), css, re.S)
        assert m, name
        block = re.sub(r"src: [^;]*;", f"src: url(./{name}.woff2) format('woff2');", m.group(1))
        blocks.append(f"/* {name} */\n{block}\n")
header = f"""/* Noto Naskh Arabic {version} (@fontsource/noto-naskh-arabic), SIL OFL 1.1: see OFL.txt.
 * Generated by tools/vendor_assets.sh: subsets arabic + latin, weights 400 + 700, woff2.
 *
 * URLs are relative to THIS FILE: link it as a stylesheet, e.g.
 *   <link rel="stylesheet" href="/app/static/fonts/fonts.css">   (Streamlit static serving)
 * To inline the rules in a <style> element elsewhere, relative URLs would resolve
 * against that document instead; use coalition_atlas.offline.fonts_css(), which
 * rewrites them to absolute /app/static/fonts/... URLs or embeds data: URIs.
 */
"""
open(dst, "w", encoding="utf-8").write(header + "\n".join(blocks))
PY
cat >"$FONTS/README.md" <<EOF
# static/fonts

Generated by \`tools/vendor_assets.sh\` from the npm package
\`@fontsource/noto-naskh-arabic@$NOTO_NASKH\` (SIL Open Font License 1.1, \`OFL.txt\`).

* \`noto-naskh-arabic-{arabic,latin}-{400,700}-normal.woff2\`: the arabic and latin
  subsets, regular and bold. The package ships woff2/woff only (no TTF); woff2 is
  what every current browser uses.
* \`fonts.css\`: \`@font-face { font-family: "Noto Naskh Arabic"; ... }\` with
  \`unicode-range\` per subset. Its \`url(./...)\` are relative to the CSS file, so
  \`<link rel="stylesheet" href="/app/static/fonts/fonts.css">\` works wherever the
  folder is served. For a \`<style>\` element (relative URLs would then resolve
  against the page), use \`coalition_atlas.offline.fonts_css()\`.
EOF

# --- manifest ---------------------------------------------------------------------
{
  echo "# static/vendor"
  echo
  echo "Generated by \`tools/vendor_assets.sh\` -- do not edit by hand; re-run the script."
  echo "Browser assets of folium 0.20.0 (+ MarkerCluster) served by Streamlit static"
  echo "serving at \`/app/static/vendor/...\`; \`coalition_atlas/offline.py\` maps folium's"
  echo "CDN URLs onto these files. See the script's header for the substitutions."
  echo
  echo "## npm packages (tarball sha512)"
  echo
  sort "$TMP/manifest" | sed 's/^/    /'
  echo
  echo "## files"
  echo
  (cd "$REPO/static" && find vendor fonts -type f ! -name README.md | LC_ALL=C sort | xargs sha256sum | sed 's/^/    /')
} >"$VENDOR/README.md"

du -sh "$VENDOR" "$FONTS"
echo "files: $(find "$VENDOR" "$FONTS" -type f | wc -l)"
