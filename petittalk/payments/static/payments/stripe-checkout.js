// Petit Talk: the Stripe Payment Element on the checkout page (payments/stripe_checkout.html).
// Card details stay inside Stripe's iframe; we only hand Stripe the PaymentIntent's client
// secret and learn the outcome from Stripe's signed webhook, never from this page.
(function () {
  "use strict";

  var GENERIC_ERROR = "The payment could not be completed. Please try again.";

  function start() {
    var form = document.getElementById("payment-form");
    if (!form) { return; }
    var button = document.getElementById("payment-submit");
    var errorBox = document.getElementById("payment-error");

    function showError(text) {
      errorBox.textContent = text || GENERIC_ERROR;
      errorBox.hidden = false;
    }

    function clearError() {
      errorBox.textContent = "";
      errorBox.hidden = true;
    }

    if (typeof window.Stripe !== "function") {
      // Blocked or offline: say so rather than show a form that can never pay.
      showError("The card form could not load. Check your connection and reload the page.");
      return;
    }

    var stripe = window.Stripe(form.dataset.publishableKey);
    var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
    var paymentElement = elements.create("payment", {
      defaultValues: {
        billingDetails: { name: form.dataset.billingName, email: form.dataset.billingEmail }
      }
    });
    paymentElement.mount("#payment-element");
    paymentElement.on("ready", function () { button.disabled = false; });
    paymentElement.on("loaderror", function (event) {
      showError(event.error && event.error.message);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) { return; }  // one confirmation at a time
      button.disabled = true;
      clearError();
      stripe.confirmPayment({
        elements: elements,
        confirmParams: { return_url: form.dataset.returnUrl }
      }).then(function (result) {
        // Only reached when Stripe did not redirect: a declined card, an invalid field, a
        // network error. Stripe's message says which; the student can correct and retry on the
        // same PaymentIntent.
        if (result.error) { showError(result.error.message); }
        button.disabled = false;
      }, function () {
        showError(GENERIC_ERROR);
        button.disabled = false;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
