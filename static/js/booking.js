/* The booking form without a round trip: changing the number of travellers
 * adds or hides traveller fieldsets at once (a hidden one keeps what was typed
 * and is disabled, so it is not sent), and the price breakdown and total
 * follow every change. Without this script the form's "Recalculate" button
 * does the same on the server. Served from /static/ (strict CSP: no inline
 * script); the fares come from the form's data-prices attribute. */
(function () {
  "use strict";
  var form = document.querySelector("form.booking-form[data-prices]");
  if (!form) { return; }
  var prices = JSON.parse(form.getAttribute("data-prices"));
  var seats = form.querySelector("select[name=seats]");
  var list = form.querySelector(".travellers");
  var template = document.getElementById("traveller-template");
  var totalForms = form.querySelector("input[name=t-TOTAL_FORMS]");
  var totalOut = form.querySelector(".booking-total .total");
  if (!seats || !list || !template || !totalForms) { return; }

  Array.prototype.forEach.call(form.querySelectorAll(".js-hide"), function (el) {
    el.hidden = true;
  });

  function cents(text) { return Math.round(parseFloat(text) * 100); }
  function money(value) { return "¥" + (value / 100).toFixed(2); }
  function fieldsets() { return list.querySelectorAll("fieldset[data-traveller]"); }

  function update() {
    var counts = {};
    Array.prototype.forEach.call(fieldsets(), function (fs) {
      if (fs.disabled) { return; }
      var type = fs.querySelector("select[name$='-type']");
      if (type && Object.prototype.hasOwnProperty.call(prices, type.value)) {
        counts[type.value] = (counts[type.value] || 0) + 1;
      }
    });
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll(".breakdown tr[data-type]"), function (row) {
      var n = counts[row.getAttribute("data-type")] || 0;
      var sub = n * cents(prices[row.getAttribute("data-type")]);
      total += sub;
      row.hidden = n === 0;
      row.querySelector(".count").textContent = String(n);
      row.querySelector(".subtotal").textContent = money(sub);
    });
    if (totalOut) { totalOut.textContent = money(total); }
  }

  function resize() {
    var want = parseInt(seats.value, 10);
    if (!(want > 0)) { return; }
    var have = fieldsets();
    for (var i = have.length; i < want; i += 1) {
      var html = template.innerHTML
        .replace(/__prefix__/g, String(i))
        .replace(/__number__/g, String(i + 1));
      list.insertAdjacentHTML("beforeend", html);
    }
    Array.prototype.forEach.call(fieldsets(), function (fs, index) {
      var on = index < want;
      fs.hidden = !on;
      fs.disabled = !on;
    });
    totalForms.value = String(want);
    update();
  }

  seats.addEventListener("change", resize);
  form.addEventListener("change", function (event) {
    if (event.target !== seats) { update(); }
  });
  resize();
}());
