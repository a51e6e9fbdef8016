// motcua — progressive enhancement of the server-rendered pages. Every page
// works without this file; with it:
//  - the submission form (and any form with data-validate) checks its
//    fields before sending and shows the
//    messages (rendered by the server in the visitor's language, as data-
//    attributes) next to the fields;
//  - the citizen's form keeps a draft in localStorage per procedure,
//    restored on the next visit with a notice and a button to delete it,
//    and deleted once the dossier is submitted;
//  - multipart forms (submission, counter intake, supplement) are sent
//    through XMLHttpRequest with a <progress> bar: a redirect is followed,
//    an error page replaces the document;
//  - the first error message of a page gets the focus;
//  - a link marked data-print prints the page.
(function () {
  "use strict";

  function msg(form, key) {
    return form.getAttribute("data-msg-" + key) || "";
  }

  // --- drafts ---------------------------------------------------------
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf" && el.type !== "file" && el.type !== "password" &&
        el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
    });
  }

  function saveDraft(form, key) {
    var data = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) data[el.name] = el.value || "on";
      } else if (el.value !== "") {
        data[el.name] = el.value;
      }
    });
    try {
      if (Object.keys(data).length) localStorage.setItem(key, JSON.stringify(data));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or disabled: no draft */ }
  }

  function clearDraft(key) {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  function restoreDraft(form, key) {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { clearDraft(key); return; }
    if (!data || typeof data !== "object") return;
    var restored = false;
    draftFields(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(data, el.name)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name] === (el.value || "on");
      } else {
        el.value = data[el.name];
      }
      restored = true;
    });
    if (!restored) return;
    var note = document.createElement("p");
    note.className = "notice draft";
    note.setAttribute("role", "status");
    note.textContent = msg(form, "restored") + " ";
    var btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = msg(form, "clear");
    btn.addEventListener("click", function () {
      clearDraft(key);
      // Back to the form as the server sent it: empty, or prefilled from
      // the shared data, with the data reuse boxes as they were.
      form.reset();
      note.remove();
    });
    note.appendChild(btn);
    form.parentNode.insertBefore(note, form);
  }

  // --- inline validation ----------------------------------------------
  function errorFor(el) {
    var id = "e-" + (el.id || el.name);
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.id = id;
      var box = el.closest(".field") || el.parentNode;
      box.appendChild(p);
    }
    return p;
  }

  function check(form, el) {
    if (!el.willValidate || el.type === "hidden") return true;
    var m = "";
    var v = el.validity;
    if (v.valueMissing) m = msg(form, "required");
    else if (el.getAttribute("data-format") === "cccd" && el.value !== "" && !/^[0-9]{12}$/.test(el.value)) m = msg(form, "cccd");
    else if (v.typeMismatch && el.type === "email") m = msg(form, "email");
    else if (v.badInput && el.type === "number") m = msg(form, "number");
    else if (!v.valid) m = msg(form, "invalid");
    var box = el.closest(".field");
    if (m) {
      var p = errorFor(el);
      p.textContent = m;
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", p.id);
      if (box) box.classList.add("invalid");
      return false;
    }
    if (el.getAttribute("aria-invalid") === "true" && el.getAttribute("data-checked") === "1") {
      el.removeAttribute("aria-invalid");
      var old = document.getElementById("e-" + (el.id || el.name));
      if (old) old.remove();
      if (box) box.classList.remove("invalid");
    }
    return true;
  }

  function validate(form) {
    var first = null;
    Array.prototype.forEach.call(form.elements, function (el) {
      el.setAttribute("data-checked", "1");
      if (!check(form, el) && !first) first = el;
    });
    if (first) first.focus();
    return !first;
  }

  // --- sending with progress ------------------------------------------
  function send(form, key) {
    var box = form.querySelector(".upload");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector(".upload-status");
    var buttons = form.querySelectorAll("button[type=submit]");
    var fd = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    if (box) {
      box.hidden = false;
      bar.value = 0;
      if (status) status.textContent = msg(form, "sending");
    }
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        if (status) status.textContent = msg(form, "sending") + " " + Math.round(100 * e.loaded / e.total) + "%";
      }
    });
    xhr.addEventListener("load", function () {
      var to = xhr.responseURL || "";
      var action = new URL(form.action, location.href);
      var done = xhr.status >= 200 && xhr.status < 300 && to && new URL(to).pathname !== action.pathname;
      if (done) {
        if (key) clearDraft(key);
        location.assign(to);
        return;
      }
      // An error page (the form again with its messages, or another page):
      // it replaces the document.
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
      init();
    });
    xhr.addEventListener("error", function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      if (status) status.textContent = msg(form, "failed");
    });
    xhr.send(fd);
  }

  function enhance(form) {
    if (form.getAttribute("data-enhanced")) return;
    form.setAttribute("data-enhanced", "1");
    var key = form.getAttribute("data-draft");
    if (key) {
      if (!form.hasAttribute("data-has-errors")) restoreDraft(form, key);
      var save = function () { saveDraft(form, key); };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    }
    var validating = form.classList.contains("wizard") || form.hasAttribute("data-validate");
    var multipart = form.enctype === "multipart/form-data";
    if (validating) {
      form.noValidate = true;
      form.addEventListener("change", function (e) {
        if (e.target.getAttribute("data-checked") === "1") check(form, e.target);
      });
    }
    form.addEventListener("submit", function (e) {
      if (validating && !validate(form)) {
        e.preventDefault();
        return;
      }
      if (!multipart || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
      e.preventDefault();
      if (key) saveDraft(form, key);
      send(form, key);
    });
  }

  // --- communes of the chosen province ----------------------------------
  // A commune field suggests one province's communes (the page's datalist
  // "list-commune-<province>"); choosing another province loads its
  // communes from the public units API into a datalist of its own, which
  // other commune fields of that province share. The suggestions are full
  // names ("Phường Ba Đình, Thành phố Hà Nội"): what the server resolves.
  function communes(sel) {
    var target = document.getElementById(sel.getAttribute("data-communes-for"));
    if (!target || !window.fetch) return;
    sel.addEventListener("change", function () {
      var province = sel.options[sel.selectedIndex].text, id = "list-commune-" + sel.value;
      var use = function () {
        target.setAttribute("list", id);
        if (target.value && target.value.slice(-province.length - 2) !== ", " + province) target.value = "";
      };
      if (document.getElementById(id)) return use();
      fetch("/api/v1/units/provinces/" + encodeURIComponent(sel.value) + "/communes", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body || !body.items) return;
          var list = document.createElement("datalist");
          list.id = id;
          body.items.forEach(function (c) {
            var o = document.createElement("option");
            o.value = c.name + ", " + province;
            list.appendChild(o);
          });
          target.form.appendChild(list);
          use();
        })
        .catch(function () { /* keep the communes suggested */ });
    });
  }

  // The fee of the submission form follows the fee exemption chosen:
  // "Miễn lệ phí (đề nghị: …) – chờ kiểm tra" (the option's data-note).
  function exemptionFee(sel) {
    var normal = document.querySelector("p.fee .fee-normal"), claimed = document.querySelector("p.fee .fee-claimed");
    if (!normal || !claimed) return;
    sel.addEventListener("change", function () {
      var note = sel.options[sel.selectedIndex].getAttribute("data-note") || "";
      claimed.textContent = note;
      claimed.hidden = !note;
      normal.hidden = !!note;
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-fee-note]"), exemptionFee);
    Array.prototype.forEach.call(document.querySelectorAll("select[data-communes-for]"), communes);
    Array.prototype.forEach.call(document.querySelectorAll("form[enctype='multipart/form-data'], form[data-validate]"), enhance);
    var err = document.getElementById("loi");
    if (err) err.focus();
    // A link marked data-print prints the page (the proof of submission);
    // without the script it opens the same page, printed from the browser.
    Array.prototype.forEach.call(document.querySelectorAll("a[data-print]"), function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        window.print();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
