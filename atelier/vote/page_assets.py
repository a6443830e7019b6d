"""The phones' pages' colours, style sheet and script (served as a same-origin file: the CSP
allows no inline script). Both colour schemes are checked for contrast by the tests."""

from __future__ import annotations

# -- colours: both schemes, as the tests check their contrast ------------------------------

LIGHT = {
    "bg": "#ffffff",
    "fg": "#111111",
    "muted": "#454545",
    "link": "#0b55b5",
    "line": "#6b6b6b",
    "button": "#f0f0f0",
    "on": "#111111",
    "on-fg": "#ffffff",
    "error": "#a4001c",
    "panel": "#f4f4f4",
}
DARK = {
    "bg": "#121212",
    "fg": "#f1f1f1",
    "muted": "#c4c4c4",
    "link": "#9ec9ff",
    "line": "#9a9a9a",
    "button": "#262626",
    "on": "#f1f1f1",
    "on-fg": "#121212",
    "error": "#ff9a8f",
    "panel": "#1d1d1d",
}
CONTRAST_PAIRS = (
    # (text, background, minimum): WCAG AA, 4.5:1 for text, 3:1 for borders and marks
    ("fg", "bg", 4.5),
    ("muted", "bg", 4.5),
    ("link", "bg", 4.5),
    ("error", "bg", 4.5),
    ("fg", "button", 4.5),
    ("on-fg", "on", 4.5),
    ("fg", "panel", 4.5),
    ("muted", "panel", 4.5),
    ("link", "panel", 4.5),
    ("line", "bg", 3.0),
    ("fg", "bg", 3.0),  # the buttons' borders
)


def _variables(colours: dict[str, str]) -> str:
    return ";".join(f"--{name}:{value}" for name, value in colours.items())


STYLE = (
    ":root{color-scheme:light dark;" + _variables(LIGHT) + "}\n"
    "@media (prefers-color-scheme:dark){:root{" + _variables(DARK) + "}}\n"
    """*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
background:#fff;background:var(--bg);color:#111;color:var(--fg);font-size:1.25rem;
line-height:1.5;overflow-wrap:break-word;word-wrap:break-word;overflow-wrap:anywhere}
header,main,footer{max-width:40em;margin:0 auto;padding:0 .75em}
header{padding-top:.5em}
.brand,.kicker,.progress,.hint,.note,.caption,.phase{color:#454545;color:var(--muted)}
.brand{margin:0;font-size:.85em}
.kicker{margin:.6em 0 0;font-size:.9em}
h1{font-size:1.5em;line-height:1.25;margin:.2em 0 .6em;-webkit-hyphens:auto;hyphens:auto}
h2{font-size:1.25em;line-height:1.3;margin:1em 0 .4em}
h3,h4,h5,h6{font-size:1.05em;margin:1em 0 .3em}
a{color:#0b55b5;color:var(--link);text-decoration:underline}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{
outline:3px solid;outline-color:var(--fg);outline-offset:3px}
ul.answers{list-style:none;margin:0;padding:0}
button,.button{display:block;width:100%;min-height:3em;margin:0 0 .7em;padding:.5em;
font:inherit;font-size:1.2em;font-weight:bold;line-height:1.2;text-align:center;
white-space:normal;overflow-wrap:anywhere;word-break:break-word;-webkit-hyphens:auto;
hyphens:auto;border:3px solid #111;border-color:var(--fg);border-radius:.4em;
background:#f0f0f0;background:var(--button);color:#111;color:var(--fg);cursor:pointer}
button[aria-pressed="true"]{background:#111;background:var(--on);color:#fff;color:var(--on-fg)}
a.button{text-decoration:underline}
.answer{font-size:1.3em;font-weight:bold;margin:.4em 0}
.mine{font-weight:bold;min-height:1.5em}
.error{border:3px solid #a4001c;border-color:var(--error);padding:.5em;font-weight:bold}
.error::before{content:"⚠ "}
.sent{border:3px solid;border-color:var(--fg);padding:.5em;font-weight:bold}
.sent::before{content:"✔ "}
.panel{background:#f4f4f4;background:var(--panel);border:2px solid #6b6b6b;
border-color:var(--line);border-radius:.4em;padding:.2em .8em .6em;margin:1em 0}
.timer{font-size:3em;font-size:min(3em,20vw);font-weight:bold;text-align:center;
margin:.1em 0;font-variant-numeric:tabular-nums;line-height:1.1}
.caption{text-align:center;font-size:1.1em;margin:.2em 0 .5em}
blockquote{margin:.5em 0;padding-left:.8em;border-left:4px solid #6b6b6b;
border-left-color:var(--line)}
table{border-collapse:collapse;display:block;overflow-x:auto}
th,td{border:1px solid;border-color:var(--line);padding:.2em .4em;text-align:left}
fieldset{border:2px solid;border-color:var(--line);border-radius:.4em;margin:0 0 1em;
padding:.4em .8em}
legend{font-weight:bold;padding:0 .3em}
label{display:block;font-weight:bold;margin:.6em 0 .2em}
fieldset label{font-weight:normal;display:flex;align-items:flex-start;gap:.5em;margin:.4em 0}
input[type=radio]{width:1.3em;height:1.3em;margin:.15em 0 0;flex:none}
textarea,input[type=text]{display:block;width:100%;font:inherit;padding:.4em;
border:2px solid #111;border-color:var(--fg);border-radius:.3em;background:var(--bg);
color:var(--fg)}
textarea{min-height:7em}
footer{margin-top:2em;padding-bottom:1.5em;font-size:.9em}
footer ul{list-style:none;padding:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
"""
)

