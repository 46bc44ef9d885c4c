// Templates: the live preview with sample values (template page: one input per
// variable; new/edit form: the examples, one per line, `name: value` for named
// variables) and the upload of a media header's sample file, sent as the raw
// body to /templates/header-sample, which answers Meta's example handle.
(function () {
  'use strict';
  var VAR = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

  function fill(text, valueOf) {
    return text.replace(VAR, function (whole, name) {
      var v = valueOf(name);
      return v ? v : whole;
    });
  }

  function showPage() {
    var target = document.querySelector('[data-preview][data-template-body]');
    if (!target) return;
    var body = target.getAttribute('data-template-body') || '';
    var inputs = document.querySelectorAll('input[data-var]');
    function render() {
      var values = {};
      inputs.forEach(function (i) { values[i.getAttribute('data-var')] = i.value; });
      target.textContent = fill(body, function (n) { return values[n]; });
    }
    inputs.forEach(function (i) { i.addEventListener('input', render); });
    render();
  }

  function lines(text) {
    return (text || '').split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean);
  }

  /** Examples by variable name: positional ones by order, named ones from `name: value` lines. */
  function examplesOf(text, named) {
    var out = {};
    lines(text).forEach(function (l, i) {
      if (!named) { out[String(i + 1)] = l; return; }
      var m = /^\{{0,2}\s*([a-z_]+)\s*\}{0,2}\s*[:=]\s*(.+)$/.exec(l);
      if (m && !(m[1] in out)) out[m[1]] = m[2].trim();
    });
    return out;
  }

  function templateForm(form) {
    function field(name) { return form.querySelector('[name="' + name + '"]'); }
    var body = field('body');
    var out = document.querySelector('[data-preview-body]');
    if (!body || !out) return;
    var header = document.querySelector('[data-preview-header]');
    var footer = document.querySelector('[data-preview-footer]');
    var buttons = document.querySelector('[data-preview-buttons]');
    function render() {
      var named = field('parameter_format') && field('parameter_format').value === 'NAMED';
      var examples = examplesOf(field('body_examples').value, named);
      out.textContent = fill(body.value, function (n) { return examples[n]; });
      var type = field('header_type').value;
      var headerLabel = field('header_type').selectedOptions[0] ? field('header_type').selectedOptions[0].textContent : type;
      header.textContent = type === 'TEXT' ? fill(field('header_text').value, function () { return field('header_example').value; }) : (type === 'NONE' ? '' : '[' + headerLabel + ']');
      footer.textContent = field('footer').value;
      buttons.textContent = '';
      var labels = (field('quick_replies').value || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      if (field('url_text').value) labels.push(field('url_text').value);
      labels.forEach(function (l) {
        var b = document.createElement('span');
        b.className = 'wa-button';
        b.textContent = l;
        buttons.appendChild(b);
      });
    }
    ['body', 'body_examples', 'parameter_format', 'header_type', 'header_text', 'header_example', 'footer', 'quick_replies', 'url_text'].forEach(function (n) {
      var el = field(n);
      if (el) el.addEventListener('input', render);
      if (el) el.addEventListener('change', render);
    });
    render();
    sampleUpload(form, field);
  }

  function sampleUpload(form, field) {
    var box = form.querySelector('[data-sample]');
    if (!box) return;
    var input = box.querySelector('input[type="file"]');
    var handle = box.querySelector('[data-sample-handle]');
    var name = box.querySelector('[data-sample-name]');
    var status = box.querySelector('[data-sample-status]');
    function isMedia() { return ['IMAGE', 'VIDEO', 'DOCUMENT'].indexOf(field('header_type').value) !== -1; }
    function toggle() { box.hidden = !isMedia(); }
    field('header_type').addEventListener('change', function () {
      handle.value = ''; name.value = ''; status.textContent = ''; input.value = '';
      toggle();
    });
    toggle();
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      if (!isMedia()) { status.textContent = box.dataset.pick; return; }
      var number = box.dataset.number || (field('number_id') && field('number_id').value) || '';
      handle.value = ''; name.value = '';
      status.textContent = box.dataset.uploading;
      var url = box.dataset.url + '?number_id=' + encodeURIComponent(number) + '&format=' + encodeURIComponent(field('header_type').value);
      fetch(url, {
        method: 'POST', credentials: 'same-origin', body: file,
        headers: { 'content-type': 'application/octet-stream', accept: 'application/json', 'x-csrf-token': box.dataset.csrf, 'x-file-name': encodeURIComponent(file.name), 'x-file-type': file.type || '' },
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, body: j }; }, function () { return { ok: false, body: {} }; });
      }).then(function (r) {
        if (!r.ok || !r.body.handle) { status.textContent = r.body.error || box.dataset.failed; input.value = ''; return; }
        handle.value = r.body.handle;
        name.value = r.body.filename;
        status.textContent = box.dataset.ready.replace('{name}', r.body.filename);
      }, function () { status.textContent = box.dataset.failed; });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    showPage();
    var form = document.querySelector('[data-template-form]');
    if (form) templateForm(form);
  });
})();
