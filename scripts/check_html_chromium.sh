#!/usr/bin/env bash
# Opens retrace HTML reports in headless Chromium (Debian's `chromium` package) and checks that
# the browser ran no script: the page must have no <script> element, no on*= attribute, keep its
# Content-Security-Policy, and must not show the canary that the malicious test fixture's payload
# would write if it ran ("XSS" + "-RAN", never written out whole in the fixture's text).
#
# Usage:
#   scripts/check_html_chromium.sh out/kim-train-2025/report.html [more.html ...]
#
# A control page (a real inline script, no CSP) is opened first: if the canary does not show up
# there, Chromium is not running scripts at all and a pass on the report would mean nothing.
# Installs chromium with apt-get when it is missing (the machine user is root). Screenshots and
# dumped DOMs go to $CHECK_HTML_OUT (default: a fresh temporary folder, printed at the end).
# Exit code: 0 all pages pass, 1 a check failed, 2 could not run.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 page.html [page.html ...]" >&2
    exit 2
fi

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
echo "== $(chromium --version 2>/dev/null || echo chromium)"

out_dir="${CHECK_HTML_OUT:-$(mktemp -d)}"
mkdir -p "$out_dir"
canary="XSS""-RAN"

# One headless run with a fresh profile; extra arguments select --dump-dom or --screenshot.
run_chromium() {
    local profile
    profile="$(mktemp -d)"
    timeout 90 chromium --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --no-first-run \
        --disable-sync --disable-extensions --user-data-dir="$profile" \
        --virtual-time-budget=2000 "$@" 2>>"$out_dir/chromium.log"
    rm -rf "$profile"
}

# Control: scripts do run in this Chromium, and the canary shows in the dumped DOM.
control="$out_dir/control.html"
cat >"$control" <<EOF
<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head>
<body><p>control</p><script>document.title = "XSS" + "-RAN";</script></body></html>
EOF
run_chromium --dump-dom "file://$control" >"$out_dir/control.dom.html"
if grep -q "$canary" "$out_dir/control.dom.html"; then
    echo "ok   control page: Chromium runs inline scripts when a page allows them"
else
    echo "FAIL control page: the canary did not show; Chromium may not run scripts, so no check below would mean anything" >&2
    exit 2
fi

status=0
for page in "$@"; do
    if [ ! -f "$page" ]; then
        echo "FAIL $page: no such file" >&2
        status=1
        continue
    fi
    abs="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
    name="$(basename "$(dirname "$abs")")-$(basename "$abs" .html)"
    dom="$out_dir/$name.dom.html"
    shot="$out_dir/$name.png"
    start=$(date +%s)
    run_chromium --dump-dom "file://$abs" >"$dom"
    # A tall window: the screenshot is the top 4000 px of the page, every tile drawn first.
    run_chromium --hide-scrollbars --run-all-compositor-stages-before-draw \
        --window-size=1280,4000 --screenshot="$shot" "file://$abs" >/dev/null
    took=$(($(date +%s) - start))
    problems=()
    [ -s "$dom" ] || problems+=("the dumped DOM is empty")
    grep -qi '<script' "$dom" && problems+=("a <script> element is in the DOM")
    grep -Eqi '<[a-z][^>]*[[:space:]]on[a-z]+=' "$dom" && problems+=("an on*= attribute is in the DOM")
    grep -q "$canary" "$dom" && problems+=("the canary $canary is in the DOM: a script ran")
    grep -q "default-src 'none'" "$dom" || problems+=("the Content-Security-Policy meta tag is missing")
    [ -s "$shot" ] || problems+=("no screenshot was written")
    title="$(grep -o '<title>[^<]*</title>' "$dom" | head -1 || true)"
    if [ "${#problems[@]}" -eq 0 ]; then
        echo "ok   $page (${took} s; $(wc -c <"$dom") DOM bytes; $title; screenshot $shot)"
    else
        status=1
        for p in "${problems[@]}"; do
            echo "FAIL $page: $p" >&2
        done
    fi
done
echo "== DOM dumps and screenshots in $out_dir"
exit "$status"
