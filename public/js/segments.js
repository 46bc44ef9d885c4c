// Segment builder and live counts. Progressive: without this file the form
// still works with the definition as JSON text; with it, people build AND/OR
// groups of rules, nested as deep as the compiler accepts (meta.maxDepth
// levels, the outer group being the first), and see how many contacts match
// while they edit.
(function () {
  'use strict';
  var VALUELESS = { is_set: 1, is_not_set: 1 };
  var LISTS = { in: 1, not_in: 1 };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function fillCounts() {
    document.querySelectorAll('[data-segment-count]').forEach(function (span) {
      fetch(span.getAttribute('data-segment-count'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (j) { span.textContent = j.text || j.error || ''; if (j.error) span.className = 'field-msg'; })
        .catch(function () { span.textContent = '—'; });
    });
  }

  function Builder(root, form) {
    this.root = root;
    this.meta = JSON.parse(root.getAttribute('data-meta'));
    this.textarea = form.querySelector('textarea[name="definition"]');
    this.csrf = form.querySelector('input[name="_csrf"]').value;
    this.countUrl = root.getAttribute('data-count-url');
    this.live = form.querySelector('[data-live-count]');
    this.byField = {};
    this.maxDepth = this.meta.maxDepth || 1;
    var self = this;
    this.meta.fields.forEach(function (f) { self.byField[f.field] = f; });
    var tree;
    try { tree = JSON.parse(this.textarea.value || '{"all":[]}'); } catch (e) { tree = { all: [] }; }
    this.tree = tree && (tree.all || tree.any) ? tree : { all: tree && tree.field ? [tree] : [] };
    this.seq = 0;
    form.querySelector('[data-definition-field] label').classList.add('sr-only');
    this.textarea.hidden = true;
    var hint = form.querySelector('#f-definition-hint');
    if (hint) hint.hidden = true;
    this.render();
  }

  Builder.prototype.t = function (k) { return this.meta.text[k] || k; };

  Builder.prototype.changed = function (redraw) {
    this.textarea.value = JSON.stringify(this.tree);
    if (redraw) this.render();
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.count(); }, 300);
  };

  Builder.prototype.count = function () {
    var live = this.live;
    live.textContent = this.t('counting');
    fetch(this.countUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrf },
      body: JSON.stringify({ definition: this.tree }),
    }).then(function (r) { return r.json(); })
      .then(function (j) { live.textContent = j.text || j.error || ''; live.className = j.error ? 'live-count field-msg' : 'live-count'; })
      .catch(function () { live.textContent = ''; });
  };

  Builder.prototype.render = function () {
    this.root.textContent = '';
    this.root.appendChild(this.group(this.tree, 0, null, -1));
  };

  Builder.prototype.labelled = function (labelText, control) {
    var id = 'sb-' + (++this.seq);
    control.id = id;
    return el('div', { class: 'field' }, [el('label', { for: id, text: labelText, class: 'sr-only' }), control]);
  };

  Builder.prototype.group = function (node, depth, parent, index) {
    var self = this;
    var mode = node.any ? 'any' : 'all';
    var kids = node[mode];
    var select = el('select', {}, [
      el('option', { value: 'all', text: this.t('match_all') }), el('option', { value: 'any', text: this.t('match_any') }),
    ]);
    select.value = mode;
    select.addEventListener('change', function () {
      var list = node[mode];
      delete node[mode];
      node[select.value] = list;
      self.changed(true);
    });
    var list = el('ol', { class: 'builder-list builder-list-' + (mode === 'all' ? 'and' : 'or') });
    kids.forEach(function (kid, i) {
      var conj = i ? el('span', { class: 'builder-conj', 'aria-hidden': 'true', text: self.t(mode === 'all' ? 'and' : 'or') }) : null;
      list.appendChild(el('li', {}, [conj, kid.all || kid.any ? self.group(kid, depth + 1, kids, i) : self.rule(kid, kids, i)]));
    });
    var add = el('button', { type: 'button', class: 'btn btn-secondary btn-sm', text: this.t('add_rule') });
    add.addEventListener('click', function () { kids.push({ field: 'name', op: 'contains', value: '' }); self.changed(true); });
    var actions = el('div', { class: 'btn-row' }, [add]);
    // A group at `depth` is level depth + 1; a group added inside it must stay within maxDepth levels.
    if (depth + 2 <= this.maxDepth) {
      var addGroup = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: this.t('add_group'), 'data-add-group': '' });
      addGroup.addEventListener('click', function () {
        // The new group starts with the other connective: an OR inside an AND, an AND inside an OR.
        var inner = {};
        inner[mode === 'all' ? 'any' : 'all'] = [{ field: 'name', op: 'contains', value: '' }];
        kids.push(inner);
        self.changed(true);
      });
      actions.appendChild(addGroup);
    }
    if (parent) {
      var rm = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: this.t('remove_group') });
      rm.addEventListener('click', function () { parent.splice(index, 1); self.changed(true); });
      actions.appendChild(rm);
    }
    var label = depth ? this.t('nested_group') + ' (' + (depth + 1) + ')' : this.t('group_label');
    return el('div', { class: 'builder-group builder-depth-' + depth, role: 'group', 'aria-label': label, 'data-depth': String(depth) },
      [this.labelled(label, select), list, actions]);
  };

  Builder.prototype.fieldSelect = function (rule) {
    var groups = {};
    var select = el('select');
    var self = this;
    this.meta.fields.forEach(function (f) {
      if (!groups[f.group]) groups[f.group] = select.appendChild(el('optgroup', { label: self.meta.groups[f.group] }));
      groups[f.group].appendChild(el('option', { value: f.field, text: f.label }));
    });
    if (!this.byField[rule.field]) select.appendChild(el('option', { value: rule.field, text: rule.field }));
    select.value = rule.field;
    return select;
  };

  Builder.prototype.rule = function (rule, parent, index) {
    var self = this;
    var meta = this.byField[rule.field] || { ops: [rule.op], kind: 'text' };
    var field = this.fieldSelect(rule);
    field.addEventListener('change', function () {
      var m = self.byField[field.value];
      rule.field = field.value;
      rule.op = m.ops[0];
      rule.value = m.kind === 'bool' ? true : '';
      self.changed(true);
    });
    var op = el('select');
    meta.ops.forEach(function (o) { op.appendChild(el('option', { value: o, text: self.meta.ops[o] || o })); });
    op.value = rule.op;
    op.addEventListener('change', function () { rule.op = op.value; if (VALUELESS[op.value]) delete rule.value; self.changed(true); });
    var rm = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', text: this.t('remove') });
    rm.addEventListener('click', function () { parent.splice(index, 1); self.changed(true); });
    return el('div', { class: 'builder-rule', role: 'group', 'aria-label': this.t('rule_label') }, [
      this.labelled(this.t('field'), field), this.labelled(this.t('operator'), op), this.valueEditor(rule, meta), rm,
    ]);
  };

  Builder.prototype.kindOf = function (rule, meta) {
    return (meta.kinds && meta.kinds[rule.op]) || meta.kind;
  };

  Builder.prototype.input = function (kind, value, onChange) {
    var type = kind === 'date' ? 'date' : kind === 'number' || kind === 'days' ? 'number' : 'text';
    var input = el('input', { type: type });
    if (kind === 'days') input.setAttribute('min', '0');
    if (kind === 'number') input.setAttribute('step', 'any');
    input.value = value === undefined || value === null ? '' : String(value);
    input.addEventListener('input', function () {
      var v = input.value;
      onChange(kind === 'number' || kind === 'days' ? (v === '' ? '' : Number(v)) : v);
    });
    return input;
  };

  Builder.prototype.choiceSelect = function (meta, rule, multiple) {
    var self = this;
    var select = el('select', multiple ? { multiple: 'multiple', size: String(Math.min(5, (meta.choices || []).length || 1)) } : {});
    var current = Array.isArray(rule.value) ? rule.value.map(String) : [String(rule.value)];
    (meta.choices || []).forEach(function (c) {
      var o = el('option', { value: String(c.value), text: c.label });
      if (current.indexOf(String(c.value)) >= 0) o.selected = true;
      select.appendChild(o);
    });
    var pick = function () {
      var chosen = meta.choices.filter(function (c) {
        return Array.prototype.some.call(select.selectedOptions, function (o) { return o.value === String(c.value); });
      }).map(function (c) { return c.value; });
      rule.value = multiple ? chosen : chosen[0];
      self.changed(false);
    };
    select.addEventListener('change', pick);
    if (rule.value === undefined || rule.value === '' || (!multiple && Array.isArray(rule.value))) pick();
    return select;
  };

  Builder.prototype.valueEditor = function (rule, meta) {
    var self = this;
    var kind = this.kindOf(rule, meta);
    if (VALUELESS[rule.op]) return el('span', { class: 'builder-none' });
    if (kind === 'bool') {
      var b = el('select', {}, [el('option', { value: 'true', text: this.t('yes') }), el('option', { value: 'false', text: this.t('no') })]);
      b.value = String(rule.value !== false && rule.value !== 'false');
      rule.value = b.value === 'true';
      b.addEventListener('change', function () { rule.value = b.value === 'true'; self.changed(false); });
      return this.labelled(this.t('value'), b);
    }
    if (kind === 'choice' && meta.choices && meta.choices.length) {
      var multiple = LISTS[rule.op] || rule.op === 'has' || rule.op === 'has_not';
      return this.labelled(this.t('value'), this.choiceSelect(meta, rule, multiple));
    }
    if (rule.op === 'between') {
      var pair = Array.isArray(rule.value) ? rule.value.slice(0, 2) : ['', ''];
      rule.value = pair;
      var set = function (i) { return function (v) { pair[i] = v; rule.value = pair; self.changed(false); }; };
      return el('span', { class: 'builder-pair' }, [
        this.labelled(this.t('from'), this.input(kind, pair[0], set(0))), this.labelled(this.t('to'), this.input(kind, pair[1], set(1))),
      ]);
    }
    if (LISTS[rule.op]) {
      var text = Array.isArray(rule.value) ? rule.value.join(', ') : (rule.value || '');
      var list = this.input('text', text, function (v) {
        rule.value = v.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
        self.changed(false);
      });
      list.setAttribute('placeholder', this.t('list_hint'));
      return this.labelled(this.t('value'), list);
    }
    var input = this.input(kind === 'choice' && meta.field === 'campaign' ? 'number' : kind, rule.value, function (v) { rule.value = v; self.changed(false); });
    if (kind === 'days') input.setAttribute('placeholder', this.t('days_hint'));
    if (meta.field === 'campaign') input.setAttribute('placeholder', this.t('no_campaigns'));
    return this.labelled(this.t('value'), input);
  };

  document.addEventListener('DOMContentLoaded', function () {
    fillCounts();
    var root = document.querySelector('[data-builder]');
    var form = document.querySelector('[data-segment-form]');
    if (!root || !form) return;
    var b = new Builder(root, form);
    b.changed(false);
  });
})();