# -- the script: ES5, one file for every page, served same-origin (the CSP allows no inline) --

SCRIPT = """(function () {
  var body = document.body;
  var kind = body.getAttribute('data-page');
  var stateUrl = body.getAttribute('data-state');
  var home = body.getAttribute('data-home');
  var key = body.getAttribute('data-key');
  var every = parseInt(body.getAttribute('data-every'), 10) || 2000;
  function byId(id) { return document.getElementById(id); }
  function text(node, value) {
    if (node && node.textContent !== value) { node.textContent = value; }
  }
  // One polite live region: what must be heard (a vote taken, a warning, a new screen).
  var saying = null;
  function say(message) {
    var region = byId('annonce');
    if (!region || !message) { return; }
    if (saying) { clearTimeout(saying); }
    region.textContent = '';
    saying = setTimeout(function () { saying = null; region.textContent = message; }, 150);
  }
  function get(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.timeout = 8000;
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4) { done(xhr); }
    };
    xhr.send();
  }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function clock(total, pad) {
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    if (h) { return h + ':' + two(m) + ':' + two(s); }
    return (pad ? two(m) : String(m)) + ':' + two(s);
  }
  function label(remaining) {
    var r = Math.round(remaining * 1e6) / 1e6;
    if (r >= 0) { return clock(Math.ceil(r), true); }
    var over = Math.floor(-r);
    return over === 0 ? '00:00' : '+' + clock(over, false);
  }

  // The timer of the follow-along page (and of « Mon projet ») counts down by itself
  // between two updates; the screen reader hears it only at the warning and at zero.
  var timer = null;
  function zoneOf(remaining, warning) {
    return remaining <= 0 ? 2 : (remaining <= warning ? 1 : 0);
  }
  function readTimer() {
    var node = byId('timer');
    if (!node) { timer = null; return; }
    var remaining = parseFloat(node.getAttribute('data-remaining'));
    var warning = parseFloat(node.getAttribute('data-warning'));
    timer = {node: node, remaining: remaining, warning: warning, at: new Date().getTime(),
             running: node.getAttribute('data-running') === '1',
             zone: zoneOf(remaining, warning)};
  }
  function tick() {
    if (!timer || !timer.running) { return; }
    var remaining = timer.remaining - (new Date().getTime() - timer.at) / 1000;
    text(byId('timer-digits'), label(remaining));
    var zone = zoneOf(remaining, timer.warning);
    if (zone > timer.zone) {
      timer.zone = zone;
      var message = timer.node.getAttribute(zone === 2 ? 'data-zero' : 'data-warn');
      text(byId('timer-caption'), message);
      say(message);
    }
  }

  // A tap votes in the background (one request, no reload); without this script the form
  // posts and the server answers with a redirect to the page.
  function bindVote() {
    var form = byId('vote');
    if (!form || !window.JSON || !form.addEventListener) { return; }
    var buttons = form.getElementsByTagName('button');
    function choose(button) {
      for (var i = 0; i < buttons.length; i++) {
        var chosen = buttons[i] === button;
        buttons[i].setAttribute('aria-pressed', chosen ? 'true' : 'false');
        buttons[i].textContent = (chosen ? form.getAttribute('data-mark') : '') +
          buttons[i].getAttribute('data-label');
      }
      var name = button.getAttribute('data-label');
      text(byId('mine'), form.getAttribute('data-choice').replace('{label}', name));
      say(form.getAttribute('data-taken').replace('{label}', name));
    }
    function send(button) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.getAttribute('action'), true);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.timeout = 8000;
      xhr.onreadystatechange = function () {
        if (xhr.readyState !== 4) { return; }
        if (xhr.status === 200) { choose(button); } else { location.replace(home); }
      };
      xhr.send(JSON.stringify({statement: form.elements.statement.value,
                               answer: button.getAttribute('value')}));
    }
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) {
        event.preventDefault();
        send(this);
      }, false);
    }
  }

  // « Mon projet »: the top of the page (phase, timer, instructions) is fetched again when
  // the projector changes. A page whose phase is no longer the one in progress reloads,
  // unless something is being typed: then it says so, and the typed text stays.
  var phase = body.getAttribute('data-phase'), warned = false;
  function typing() {
    if (body.getAttribute('data-typed') === '1') { return true; }  // given back after a refusal
    var fields = document.getElementsByTagName('textarea');
    var inputs = document.getElementsByTagName('input');
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) { return true; }
    }
    for (var j = 0; j < inputs.length; j++) {
      if (inputs[j].type === 'text' && inputs[j].value !== inputs[j].defaultValue) {
        return true;
      }
    }
    return false;
  }
  function placePhase(xhr) {
    var now = xhr.getResponseHeader('X-Atelier-Phase');
    var moved = now !== null && now !== phase;
    if (moved && !typing()) { location.replace(body.getAttribute('data-here')); return false; }
    var head = byId('phase-head');
    head.innerHTML = xhr.responseText;
    readTimer();
    if (moved) {
      var note = document.createElement('p');
      note.className = 'error';
      note.textContent = body.getAttribute('data-changed');
      head.insertBefore(note, head.firstChild);
      if (!warned) { warned = true; say(note.textContent); }
    }
    return true;
  }

  // A new screen: fetch this phone's part of the page and put it in place.
  var loading = false, again = false;
  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    get(body.getAttribute('data-live'), function (xhr) {
      loading = false;
      if (xhr.status === 200 && kind === 'team') {
        key = xhr.getResponseHeader('X-Atelier-Key') || key;
        if (!placePhase(xhr)) { return; }
      } else if (xhr.status === 200) {
        var live = byId('live');
        live.innerHTML = xhr.responseText;
        key = xhr.getResponseHeader('X-Atelier-Key') || key;
        readTimer();
        bindVote();
        var title = live.getElementsByTagName('h1')[0];
        if (title) {
          document.title = title.textContent;
          say(title.getAttribute('data-summary'));
        }
      } else {
        again = true;  // busy or unreachable for a moment: try again shortly
        setTimeout(function () { if (again && !loading) { again = false; refresh(); } }, 3000);
        return;
      }
      if (again) { again = false; refresh(); }
    });
  }
  function heard(newKey, spread) {
    if (!newKey || newKey === key) { return; }
    // The whole room hears a change at once: each phone fetches at a random moment within
    // the spread the server gives (a few hundred ms for a full room), not all together.
    var wait = spread > 0 ? Math.random() * spread : 0;
    if (wait > 0) { setTimeout(refresh, wait); } else { refresh(); }
  }
  function poll() {
    get(stateUrl, function (xhr) {
      var state = null;
      if (xhr.status === 200) {
        try { state = JSON.parse(xhr.responseText); } catch (e) { state = null; }
      }
      if (state && (kind === 'follow' || kind === 'team')) { heard(state.key); }
      if (state && kind === 'speaker') {
        text(byId('label'), state.label);
        text(byId('caption'), state.caption);
        text(byId('step'), state.title);
        if (state.announce && state.announce !== lastAnnounce) { say(state.announce); }
        lastAnnounce = state.announce;
      }
      setTimeout(poll, every);
    });
  }
  var lastAnnounce = body.getAttribute('data-announce') || '';

  if (kind === 'follow' || kind === 'team') {
    readTimer();
    if (kind === 'follow') { bindVote(); }
    setInterval(tick, 1000);
    var stream = body.getAttribute('data-stream');
    if (window.EventSource && stream) {
      // Server-sent events: the server speaks when the projector changes (no polling).
      var source = new EventSource(stream);
      source.onmessage = function (event) {
        var state = null;
        try { state = JSON.parse(event.data); } catch (e) { state = null; }
        if (state) { heard(state.key, state.spread); }
      };
      source.onerror = function () {
        // Refused (too many phones) or closed for good: ask every few seconds instead.
        if (source.readyState === 2) { setTimeout(poll, every); }
      };
    } else {
      setTimeout(poll, every);
    }
  } else if (kind === 'speaker') {
    setTimeout(poll, every);
  }
})();
"""
