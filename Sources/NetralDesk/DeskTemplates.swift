/// The desk's pages, in Bahasa Indonesia. Mustache's `{{...}}` escapes HTML; the only
/// triple-brace insertion is the layout's `{{{content}}}`, which is another of these templates
/// already rendered with escaping. No page loads anything from outside the desk: styles and the
/// keyboard script are served by the desk itself (`/aset/...`).
enum DeskTemplates {
    static let layout = """
    <!doctype html>
    <html lang="id">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Meja Peninjau Netral</title>
    <link rel="stylesheet" href="/aset/meja.css">
    <script src="/aset/meja.js" defer></script>
    </head>
    <body data-halaman="{{pageKind}}">
    <header class="kepala">
      <a class="merek" href="/">Meja Peninjau Netral</a>
      <span class="peninjau">Peninjau: {{reviewer}}</span>
      <form method="post" action="/keluar" class="keluar">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">Keluar</button>
      </form>
    </header>
    <main>
    {{#notice}}<p class="pesan" role="status">{{notice}}</p>{{/notice}}
    {{#problem}}<p class="galat" role="alert">{{problem}}</p>{{/problem}}
    {{{content}}}
    </main>
    <footer class="kaki">
      Pintasan: <kbd>j</kbd>/<kbd>k</kbd> berikutnya/sebelumnya, <kbd>Enter</kbd> buka,
      <kbd>c</kbd> konfirmasi, <kbd>d</kbd> tolak, <kbd>r</kbd> buka kembali, <kbd>u</kbd> antrean,
      <kbd>/</kbd> saring. Netral tidak memutuskan perkara: setiap temuan adalah petunjuk untuk diperiksa manusia.
    </footer>
    </body>
    </html>
    """

    static let queue = """
    <h1>Antrean berkas perkara</h1>
    <nav class="hitungan" aria-label="Jumlah per status">
      {{#counts}}
      <a href="{{href}}" class="status-{{status}}{{#current}} terpilih{{/current}}">{{label}} <b>{{count}}</b></a>
      {{/counts}}
    </nav>
    <form method="get" action="/" class="saring" id="saring">
      <label>Status
        <select name="status">{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select>
      </label>
      <label>Tingkat
        <select name="tingkat">{{#severityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/severityOptions}}</select>
      </label>
      <label>Tindakan
        <select name="tindakan">{{#actOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/actOptions}}</select>
      </label>
      <label>Calon/partai
        <input type="search" name="calon" value="{{candidate}}" placeholder="mis. Prabowo">
      </label>
      <label>Target
        {{#hasTargets}}<select name="target">{{#targetOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/targetOptions}}</select>{{/hasTargets}}
        {{^hasTargets}}<input type="search" name="target" value="{{target}}" placeholder="id target">{{/hasTargets}}
      </label>
      <label>Sejak (WIB)
        <input type="date" name="sejak" value="{{since}}">
      </label>
      <label>Sampai (WIB)
        <input type="date" name="sampai" value="{{until}}">
      </label>
      <button type="submit">Saring</button>
      <a href="/?status=semua" class="atur-ulang">Hapus saringan</a>
    </form>
    <details class="ekspor-lipat"><summary>Ekspor daftar tersaring ke pelacak perkara</summary>
    <form method="post" action="/ekspor" class="ekspor">
      <input type="hidden" name="csrf" value="{{csrf}}">
      {{#filterFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/filterFields}}
      <label>Format
        <select name="format">{{#exportFormats}}<option value="{{value}}">{{label}}</option>{{/exportFormats}}</select>
      </label>
      <label>Tujuan (kursor ekspor)
        <input type="text" name="tujuan" value="{{exportDestination}}" pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,63}">
      </label>
      <label class="centang"><input type="checkbox" name="bom" value="ya"> CSV dengan BOM (Excel)</label>
      <label class="centang"><input type="checkbox" name="ulang" value="ya"> ekspor ulang yang sudah pernah dikirim</label>
      <button type="submit" id="tombol-ekspor">Ekspor daftar tersaring ({{total}})</button>
    </form>
    </details>
    <p class="ringkas">{{total}} berkas cocok{{#hasPages}}; halaman {{page}} dari {{pageCount}}{{/hasPages}}. Terbaru di atas.</p>
    {{#hasRows}}
    <table class="antrean">
      <thead><tr><th>Dibuat</th><th>Siapa</th><th>Tindakan</th><th>Tingkat</th><th>Calon/partai</th><th>Status</th></tr></thead>
      <tbody>
      {{#rows}}
      <tr class="baris" data-href="{{href}}">
        <td data-label="Dibuat">{{created}}</td>
        <td data-label="Siapa"><a href="{{href}}" class="buka">{{who}}</a><br><small class="id">{{shortID}}</small></td>
        <td data-label="Tindakan">{{#acts}}<abbr title="{{title}}">{{code}}</abbr> {{/acts}}</td>
        <td data-label="Tingkat"><span class="tingkat tingkat-{{severity}}">{{severityLabel}}</span></td>
        <td data-label="Calon/partai">{{candidates}}</td>
        <td data-label="Status"><span class="status status-{{status}}">{{statusLabel}}</span></td>
      </tr>
      {{/rows}}
      </tbody>
    </table>
    {{/hasRows}}
    {{^hasRows}}<p class="kosong">Tidak ada berkas yang cocok dengan saringan ini.</p>{{/hasRows}}
    <nav class="halaman" aria-label="Halaman">
      {{#previousHref}}<a href="{{previousHref}}" rel="prev">« Sebelumnya</a>{{/previousHref}}
      {{#nextHref}}<a href="{{nextHref}}" rel="next">Berikutnya »</a>{{/nextHref}}
    </nav>
    """

