// Small enhancements; every page works without them.
// "Copy citation" buttons. The clipboard API exists only on https and localhost; over plain
// http the text is copied from a selected text area instead, and if the browser refuses that
// too, it is shown selected for the reader to copy by hand.
(function () {
  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    area.remove();
    return copied;
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return copyBySelection(text) ? Promise.resolve() : Promise.reject(new Error("not copied"));
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    copy(button.dataset.copy).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
    }, function () {
      window.prompt("Copy this citation (Ctrl+C or ⌘C):", button.dataset.copy);
    });
  });
})();

// Forms that ask before they act (delete a note, undo a repair).
document.addEventListener("submit", function (event) {
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Notes anchored to a passage: mark the passage in its email. The server found where the
// note's quote is in the email's text (data-start/data-end count characters of that text,
// which is the email body's textContent), so marking is walking text nodes to those offsets.
(function () {
  function bodyOf(emailId) {
    return document.querySelector("#message-" + emailId + " > .email-body");
  }
  function wrap(body, start, end, noteId) {
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    var seen = 0, node, pieces = [];
    while ((node = walker.nextNode())) {
      var from = seen, to = seen + node.data.length;
      seen = to;
      if (to <= start || from >= end) continue;
      pieces.push([node, Math.max(start - from, 0), Math.min(end, to) - from]);
    }
    pieces.forEach(function (piece, index) {
      var range = document.createRange();
      range.setStart(piece[0], piece[1]);
      range.setEnd(piece[0], piece[2]);
      var mark = document.createElement("mark");
      mark.className = "note-mark";
      mark.title = "Annotated: see the note beside this email";
      if (index === 0) mark.id = "mark-" + noteId;
      mark.addEventListener("click", function () {
        var note = document.getElementById("note-" + noteId);
        if (note) { note.classList.add("annotation--shown"); note.scrollIntoView({block: "nearest"}); }
      });
      range.surroundContents(mark);
    });
  }
  document.querySelectorAll(".annotation[data-email]").forEach(function (note) {
    var body = bodyOf(note.dataset.email);
    if (body) wrap(body, +note.dataset.start, +note.dataset.end, note.id.replace("note-", ""));
  });
})();

// "Annotate": select words in an email of a thread, choose the button, write the note. The
// quote is kept with up to 32 characters before and after it, so it is found again later.
(function () {
  var composer = document.getElementById("note-composer");
  if (!composer) return;
  var CONTEXT = 32;
  var form = composer.querySelector("form");
  var passage = composer.querySelector(".note-form__passage");
  var hint = document.querySelector(".annotate-hint");
  var home = composer.parentNode, homeNext = composer.nextSibling;
  if (hint) hint.hidden = false;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "annotate-button";
  button.textContent = "Annotate";
  button.hidden = true;
  document.body.appendChild(button);
  var chosen = null;

  function offsetIn(body, container, offset) {
    var range = document.createRange();
    range.setStart(body, 0);
    range.setEnd(container, offset);
    return range.toString().length;
  }
  function selectionInEmail() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var start = range.startContainer.parentElement, end = range.endContainer.parentElement;
    var body = start && start.closest(".email-body:not(.email-body--quoted)");
    if (!body || !end || end.closest(".email-body") !== body) return null;
    var email = body.closest(".email");
    var text = body.textContent;
    var from = offsetIn(body, range.startContainer, range.startOffset);
    var to = offsetIn(body, range.endContainer, range.endOffset);
    var quote = text.slice(from, to);
    if (!quote.trim()) return null;
    return {
      email: email, emailId: email.id.replace("message-", ""), quote: quote,
      prefix: text.slice(Math.max(0, from - CONTEXT), from), suffix: text.slice(to, to + CONTEXT),
      rect: range.getBoundingClientRect()
    };
  }
  function offer() {
    chosen = selectionInEmail();
    if (!chosen) { button.hidden = true; return; }
    button.style.top = (window.scrollY + chosen.rect.bottom + 6) + "px";
    button.style.left = (window.scrollX + chosen.rect.left) + "px";
    button.hidden = false;
  }
  document.addEventListener("mouseup", function (event) {
    if (event.target !== button) setTimeout(offer, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") offer();
  });
  button.addEventListener("click", function () {
    if (!chosen) return;
    form.elements.document.value = chosen.emailId;
    form.elements.quote.value = chosen.quote;
    form.elements.prefix.value = chosen.prefix;
    form.elements.suffix.value = chosen.suffix;
    passage.querySelector("q").textContent = chosen.quote.length > 200 ? chosen.quote.slice(0, 200) + "…" : chosen.quote;
    passage.hidden = false;
    chosen.email.parentNode.querySelector(".notes--email").prepend(composer);
    composer.open = true;
    button.hidden = true;
    form.elements.body.focus();
  });
  composer.querySelector("[data-note-clear]").addEventListener("click", function () {
    ["document", "quote", "prefix", "suffix"].forEach(function (name) { form.elements[name].value = ""; });
    passage.hidden = true;
    home.insertBefore(composer, homeNext);
    form.elements.body.focus();
  });
})();

// On a phone: the navigation is a menu, and the search facets start folded above the hits
// (the page sends them open, so that without script they are simply there).
(function () {
  var toggle = document.querySelector(".site-nav__toggle");
  if (toggle) {
    var nav = toggle.closest(".site-nav");
    toggle.hidden = false;
    nav.classList.add("site-nav--menu");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("site-nav--open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }
})();
