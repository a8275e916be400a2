// Tells the server the learner's time zone, so streak days are their own calendar days
// (UTC until known). A cookie, set only when it changes; IANA names are cookie-safe.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
    if (document.cookie.split("; ").indexOf("tz=" + zone) !== -1) return;
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  } catch (error) {
    // No Intl: the server keeps UTC, or the zone chosen on "my learning".
  }
})();
