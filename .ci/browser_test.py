#!/usr/bin/env python3
"""Browser test of `sic_nb explore` (issue 16), run by `.ci/test.py` as one of its checks.

Makes a small finished run (digits, k-means, into a temporary folder), starts `sic_nb explore` on it and checks its door:
without the token the page, the notebook file and the kernel's channels are refused, with it they answer; serving on a
non-loopback address without a token is refused before any server starts. Then opens the printed address (with its token)
in headless Debian chromium through Playwright (`executable_path=/usr/bin/chromium`: no browser download), merges two
clusters, renames the merged one to a name that looks like a path, exports, and checks the exported CSV: one cluster fewer,
the new name present, nothing written outside RUN_DIR/edits/<time>/, the run's own files unchanged. Stops the server at the end. Exits 1 with a message that says what to do if chromium or playwright
is missing (it never skips).

Usage: python3 .ci/browser_test.py [--run DIR (reuse a finished run; a copy is explored)] [--screenshot PNG] [--keep]
"""
import argparse, base64, csv, hashlib, http.client, os, re, shutil, signal, socket, subprocess, sys, tempfile, time
from urllib.parse import urlsplit
from pathlib import Path

CHROMIUM = os.environ.get('SIC_NB_CHROMIUM', '/usr/bin/chromium')
NEW_NAME = '../../merged-by-browser'   # a name that looks like a path stays a name

def say(msg): print(f"browser test: {msg}", flush=True)

def fail(msg):
    print(f"browser test: FAILED: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)

def digests(d: Path) -> dict:
    "sha256 of every file of the run (the explorer's own edits/ folder aside)."
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob('*')) if p.is_file() and p.relative_to(d).parts[0] != 'edits'}

def clusters(csv_path: Path) -> tuple:
    rows = list(csv.reader(open(csv_path, encoding='utf-8', newline='')))
    if rows[0] != ['id', 'cluster', 'cluster_name', 'confidence']: fail(f"{csv_path} has the header {rows[0]}")
    return rows[1:], {r[1] for r in rows[1:] if r[1] != '-1'}, {r[2] for r in rows[1:]}

def listening(url: str) -> bool:
    u = urlsplit(url)
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((u.hostname, u.port)) == 0

def request(url: str, path: str, upgrade=False) -> tuple:
    "(status, body) of GET `path` on the server of `url`; `upgrade`: as a websocket handshake (a kernel's channels)."
    u = urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    hdr = dict(Connection='Upgrade', Upgrade='websocket', **{'Sec-WebSocket-Version': '13',
               'Sec-WebSocket-Key': base64.b64encode(os.urandom(16)).decode()}) if upgrade else {}
    c.request('GET', path, headers=hdr)
    r = c.getresponse()
    body = b'' if upgrade else r.read()
    c.close()
    return r.status, body.decode(errors='replace')