    static let caseFile = """
    <nav class="jejak">
      <a href="{{queueHref}}" id="ke-antrean">« Antrean</a>
      {{#previousHref}}<a href="{{previousHref}}" id="kasus-sebelumnya" rel="prev">‹ Sebelumnya</a>{{/previousHref}}
      {{#nextHref}}<a href="{{nextHref}}" id="kasus-berikutnya" rel="next">Berikutnya ›</a>{{/nextHref}}
    </nav>
    <h1>{{who}}</h1>
    <p class="ringkas">
      <span class="status status-{{status}}" id="status-kasus">{{statusLabel}}</span>
      <span class="tingkat tingkat-{{severity}}">tingkat {{severityLabel}}</span>
      {{#acts}}<abbr title="{{title}}">{{code}}</abbr> {{/acts}}
      · berkas <code>{{caseID}}</code>
    </p>
    <dl class="fakta">
      <dt>Judul</dt><dd>{{title}}</dd>
      {{#candidates}}<dt>Calon/partai</dt><dd>{{candidates}}</dd>{{/candidates}}
      {{#region}}<dt>Wilayah</dt><dd>{{region}}</dd>{{/region}}
      <dt>Sumber</dt><dd>{{#sourceIsWeb}}<a href="{{sourceURL}}" rel="noreferrer noopener" target="_blank">{{sourceURL}}</a>{{/sourceIsWeb}}{{^sourceIsWeb}}{{sourceURL}}{{/sourceIsWeb}}</dd>
      <dt>Diambil</dt><dd>{{fetched}}</dd>
      <dt>Berkas dibuat</dt><dd>{{created}}</dd>
      <dt>Sidik manifes</dt><dd><code>{{manifestSHA256}}</code></dd>
    </dl>

    <section class="keputusan" id="keputusan">
      <h2>Keputusan</h2>
      <form method="post" action="{{decisionAction}}" id="form-keputusan">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#queueFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/queueFields}}
        <label for="catatan">Catatan (wajib: mengapa dikonfirmasi, ditolak, atau dibuka kembali)</label>
        <textarea id="catatan" name="catatan" rows="3" required>{{note}}</textarea>
        <div class="tombol">
          {{#canConfirm}}<button type="submit" name="keputusan" value="confirm" id="tombol-konfirmasi" class="konfirmasi">Konfirmasi (c)</button>{{/canConfirm}}
          {{#canDismiss}}<button type="submit" name="keputusan" value="dismiss" id="tombol-tolak" class="tolak">Tolak (d)</button>{{/canDismiss}}
          {{#canReopen}}<button type="submit" name="keputusan" value="reopen" id="tombol-buka" class="buka-kembali">Buka kembali (r)</button>{{/canReopen}}
        </div>
      </form>
    </section>

    <section>
      <h2>Riwayat peninjauan</h2>
      {{#hasReviews}}
      <ol class="riwayat">
        {{#reviews}}<li><b>{{decisionLabel}}</b> oleh {{reviewer}}, {{decidedAt}}: {{note}}{{#staleManifest}} <em>(diputuskan atas manifes lain: {{manifestShort}}…)</em>{{/staleManifest}}</li>{{/reviews}}
      </ol>
      {{/hasReviews}}
      {{^hasReviews}}<p>Belum ada keputusan.</p>{{/hasReviews}}
    </section>

    <section>
      <h2>Tindakan dan buktinya</h2>
      {{#findings}}
      <article class="temuan">
        <h3>{{act}} · {{actTitle}}</h3>
        <p><span class="tingkat tingkat-{{severity}}">tingkat {{severityLabel}}</span> · {{classLabel}} · aturan <code>{{rule}}</code> · skor {{score}}</p>
        <p>{{description}}</p>
        <table class="bukti">
          <thead><tr><th>Sinyal</th><th>Jenis</th><th>Kata</th><th>Bagian</th><th>Kutipan</th></tr></thead>
          <tbody>{{#hits}}<tr><td data-label="Sinyal">{{signal}}</td><td data-label="Jenis">{{kind}}</td><td data-label="Kata">{{term}}</td><td data-label="Bagian">{{field}}</td><td data-label="Kutipan">{{quote}}</td></tr>{{/hits}}</tbody>
        </table>
        {{#omitted}}<p><small>{{omitted}} kecocokan lain tidak ditampilkan.</small></p>{{/omitted}}
      </article>
      {{/findings}}
    </section>

    {{#hasPhotos}}
    <section>
      <h2>Foto</h2>
      <div class="foto">{{#photos}}<figure><img src="{{src}}" alt="Foto dari unggahan"><figcaption>{{url}}</figcaption></figure>{{/photos}}</div>
    </section>
    {{/hasPhotos}}

    <section>
      <h2>Teks yang diekstrak</h2>
      {{#textFields}}<h3>{{label}}</h3><p class="teks">{{text}}</p>{{/textFields}}
    </section>

    {{#hasVersions}}
    <section>
      <h2>Versi sebelumnya dari unggahan ini</h2>
      {{#changes}}<p>Perubahan dari versi sebelumnya: {{changes}}</p>{{/changes}}
      <ol class="versi">{{#versions}}<li><a href="{{href}}">{{created}}</a> · {{statusLabel}} · <code>{{shortID}}</code></li>{{/versions}}</ol>
    </section>
    {{/hasVersions}}
    {{#hasNewer}}<p class="pesan">Ada versi yang lebih baru: <a href="{{newerHref}}">buka versi terbaru</a>.</p>{{/hasNewer}}

    <section>
      <h2>Laporan</h2>
      <iframe class="laporan" src="{{reportHref}}" sandbox title="Laporan berkas perkara"></iframe>
    </section>
    <section>
      <h2>Salinan arsip halaman</h2>
      <p>Halaman asli ditampilkan dalam bingkai terisolasi: skripnya tidak dijalankan dan tidak ada sumber luar yang dimuat.</p>
      <iframe class="salinan" id="salinan" src="{{captureHref}}" sandbox title="Salinan arsip halaman"></iframe>
    </section>
    """

