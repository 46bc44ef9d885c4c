// Contacts import: uploads the file with the CSRF token in a header (the
// multipart body is not parsed before the CSRF check) and shows upload
// progress; on the job page, polls the small status JSON until it is done.
(function () {
  'use strict';

  function uploadForm(form) {
    var bar = form.querySelector('[data-upload-progress]');
    var status = form.querySelector('[data-upload-status]');
    var error = form.querySelector('[data-upload-error]');
    var button = form.querySelector('button[type="submit"]');
    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      bar.hidden = true;
      status.textContent = '';
      button.disabled = false;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      error.hidden = true;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.floor((ev.loaded / ev.total) * 100);
        bar.hidden = false;
        bar.value = pct;
        status.textContent = form.getAttribute('data-uploading').replace('{percent}', String(pct));
      });
      xhr.addEventListener('load', function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 200 && body && body.redirect) { window.location.assign(body.redirect); return; }
        fail((body && body.error) || form.getAttribute('data-failed'));
      });
      xhr.addEventListener('error', function () { fail(form.getAttribute('data-failed')); });
      xhr.send(new FormData(form));
    });
  }

  function progressCard(card) {
    var url = card.getAttribute('data-url');
    var bar = card.querySelector('[data-progress-bar]');
    var text = card.querySelector('[data-progress-text]');
    var badge = document.querySelector('[data-import-status]');
    function show(s) {
      if (s.percent === null) bar.removeAttribute('value'); else bar.value = s.percent;
      text.textContent = s.progress_text;
      if (badge) badge.textContent = s.status_label;
      ['inserted', 'updated', 'skipped', 'rejected'].forEach(function (k) {
        var el = card.querySelector('[data-count="' + k + '"]');
        if (el) el.textContent = String(s[k]);
      });
      if (!s.done) return;
      var summary = card.querySelector('[data-summary]');
      if (s.status === 'done') { summary.textContent = s.summary; summary.hidden = false; }
      var err = card.querySelector('[data-error]');
      if (s.error) { err.textContent = s.error; err.hidden = false; }
      if (s.rejected_url) card.querySelector('[data-rejected]').hidden = false;
      var cancel = document.querySelector('[data-cancel-form]');
      if (cancel) cancel.remove();
    }
    function poll() {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (s) show(s);
          if (!s || !s.done) window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (card.getAttribute('data-active') === '1') window.setTimeout(poll, 500);
  }

  var form = document.querySelector('[data-import-upload]');
  if (form) uploadForm(form);
  var card = document.querySelector('[data-import-progress]');
  if (card) progressCard(card);
})();