def check_door(url: str):
    "Without the token: the page, the notebook and a kernel's channels refused; with it: served."
    token = dict(p.split('=', 1) for p in urlsplit(url).query.split('&') if '=' in p).get('token')
    if not token or len(token) < 16: fail(f"the printed address {url} carries no (long enough) token")
    st, _ = request(url, '/')
    if st not in (302, 401, 403): fail(f"the page answered {st} without the token")
    st, _ = request(url, '/?token=wrong' + token[:4])
    if st not in (302, 401, 403): fail(f"the page answered {st} to a wrong token")
    st, page = request(url, f'/?token={token}')
    if st != 200: fail(f"the page answered {st} with the token")
    kid = re.search(r'kernelId"?\s*[:=]\s*"([0-9a-f-]{36})"', page)
    if not kid: fail("the page (with the token) names no kernel")
    st, _ = request(url, f'/api/kernels/{kid.group(1)}/channels', upgrade=True)
    if st != 403: fail(f"a kernel's channels answered {st} without the token (expected 403)")
    st, _ = request(url, f'/api/kernels/{kid.group(1)}/channels?token={token}', upgrade=True)
    if st != 101: fail(f"a kernel's channels answered {st} with the token (expected 101, switching to websocket)")
    for path in ('/api/kernels', '/voila/files/explore.ipynb', '/tree'):
        st, _ = request(url, path)
        if st == 200: fail(f"{path} answered 200 without the token")
    say("door: without the token / -> refused, channels -> 403; with it / -> 200, channels -> 101")

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def drive(url: str, screenshot=None) -> str:
    "Open `url` in headless chromium; merge clusters 0 and 1, rename, export; return the export folder the page reports."
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=['--no-sandbox', '--disable-dev-shm-usage'])
        try:
            page = browser.new_page(viewport=dict(width=1300, height=1000))
            page.set_default_timeout(120_000)
            t = time.time()
            page.goto(url, timeout=300_000)
            page.wait_for_selector('.sic-cluster select', timeout=300_000)
            say(f"page with the explorer after {time.time() - t:.1f}s")
            opts = page.locator('.sic-cluster select option').all_inner_texts()
            if len(opts) < 3: fail(f"the cluster chooser lists {opts}")
            page.select_option('.sic-cluster select', label=opts[0])
            other = page.locator('.sic-merge-other select option').all_inner_texts()
            if other[0] != opts[1]: fail(f"'merge in' offers {other[:3]}, expected {opts[1]} first")
            page.select_option('.sic-merge-other select', label=other[0])
            page.click('button.sic-merge')
            page.wait_for_function("document.querySelector('.sic-status').innerText.includes('merged')")
            try: page.wait_for_function(f"document.querySelectorAll('.sic-cluster select option').length == {len(opts) - 1}", timeout=30_000)
            except Exception: pass
            n = page.locator('.sic-cluster select option').count()
            if n != len(opts) - 1: fail(f"after the merge the chooser lists {n} clusters, expected {len(opts) - 1}")
            say(f"merged {other[0]!r} into {opts[0]!r}: {n} clusters")
            page.fill('.sic-rename-text input', NEW_NAME)
            page.click('button.sic-rename')
            page.wait_for_function(f"document.querySelector('.sic-status').innerText.includes('{NEW_NAME}')")
            try: page.wait_for_function(f"document.querySelector('.sic-cluster select').selectedOptions[0].innerText.includes('{NEW_NAME}')",
                                        timeout=30_000)
            except Exception: pass
            sel = page.locator('.sic-cluster select option:checked').inner_text()
            if NEW_NAME not in sel: fail(f"after the rename the chosen cluster reads {sel!r}")
            say(f"renamed: {sel!r}")
            page.click('button.sic-export')
            page.wait_for_selector('.sic-status .sic-export-path')
            folder = page.inner_text('.sic-status .sic-export-path').strip()
            say(f"exported to {folder}")
            if screenshot: page.screenshot(path=screenshot, full_page=True)
            return folder
        finally: browser.close()

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', help='a finished run folder to explore (copied first); default: make one with digits/k-means')
    ap.add_argument('--screenshot', help='save a screenshot of the page after the export to this PNG')
    ap.add_argument('--keep', action='store_true', help='keep the temporary folder')
    a = ap.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/install does it: apt-get install chromium), "
             "or point SIC_NB_CHROMIUM at a chromium binary.")
    try: import playwright.sync_api  # noqa: F401
    except ImportError: fail("the playwright package is missing: run .ci/install (it installs the dev requirements).")
    tmp = Path(tempfile.mkdtemp(prefix='sic_nb-browser-'))
    server = url = None
    try:
        run = tmp / 'run'
        if a.run: shutil.copytree(a.run, run, ignore=shutil.ignore_patterns('edits'))
        else:
            t = time.time()
            r = subprocess.run([sys.executable, '-m', 'sic_nb.cli', 'cluster', '--data', 'digits', '--method', 'kmeans', '--out', str(run),
                                '--quiet'], capture_output=True, text=True)
            if r.returncode: fail(f"sic_nb cluster failed: {(r.stdout + r.stderr)[-2000:]}")
            say(f"made a run in {time.time() - t:.1f}s: {run}")
        before = digests(run)
        _, orig_clusters, _ = clusters(run / 'assignments.csv')
        r = subprocess.run([sys.executable, '-m', 'sic_nb.cli', 'explore', str(run), '--ip', '0.0.0.0', '--token', ''],
                           capture_output=True, text=True, timeout=120)
        if r.returncode == 0 or 'without a token' not in r.stderr: fail(f"serving on 0.0.0.0 without a token was not refused: {r.stderr[-1000:]}")
        say("no token on 0.0.0.0: refused before serving")
        outside = sorted(p for p in tmp.rglob('*') if 'edits' not in p.relative_to(tmp).parts)
        log = open(tmp / 'server.log', 'w')
        server = subprocess.Popen([sys.executable, '-m', 'sic_nb.cli', 'explore', str(run), '--port', str(free_port())],
                                  stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
        for line in server.stdout:
            if ' is at http' in line: url = line.split(' is at ', 1)[1].split()[0]; break
        if url is None: fail(f"sic_nb explore did not print an address; its log: {(tmp / 'server.log').read_text()[-3000:]}")
        say(f"server at {url}")
        check_door(url)
        try: folder = Path(drive(url, a.screenshot))
        except SystemExit: raise
        except Exception as e: fail(f"{type(e).__name__}: {str(e)[:1500]}\nserver log: {(tmp / 'server.log').read_text()[-3000:]}")
        rows, got, names = clusters(folder / 'assignments.csv')
        if folder.parent != run / 'edits': fail(f"the export went to {folder}, not under {run / 'edits'}")
        if len(got) != len(orig_clusters) - 1: fail(f"the export has {len(got)} clusters, the run {len(orig_clusters)}: expected one fewer")
        if NEW_NAME not in names: fail(f"the new name {NEW_NAME!r} is not in the exported CSV (names: {sorted(names)[:5]})")
        if len(rows) != sum(1 for _ in open(run / 'assignments.csv')) - 1: fail("the export has another number of rows than the run")
        if not (folder / 'edit_log.jsonl').is_file(): fail("the export has no edit_log.jsonl")
        if digests(run) != before: fail("the run's own files changed")
        new = sorted(set(p for p in tmp.rglob('*') if 'edits' not in p.relative_to(tmp).parts) - set(outside) - {tmp / 'server.log'})
        if new: fail(f"the explorer wrote outside RUN_DIR/edits: {[str(p) for p in new][:5]}")
        if sorted(p.name for p in folder.iterdir()) != ['assignments.csv', 'edit_log.jsonl', 'edits.json']:
            fail(f"the export folder holds {sorted(p.name for p in folder.iterdir())}")
        say(f"ok: {len(orig_clusters)} -> {len(got)} clusters, {NEW_NAME!r} present, {len(rows)} rows, the run's files unchanged")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)                         # sic_nb explore stops its Voila server and kernels
            try: server.wait(60)
            except subprocess.TimeoutExpired: os.killpg(server.pid, signal.SIGKILL); server.wait()
        if a.keep: say(f"kept {tmp}")
        else: shutil.rmtree(tmp, ignore_errors=True)
    if url and listening(url): fail(f"the server at {url} still answers after sic_nb explore was stopped")
    say("server stopped")

if __name__ == '__main__':
    main()