    static let message = """
    <!doctype html>
    <html lang="id">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Meja Peninjau Netral</title><link rel="stylesheet" href="/aset/meja.css"></head>
    <body><main class="sempit"><h1>{{title}}</h1><p>{{message}}</p></main></body>
    </html>
    """

    static let stylesheet = """
    :root { --tinta: #1d2430; --garis: #d5dae1; --latar: #f6f7f9; --aksen: #1f5fa8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--tinta); background: var(--latar); }
    main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
    main.sempit { max-width: 40rem; }
    .kepala { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--garis); }
    .merek { font-weight: 700; color: var(--aksen); text-decoration: none; }
    .peninjau { margin-left: auto; }
    .keluar { margin: 0; }
    .kaki { max-width: 1200px; margin: 0 auto; padding: 1rem; font-size: 13px; color: #555; }
    h1 { font-size: 1.4rem; margin: .4rem 0 .8rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.15rem; margin: 1.4rem 0 .5rem; }
    h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
    .pesan { background: #e6f4ea; border: 1px solid #9bd3ae; padding: .5rem .8rem; }
    .galat { background: #fdecea; border: 1px solid #f1a7a0; padding: .5rem .8rem; }
    .hitungan { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .8rem; }
    .hitungan a { padding: .3rem .7rem; border: 1px solid var(--garis); border-radius: 1rem; background: #fff; text-decoration: none; color: inherit; }
    .hitungan a.terpilih { border-color: var(--aksen); box-shadow: inset 0 0 0 1px var(--aksen); }
    .saring, .ekspor { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; background: #fff; border: 1px solid var(--garis); padding: .7rem; margin-bottom: .8rem; }
    .saring label, .ekspor label { display: flex; flex-direction: column; font-size: 13px; }
    .ekspor label.centang { flex-direction: row; gap: .3rem; align-items: center; }
    input, select, textarea, button { font: inherit; }
    select, input { max-width: 100%; }
    .ekspor-lipat { margin-bottom: .8rem; } .ekspor-lipat summary { cursor: pointer; margin-bottom: .4rem; }
    input, select, textarea { padding: .3rem; border: 1px solid #aab2bd; border-radius: 4px; background: #fff; }
    button { padding: .35rem .8rem; border: 1px solid var(--aksen); background: var(--aksen); color: #fff; border-radius: 4px; cursor: pointer; }
    button.tolak { background: #8a2b22; border-color: #8a2b22; }
    button.buka-kembali { background: #555; border-color: #555; }
    .keluar button { background: #fff; color: var(--aksen); }
    table { width: 100%; border-collapse: collapse; background: #fff; }
    th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--garis); vertical-align: top; }
    tr.baris.dipilih { outline: 2px solid var(--aksen); outline-offset: -2px; background: #eef4fb; }
    .id { color: #666; }
    .tingkat, .status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: 13px; border: 1px solid var(--garis); }
    .tingkat-high { background: #fbe3e1; } .tingkat-medium { background: #fff3d6; } .tingkat-low { background: #eef1f4; }
    .status-new { background: #e8f0fb; } .status-confirmed { background: #e6f4ea; } .status-dismissed { background: #eeeeee; }
    .halaman { display: flex; gap: 1rem; margin: 1rem 0; }
    .fakta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; border: 1px solid var(--garis); padding: .7rem; }
    .fakta dt { font-weight: 600; } .fakta dd { margin: 0; overflow-wrap: anywhere; }
    .keputusan { background: #fff; border: 1px solid var(--garis); padding: .2rem .8rem .8rem; }
    .keputusan textarea { width: 100%; }
    .tombol { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: .5rem; }
    .temuan { background: #fff; border: 1px solid var(--garis); padding: .2rem .8rem .8rem; margin-bottom: .8rem; }
    .teks { white-space: pre-wrap; background: #fff; border: 1px solid var(--garis); padding: .6rem; overflow-wrap: anywhere; }
    .foto { display: flex; flex-wrap: wrap; gap: .6rem; } .foto img { max-width: 280px; max-height: 280px; }
    .foto figcaption { font-size: 12px; overflow-wrap: anywhere; max-width: 280px; }
    iframe { width: 100%; height: 32rem; border: 1px solid var(--garis); background: #fff; }
    .jejak { display: flex; gap: 1rem; }
    code { overflow-wrap: anywhere; }
    @media (max-width: 640px) {
      main { padding: .6rem; }
      table.antrean thead, table.bukti thead { display: none; }
      table.antrean tr, table.bukti tr { display: block; border-bottom: 2px solid var(--garis); padding: .3rem 0; }
      table.antrean td, table.bukti td { display: block; border: 0; padding: .1rem .4rem; }
      table.antrean td::before, table.bukti td::before { content: attr(data-label) ": "; font-weight: 600; }
      .fakta { grid-template-columns: 1fr; }
      .saring label { flex: 1 1 45%; min-width: 0; }
      .saring label select, .saring label input { width: 100%; }
      iframe { height: 24rem; }
    }
    """

