#!/usr/bin/env python3
"""The reviewer's desk in a real browser (headless Chromium through Selenium).

Starts `netral desk --config` on the demo's state, signs in with the printed one-time link,
filters the queue, opens case files with the keyboard and by link, confirms one and dismisses
one, checks that `netral findings --format json` shows both decisions, and exports the confirmed
one through the desk's export button (JSONL). Also checks that a request without the session and a form
post without the CSRF token are refused, and that the archived copy of a page whose script sets a
marker is shown without running it; that the case page's post text is on the first screen at
1280 and 390 px; that the filled report form opens in python-docx with its fields filled and the
case's ZIP matches its manifest. Screenshots of the queue and a case page at 1280 px and 390 px,
and of the form page, go to the artifacts folder.

Usage: desk_browser_test.py NETRAL_BINARY DEMO_FOLDER ARTIFACTS_FOLDER (from the repository root)
"""
import glob
import json
import os
import queue
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

REVIEWER = "Peninjau CI"


def fail(message):
    print(f"desk browser test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"  ok: {message}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(url, data=None, cookie=None):
    """Status and body of one request, redirects not followed."""
    request = urllib.request.Request(url, data=data)
    if cookie:
        request.add_header("Cookie", cookie)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def http_bytes(url, cookie):
    """Status, headers and raw body of one GET with the session."""
    request = urllib.request.Request(url)
    request.add_header("Cookie", cookie)
    with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def visible_in_first_screen(driver, selector):
    """Whether the element's top is inside the first screen (no scrolling)."""
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); if (!e) { return false; }"
        "var r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.top < window.innerHeight - 40;", selector)


def check_documents(base, cookie, case_id, artifacts):
    """The filled form (DOCX through python-docx) and the case's ZIP (hashes against its manifest)."""
    import hashlib
    import io
    import zipfile
    import docx
    status, headers, body = http_bytes(f"{base}/kasus/{case_id}/formulir.docx", cookie)
    check(status == 200 and "attachment" in headers.get("Content-Disposition", ""), "the desk hands out the report form as DOCX")
    path = os.path.join(artifacts, "formulir-laporan.docx")
    with open(path, "wb") as out:
        out.write(body)
    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {row.cells[0].text.strip(): row.cells[-1].text.strip() for table in document.tables for row in table.rows if len(row.cells) >= 2}
    check("FORMULIR LAPORAN" in text and "Identitas Terlapor" in text, "python-docx opens the form: its title and sections")
    check(cells.get("Nama", "").strip(".… ") != "" and "sumber:" in cells.get("Nama", ""), f"the terlapor's name is filled ({cells.get('Nama')!r})")
    check(cells.get("Hari dan tanggal diketahui", "") != "" and cells.get("Tempat kejadian", "").startswith("Daring"),
          "the event's time and place are filled")
    check("«" in text, "the chronology quotes the post's words")
    status, headers, body = http_bytes(f"{base}/kasus/{case_id}/berkas.zip", cookie)
    check(status == 200 and headers.get("Content-Type") == "application/zip", "the desk hands out the case's ZIP")
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = json.loads(archive.read("berkas/manifest.json"))
    for entry in manifest["files"]:
        digest = hashlib.sha256(archive.read("berkas/" + entry["path"])).hexdigest()
        if digest != entry["sha256"]:
            fail(f"{entry['path']} in the ZIP does not match its manifest")
    check(len(manifest["files"]) > 0, f"every file in the ZIP matches the manifest's hash ({len(manifest['files'])} files)")
    sums = archive.read("berkas/SHA256SUMS").decode()
    check(all(hashlib.sha256(archive.read("berkas/" + line.split("  ", 1)[1])).hexdigest() == line.split("  ", 1)[0]
              for line in sums.splitlines() if line), "SHA256SUMS holds for every file")
    check("rantai-bukti.txt" in archive.namelist(), "the ZIP holds the chain-of-custody sheet")


def write_config(demo, folder):
    """A configuration naming the demo's state and evidence (the demo writes none)."""
    path = os.path.join(folder, "netral.yaml")
    with open(path, "w", encoding="utf-8") as config:
        config.write("format: 1\n"
                     f"rules: [{json.dumps(os.path.abspath('Rules'))}]\n"
                     f"state: {json.dumps(os.path.abspath(os.path.join(demo, 'state.sqlite')))}\n"
                     f"evidence: {json.dumps(os.path.abspath(os.path.join(demo, 'evidence')))}\n"
                     "fetch:\n  user_agent: \"Netral/0.1 (+https://bawaslu-contoh.example/kontak)\"\n"
                     "targets: []\n")
    return path


