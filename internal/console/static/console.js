// Small enhancements only: every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Copy buttons: copy a letter to the clipboard, and say so to screen readers too.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.getElementById(button.dataset.copy.replace("letter-", "copied-"));
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) { status.textContent = "De brief is gekopieerd."; }
      }, function () {
        source.select();
        if (status) { status.textContent = "Kopiëren lukte niet; de brief is geselecteerd, kopieer met Ctrl+C."; }
      });
    });
  });
  // The error summary's links put the focus in their field, not only the view.
  document.querySelectorAll("#fouten a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (e) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      e.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  });
  // Drop zones: a file dropped on the zone goes into its file input.
  document.querySelectorAll("[data-drop]").forEach(function (zone) {
    var input = document.getElementById(zone.dataset.drop);
    if (!input) { return; }
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length > 0) { input.files = e.dataTransfer.files; }
    });
  });
  // An open case page says when its case changed since it was loaded (a mail came in, the zaak
  // closed): it asks for the case's version now and then, and stops once it has said so.
  var fresh = document.getElementById("fresh");
  if (fresh && window.fetch) {
    var every = Number(fresh.dataset.every) || 15000;
    var ask = function () {
      fetch(fresh.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (v && v.version && v.version !== fresh.dataset.version) {
            var link = document.createElement("a");
            link.href = window.location.pathname;
            link.textContent = "Pagina vernieuwen";
            fresh.textContent = "Deze zaak is gewijzigd sinds u deze pagina opende. ";
            fresh.appendChild(link);
            return;
          }
          window.setTimeout(ask, every);
        }, function () { window.setTimeout(ask, every); });
    };
    window.setTimeout(ask, every);
  }
  // Assigning a quarantined mail: show only the accounts of the chosen case.
  var caseSelect = document.getElementById("caseId");
  if (caseSelect) {
    var show = function () {
      document.querySelectorAll("p.acct").forEach(function (p) {
        var mine = p.dataset.case === caseSelect.value;
        p.hidden = !mine;
        if (!mine) { p.querySelector("input").checked = false; }
      });
    };
    caseSelect.addEventListener("change", show);
    show();
  }
});