    /// Keyboard shortcuts. Served from the desk (the CSP allows scripts only from 'self').
    static let script = """
    "use strict";
    (function () {
      function typing(event) {
        var t = event.target;
        return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      }
      function go(id) { var a = document.getElementById(id); if (a) { window.location.href = a.href; } }
      var page = document.body.getAttribute("data-halaman");
      var rows = Array.prototype.slice.call(document.querySelectorAll("tr.baris"));
      var selected = rows.length ? 0 : -1;
      function mark() {
        rows.forEach(function (row, i) { row.classList.toggle("dipilih", i === selected); });
        if (selected >= 0) { rows[selected].scrollIntoView({ block: "nearest" }); }
      }
      if (page === "antrean") { mark(); }
      var pending = null;
      function decide(value) {
        var button = document.querySelector('#form-keputusan button[value="' + value + '"]');
        var note = document.getElementById("catatan");
        if (!button || !note) { return; }
        if (note.value.trim() === "") {
          pending = value;
          note.focus();
          note.setAttribute("placeholder", "Tulis catatan, lalu tekan Ctrl+Enter untuk " + button.textContent.replace(/ \\(.\\)$/, "").toLowerCase());
          return;
        }
        button.click();
      }
      document.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "catatan" && pending) {
          event.preventDefault();
          decide(pending);
          return;
        }
        if (typing(event) || event.altKey || event.ctrlKey || event.metaKey) { return; }
        var key = event.key;
        if (key === "/") { var search = document.querySelector("#saring select, #saring input"); if (search) { event.preventDefault(); search.focus(); } return; }
        if (page === "antrean") {
          if (key === "j" && selected < rows.length - 1) { selected++; mark(); }
          else if (key === "k" && selected > 0) { selected--; mark(); }
          else if ((key === "Enter" || key === "o") && selected >= 0) { window.location.href = rows[selected].getAttribute("data-href"); }
          else if ((key === "c" || key === "d") && selected >= 0) {
            window.location.href = rows[selected].getAttribute("data-href") + (rows[selected].getAttribute("data-href").indexOf("?") < 0 ? "?" : "&") + "aksi=" + (key === "c" ? "confirm" : "dismiss") + "#keputusan";
          }
          else if (key === "n") { var next = document.querySelector('a[rel="next"]'); if (next) { window.location.href = next.href; } }
        } else if (page === "kasus") {
          if (key === "j" || key === "n") { go("kasus-berikutnya"); }
          else if (key === "k") { go("kasus-sebelumnya"); }
          else if (key === "u") { go("ke-antrean"); }
          else if (key === "c") { event.preventDefault(); decide("confirm"); }
          else if (key === "d") { event.preventDefault(); decide("dismiss"); }
          else if (key === "r") { event.preventDefault(); decide("reopen"); }
        }
      });
      if (page === "kasus") {
        var wanted = new URLSearchParams(window.location.search).get("aksi");
        if (wanted === "confirm" || wanted === "dismiss") { decide(wanted); }
      }
    })();
    """
}
