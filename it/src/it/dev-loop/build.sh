# The stand-in for "npm run build": copies web-src/ into www/, fails on a "syntax error".
if grep -l BROKEN web-src/* >/dev/null 2>&1; then
  echo "web-src/page.html: syntax error: unexpected BROKEN" >&2
  exit 2
fi
cp web-src/* www/
