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
  var all = document.getElementById("pilih-semua");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="pilih[]"]').forEach(function (box) { box.checked = all.checked; });
    });
  }
  var pending = null;
  function decide(value) {
    var button = document.querySelector('#form-keputusan button[value="' + value + '"]');
    var note = document.getElementById("catatan");
    if (!button || !note) { return; }
    if (note.value.trim() === "") {
      pending = value;
      note.focus();
      note.setAttribute("placeholder", "Tulis catatan, lalu tekan Ctrl+Enter untuk " + button.textContent.replace(/ \(.\)$/, "").toLowerCase());
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
    if (key === "/") {
      var fold = document.getElementById("saring-lipat"); if (fold) { fold.open = true; }
      var search = document.querySelector("#saring select, #saring input"); if (search) { event.preventDefault(); search.focus(); } return;
    }
    if (page === "antrean") {
      if (key === "j" && selected < rows.length - 1) { selected++; mark(); }
      else if (key === "k" && selected > 0) { selected--; mark(); }
      else if ((key === "Enter" || key === "o") && selected >= 0) { window.location.href = rows[selected].getAttribute("data-href"); }
      else if ((key === "c" || key === "d") && selected >= 0) {
        window.location.href = rows[selected].getAttribute("data-href") + (rows[selected].getAttribute("data-href").indexOf("?") < 0 ? "?" : "&") + "aksi=" + (key === "c" ? "confirm" : "dismiss") + "#keputusan";
      }
      else if (key === "x" && selected >= 0) { var box = rows[selected].querySelector('input[name="pilih[]"]'); if (box) { box.checked = !box.checked; } }
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
