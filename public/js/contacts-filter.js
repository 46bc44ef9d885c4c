// Custom field conditions of the contacts filter: while editing, offer only
// the comparisons the chosen field's type takes, ask for the value the way the
// type needs it (text, number, date, yes/no, the field's options), show "to"
// only for ranges, and add rows. Without this file the panel still works: the
// server checks every condition and names what is wrong.
(function () {
  'use strict';
  var MAX = 10;
  var INPUT = { text: 'text', number: 'number', date: 'date', boolean: 'bool', select: 'options', multiselect: 'options' };

  function typeOf(row) {
    var opt = row.querySelector('[data-cf-field]').selectedOptions[0];
    return opt && opt.getAttribute('data-type') || '';
  }

  function optionsOf(row) {
    var opt = row.querySelector('[data-cf-field]').selectedOptions[0];
    try { return JSON.parse(opt && opt.getAttribute('data-options') || '[]'); } catch (e) { return []; }
  }

  var yesNo = ['true', 'false'];

  function valueControl(row, input) {
    var old = row.querySelector('[data-cf-value] input, [data-cf-value] select');
    var current = old && old.value;
    var c;
    if (input === 'options') {
      c = document.createElement('select');
      c.multiple = true;
      c.size = 3;
      optionsOf(row).forEach(function (o) { var e = document.createElement('option'); e.value = o; e.textContent = o; c.appendChild(e); });
    } else if (input === 'bool') {
      c = document.createElement('select');
      [['true', yesNo[0]], ['false', yesNo[1]]].forEach(function (p) { var e = document.createElement('option'); e.value = p[0]; e.textContent = p[1]; c.appendChild(e); });
    } else {
      c = document.createElement('input');
      c.type = input;
      if (input === 'number') c.step = 'any';
      if (old && old.tagName === 'INPUT' && old.type === input) c.value = current;
    }
    c.id = old.id;
    c.name = old.name;
    old.replaceWith(c);
    var to = row.querySelector('[data-cf-to] input');
    to.type = input === 'number' || input === 'date' ? input : 'text';
    if (input === 'number') to.step = 'any';
  }

  function sync(row, fieldChanged) {
    var type = typeOf(row);
    var op = row.querySelector('[data-cf-op]');
    Array.prototype.forEach.call(op.options, function (o) {
      var ok = !o.value || !type || (o.getAttribute('data-types') || '').split(' ').indexOf(type) >= 0;
      o.hidden = !ok;
      o.disabled = !ok;
    });
    if (op.selectedOptions[0] && op.selectedOptions[0].disabled) op.value = '';
    var input = INPUT[type] || 'text';
    if (fieldChanged && row.getAttribute('data-input') !== input) {
      valueControl(row, input);
      row.setAttribute('data-input', input);
    }
    var valueless = op.value === 'is_set' || op.value === 'is_not_set';
    row.querySelector('[data-cf-value]').hidden = valueless;
    row.querySelector('[data-cf-to]').hidden = op.value !== 'range';
  }

  function wire(row) {
    row.querySelector('[data-cf-field]').addEventListener('change', function () { sync(row, true); });
    row.querySelector('[data-cf-op]').addEventListener('change', function () { sync(row, false); });
    sync(row, false);
  }

  function renumber(row, i) {
    row.querySelectorAll('[name]').forEach(function (e) {
      e.name = e.name.replace(/\d+$/, String(i));
      e.id = e.id.replace(/\d+$/, String(i));
      if (e.tagName === 'INPUT') e.value = '';
      if (e.tagName === 'SELECT') e.selectedIndex = e.multiple ? -1 : 0;
    });
    row.querySelectorAll('label').forEach(function (l) {
      l.htmlFor = l.htmlFor.replace(/\d+$/, String(i));
      l.textContent = l.textContent.replace(/\d+(?=\D*$)/, String(i));
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.querySelector('[data-custom-filters]');
    if (!box) return;
    yesNo = [box.getAttribute('data-yes'), box.getAttribute('data-no')];
    var rows = box.querySelectorAll('[data-custom-row]');
    rows.forEach(wire);
    var last = rows[rows.length - 1];
    var template = last && !last.querySelector('[data-cf-field]').value ? last.cloneNode(true) : null;
    var add = box.querySelector('[data-cf-add-row]');
    if (!template || rows.length >= MAX) return;
    add.hidden = false;
    add.querySelector('[data-cf-add]').addEventListener('click', function () {
      var n = box.querySelectorAll('[data-custom-row]').length + 1;
      var row = template.cloneNode(true);
      renumber(row, n);
      add.before(row);
      wire(row);
      row.querySelector('[data-cf-field]').focus();
      if (n >= MAX) add.hidden = true;
    });
  });
})();
