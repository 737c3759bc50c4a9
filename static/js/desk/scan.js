/* Camera scanning for the desks: the phone's camera reads the QR code with
 * jsQR (vendored from npm into static/vendor/jsqr/ at build time, nothing
 * loaded from outside). Without a camera, or when it is refused, the clerk
 * types the code: the box is always there. */
(function () {
  "use strict";

  var T = JSON.parse(document.getElementById("desk-strings").textContent);
  var button = document.getElementById("desk-camera");
  var stopButton = document.getElementById("desk-camera-stop");
  var box = document.getElementById("desk-video-box");
  var video = document.getElementById("desk-video");
  var message = document.getElementById("desk-camera-msg");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  /* Reads a QR code from anything drawable (a video frame, an image): its text or null. */
  function decode(source, width, height) {
    if (!window.jsQR || !width || !height) return null;
    var scale = Math.min(1, 800 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }
  window.deskDecode = decode;

  function say(text) {
    message.hidden = !text;
    message.textContent = text || "";
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    box.hidden = true;
    button.hidden = false;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState >= 2) {
      var text = decode(video, video.videoWidth, video.videoHeight);
      if (text) {
        stop();
        say("");
        if (navigator.vibrate) navigator.vibrate(80);
        window.deskScanned(text);
        return;
      }
    }
    requestAnimationFrame(tick);
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(T.camera_unavailable);
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        box.hidden = false;
        button.hidden = true;
        say(T.camera_looking);
        return video.play();
      })
      .then(function () { requestAnimationFrame(tick); })
      .catch(function () {
        stop();
        say(T.camera_unavailable);
        document.getElementById("desk-code").focus();
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) button.hidden = false;
  button.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
})();
