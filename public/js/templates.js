// Live preview of a template with sample values: on the template page (one
// input per variable) and on the "new template" form (examples, one per line).
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

  function field(name) { return document.querySelector('[name="' + name + '"]'); }

  function newForm() {
    var body = field('body');
    var out = document.querySelector('[data-preview-body]');
    if (!body || !out) return;
    var header = document.querySelector('[data-preview-header]');
    var footer = document.querySelector('[data-preview-footer]');
    var buttons = document.querySelector('[data-preview-buttons]');
    function render() {
      var examples = (field('body_examples').value || '').split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean);
      out.textContent = fill(body.value, function (n) { return examples[Number(n) - 1]; });
      var type = field('header_type').value;
      header.textContent = type === 'TEXT' ? fill(field('header_text').value, function () { return field('header_example').value; }) : (type === 'NONE' ? '' : '[' + type + ']');
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
    ['body', 'body_examples', 'header_type', 'header_text', 'header_example', 'footer', 'quick_replies', 'url_text'].forEach(function (n) {
      var el = field(n);
      if (el) el.addEventListener('input', render);
      if (el) el.addEventListener('change', render);
    });
    render();
  }

  document.addEventListener('DOMContentLoaded', function () { showPage(); newForm(); });
})();