def findings(netral, config):
    """`netral findings --format json`, by case id."""
    output = subprocess.run([netral, "findings", "--config", config, "--format", "json"], capture_output=True, text=True, timeout=60)
    if output.returncode != 0:
        fail("netral findings failed: " + output.stderr)
    return {entry["id"]: entry for entry in json.loads(output.stdout)}


def start_desk(netral, config):
    """Starts the desk; returns the process, its base URL, its first login link, and a queue
    of the further links it prints (one per reviewer name written to its stdin)."""
    process = subprocess.Popen(
        [netral, "desk", "--config", config, "--port", "0", "--by", REVIEWER],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    links = queue.Queue()

    def read():
        for line in process.stdout:
            match = re.search(r"(http://127\.0\.0\.1:\d+)/masuk\?token=[0-9a-f]+", line)
            if match:
                links.put((match.group(1), match.group(0), line))

    threading.Thread(target=read, daemon=True).start()
    try:
        base, link, _ = links.get(timeout=30)
    except queue.Empty:
        process.kill()
        fail("netral desk printed no login link within 30 s: " + process.stderr.read())
    return process, base, link, links


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400",
                     "--allow-file-access-from-files"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    return driver


def screenshot(driver, folder, name, width, height):
    driver.set_window_size(width, height)
    time.sleep(0.3)
    path = os.path.join(folder, f"{name}-{width}.png")
    driver.save_screenshot(path)
    print(f"  screenshot: {path}")


def state_decisions(demo):
    """Each case file's status and the review log's entries, read from the state directly."""
    database = sqlite3.connect(os.path.join(demo, "state.sqlite"))
    try:
        statuses = dict(database.execute("SELECT id, review_status FROM case_file"))
        log = database.execute("SELECT case_id, decision, reviewer, note FROM review_log ORDER BY sequence").fetchall()
    finally:
        database.close()
    return statuses, log


def main():
    netral, demo, artifacts = sys.argv[1:4]
    os.makedirs(artifacts, exist_ok=True)
    marked = [path for path in glob.glob(os.path.join(demo, "evidence", "*", "*", "capture.html"))
              if "data-penanda-skrip" in open(path, encoding="utf-8", errors="replace").read()]
    check(len(marked) == 1, "the demo holds one case file whose captured page runs a marker script")
    marked_capture = os.path.abspath(marked[0])
    marked_id = os.path.basename(os.path.dirname(marked_capture))
    config = write_config(demo, tempfile.mkdtemp(prefix="netral-desk-ci-"))
    before = findings(netral, config)
    statuses_before = {case_id: entry["status"] for case_id, entry in before.items()}
    check(marked_id in before and all(status == "new" for status in statuses_before.values()),
          "netral findings lists the demo's case files, all undecided")

    process, base, link, more_links = start_desk(netral, config)
    driver = None
    try:
        # Without the session nothing is shown.
        status, body = http(base + "/")
        check(status == 401 and "Perlu masuk" in body, "a request without the session is refused (401)")
        status, _ = http(base + f"/kasus/{marked_id}/salinan")
        check(status == 401, "the archived copy is refused without the session")

        driver = browser()
        wait = WebDriverWait(driver, 15)

        # The control: opened straight from the file, the marker script does run, so its
        # absence inside the desk means the desk stopped it.
        driver.get("file://" + marked_capture)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-penanda-skrip") == "berjalan",
              "the marker script runs when the captured page is opened on its own (control)")

        driver.get(link)
        wait.until(expected_conditions.title_contains("Antrean"))
        check("Antrean berkas perkara" in driver.page_source, "the login link opens the queue")
        session_cookie = next((c for c in driver.get_cookies() if c["name"] == "netral_desk"), None)
        check(session_cookie is not None and session_cookie.get("httpOnly") and session_cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")
        cookie = f"netral_desk={session_cookie['value']}"
        status, _ = http(link)
        check(status == 403, "the login link works only once")

        # Another reviewer: a name on the desk's stdin prints a link signed in under that name.
        process.stdin.write("Rina Penguji\n")
        process.stdin.flush()
        try:
            _, second_link, line = more_links.get(timeout=10)
        except queue.Empty:
            fail("no second login link after a name on stdin")
        status, _ = http(second_link)
        check(status == 303 and "Rina Penguji" in line, "a name on stdin gives that reviewer a login link of their own")

        rows = driver.find_elements(By.CSS_SELECTOR, "tr.baris")
        check(len(rows) == len(statuses_before), f"the queue of new case files lists all {len(statuses_before)}")
        screenshot(driver, artifacts, "desk-antrean", 1280, 1400)
        screenshot(driver, artifacts, "desk-antrean", 390, 1600)
        driver.set_window_size(1280, 1400)

        # Filter: act A6 only, through the form (folded away until asked for).
        driver.find_element(By.CSS_SELECTOR, "#saring-lipat summary").click()
        Select(driver.find_element(By.NAME, "tindakan")).select_by_value("A6")
        driver.find_element(By.CSS_SELECTOR, "#saring button[type=submit]").click()
        wait.until(lambda d: "tindakan=A6" in d.current_url)
        filtered = driver.find_elements(By.CSS_SELECTOR, "tr.baris")
        check(0 < len(filtered) < len(rows), f"filtering by act A6 narrows the queue ({len(filtered)} of {len(rows)})")
        check(all("A6" in row.find_element(By.CSS_SELECTOR, "td[data-label=Tindakan]").text for row in filtered),
              "every filtered row holds act A6")
        check(re.search(r"Semua <b>\d+</b>", driver.page_source) is not None, "the queue shows counts per status")

        # Keyboard: j moves to the second row, Enter opens it.
        expected_href = filtered[1].get_attribute("data-href") if len(filtered) > 1 else filtered[0].get_attribute("data-href")
        body = driver.find_element(By.TAG_NAME, "body")
        if len(filtered) > 1:
            body.send_keys("j")
        body.send_keys(Keys.ENTER)
        wait.until(lambda d: "/kasus/" in d.current_url)
        check(driver.current_url.endswith(expected_href), "j then Enter opens the next case file of the queue")

        # Confirm the case file with the marker page, opened from its row of the queue.
        driver.get(f"{base}/?status=new")
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "tr.baris") if f"/kasus/{marked_id}?" in r.get_attribute("data-href"))
        row_href = row.get_attribute("data-href")
        driver.get(base + row_href)
        check("Tindakan dan buktinya" in driver.page_source and "Riwayat peninjauan" in driver.page_source,
              "the case page shows the acts with their evidence and the review history")
        frame = driver.find_element(By.ID, "salinan")
        check(frame.get_attribute("sandbox") == "", "the archived copy is in a sandboxed frame")
        # The post comes first: its words are on the first screen of a laptop and of a phone.
        for width, height in ((1280, 800), (390, 844)):
            driver.set_window_size(width, height)
            driver.get(base + row_href)
            check(visible_in_first_screen(driver, "#unggahan .teks"), f"the post's text is in the first screen at {width} px")
        check(driver.find_elements(By.CSS_SELECTOR, "#unggahan mark"), "the post's matched words are marked")
        check("Batas lapor" in driver.page_source and "Terlapor" in driver.page_source, "the facts name the terlapor and the deadline")
        screenshot(driver, artifacts, "desk-kasus", 1280, 1400)
        screenshot(driver, artifacts, "desk-kasus", 390, 1800)
        driver.set_window_size(1280, 1400)
        driver.get(base + row_href)
        frame = driver.find_element(By.ID, "salinan")
        driver.switch_to.frame(frame)
        wait.until(lambda d: d.find_elements(By.TAG_NAME, "footer"))
        check("Galeri Pak Suparman" in driver.find_element(By.TAG_NAME, "body").text, "the archived copy is shown in its frame")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-penanda-skrip") is None,
              "the captured page's script did not run inside the desk")
        driver.switch_to.default_content()
        # Opened on its own, the copy is still sandboxed by its Content-Security-Policy header.
        driver.get(f"{base}/kasus/{marked_id}/salinan")
        wait.until(lambda d: d.find_elements(By.TAG_NAME, "footer"))
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-penanda-skrip") is None,
              "the captured page's script does not run when its desk address is opened directly")

        driver.get(f"{base}/kasus/{marked_id}")
        driver.find_element(By.ID, "catatan").send_keys("Kades mengunggah foto bersama calon dan mengajak memilih 02.")
        driver.find_element(By.ID, "tombol-konfirmasi").click()
        wait.until(lambda d: "pesan=tersimpan" in d.current_url)
        check("Keputusan tercatat" in driver.page_source, "confirming shows that the decision was recorded")

        # Dismiss another with the keyboard: note first, then d.
        other_id = next(case_id for case_id in sorted(statuses_before) if case_id != marked_id)
        driver.get(f"{base}/kasus/{other_id}")
        driver.find_element(By.ID, "catatan").send_keys("Bukan ASN yang berkampanye; ditolak setelah dibaca.")
        driver.find_element(By.TAG_NAME, "h1").click()
        driver.find_element(By.TAG_NAME, "body").send_keys("d")
        wait.until(lambda d: "pesan=tersimpan" in d.current_url)
        driver.get(f"{base}/kasus/{other_id}")
        check("Bukan ASN yang berkampanye" in driver.page_source and REVIEWER in driver.page_source,
              "the dismissal shows in the case file's review history")

        # One case, ready to file: the form page, its DOCX and the case's ZIP.
        driver.get(f"{base}/kasus/{marked_id}/formulir")
        check("FORMULIR LAPORAN" in driver.page_source, "the printable report form opens")
        screenshot(driver, artifacts, "desk-formulir", 1280, 1400)
        driver.set_window_size(1280, 1400)
        check_documents(base, cookie, marked_id, artifacts)

        # A form post without the CSRF token is refused, with the session.
        form = urllib.parse.urlencode({"keputusan": "reopen", "catatan": "tanpa token"}).encode()
        status, body = http(f"{base}/kasus/{other_id}/keputusan", data=form, cookie=cookie)
        check(status == 403 and "CSRF" in body, "a form post without the CSRF token is refused (403)")
        status, _ = http(f"{base}/kasus/{other_id}/keputusan", data=form)
        check(status == 401, "a form post without the session is refused (401)")

        # The export button of the confirmed queue: the case-tracker export, as a file.
        driver.get(f"{base}/?status=confirmed")
        driver.find_element(By.CSS_SELECTOR, "details.ekspor-lipat summary").click()
        check(driver.find_element(By.ID, "tombol-ekspor").is_displayed(), "the queue has an export button")
        csrf = driver.find_element(By.CSS_SELECTOR, "form.ekspor input[name=csrf]").get_attribute("value")
        export_form = urllib.parse.urlencode({"csrf": csrf, "status": "confirmed", "format": "jsonl", "tujuan": "uji-ci"}).encode()
        status, exported = http(f"{base}/ekspor", data=export_form, cookie=cookie)
        lines = [line for line in exported.splitlines() if line.strip()]
        check(status == 200 and len(lines) == 1 and marked_id in lines[0],
              "the export of the confirmed queue holds exactly the confirmed case file")
        status, _ = http(f"{base}/ekspor", data=urllib.parse.urlencode({"status": "confirmed", "format": "jsonl"}).encode(), cookie=cookie)
        check(status == 403, "an export without the CSRF token is refused")
    finally:
        if driver is not None:
            driver.quit()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    after = findings(netral, config)
    check(after[marked_id]["status"] == "confirmed" and after[marked_id]["review"]["decision"] == "confirm"
          and after[marked_id]["review"]["reviewer"] == REVIEWER, "netral findings shows the confirmation, by the desk's reviewer")
    check(after[other_id]["status"] == "dismissed" and after[other_id]["review"]["decision"] == "dismiss",
          "netral findings shows the dismissal")
    check(all(entry["status"] == "new" for case_id, entry in after.items() if case_id not in (marked_id, other_id)),
          "the other case files are still undecided")
    _, log = state_decisions(demo)
    check([(entry[0], entry[1], entry[2]) for entry in log] == [(marked_id, "confirm", REVIEWER), (other_id, "dismiss", REVIEWER)],
          "the review log holds exactly the two decisions, by the desk's reviewer")
    print("desk browser test: all checks passed")


if __name__ == "__main__":
    main()
