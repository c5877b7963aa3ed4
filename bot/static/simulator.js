// The web chat simulator. Every message is built from text nodes only (never HTML), so a place name or a reply
// that contains markup shows as the characters it is. Served as a static file: the page has no inline script.
(function () {
  "use strict";
  const root = document.getElementById("simulator");
  const prefix = root.dataset.prefix;
  const log = document.getElementById("log");
  const $ = (id) => document.getElementById(id);
  let chosen = null; // {lat, lon, label}

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bubble(text, who, metaParts) {
    const div = element("div", "msg " + who, text);
    const parts = (metaParts || []).filter((part) => part && part.text);
    if (parts.length) {
      const meta = element("div", "meta");
      parts.forEach((part, index) => {
        if (index) meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(element("span", part.warn ? "warn" : "", part.text));
      });
      div.appendChild(meta);
    }
    log.appendChild(div);
    div.scrollIntoView();
    return div;
  }

  function who() {
    return {channel: $("channel").value, address: $("address").value};
  }

  async function post(path, body) {
    const res = await fetch(prefix + path, {
      method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return {ok: res.ok, status: res.status, data};
  }

  function problem(res) {
    const detail = res.data && typeof res.data.detail === "string" ? ": " + res.data.detail : "";
    bubble("Error " + res.status + detail, "bot");
  }

  function replyMeta(r, channel, moment) {
    const parts = [];
    if (channel === "sms") {
      parts.push({text: r.segments + " SMS segment" + (r.segments === 1 ? "" : "s") + " (" + r.encoding + ")",
                  warn: r.segments > 2 || r.encoding !== "GSM-7"});
    }
    if (r.place) parts.push({text: "map pin: " + r.place.name});
    if (r.ask_location && channel === "telegram") parts.push({text: "[Share my location button]"});
    if (moment) parts.push({text: "at " + moment});
    return parts;
  }

  async function send(text, extra) {
    const base = who();
    bubble(text || "(location: " + (extra && extra.label ? extra.label : "?") + ")", "me");
    const body = Object.assign({}, base, {text: text});
    if (extra) { body.lat = extra.lat; body.lon = extra.lon; }
    const moment = $("moment").value.trim();
    if (moment) body.at = moment;
    const res = await post("/send", body);
    if (!res.ok || !res.data) { problem(res); return; }
    const shownMoment = moment ? res.data.moment : "";
    for (const r of res.data.replies) {
      const div = bubble(r.text, "bot", replyMeta(r, base.channel, shownMoment));
      if (base.channel === "telegram" && r.options.length) {
        const row = element("div", "buttons");
        r.options.forEach((label, i) => {
          const btn = element("button", "", label);
          btn.type = "button";
          btn.addEventListener("click", () => send(String(i + 1)));
          row.appendChild(btn);
        });
        div.appendChild(row);
      }
    }
  }

  function choose(lat, lon, label) {
    chosen = {lat: lat, lon: lon, label: label};
    $("location-label").textContent = "Location: " + label + " (" + lat.toFixed(5) + ", " + lon.toFixed(5) + ")";
    $("share").disabled = false;
    const map = $("map");
    if (map) {
      const d = map.dataset;
      const marker = $("marker");
      marker.setAttribute("cx", String((lon - Number(d.minLon)) * Number(d.xPerDegree)));
      marker.setAttribute("cy", String((Number(d.maxLat) - lat) * Number(d.yPerDegree)));
    }
  }

  $("send").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("text");
    const text = input.value;
    input.value = "";
    send(text);
  });

  $("share").addEventListener("click", () => {
    if (chosen) send("", chosen);
  });

  $("place").addEventListener("change", (event) => {
    const select = event.target;
    if (!select.value) return;
    const [lat, lon] = select.value.split(",").map(Number);
    choose(lat, lon, select.options[select.selectedIndex].textContent);
  });

  const map = $("map");
  if (map) {
    map.addEventListener("click", (event) => {
      const matrix = map.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const d = map.dataset;
      const lat = Number(d.maxLat) - point.y / Number(d.yPerDegree);
      const lon = Number(d.minLon) + point.x / Number(d.xPerDegree);
      const area = event.target.closest ? event.target.closest("path.wijk") : null;
      const name = area && area.querySelector("title") ? area.querySelector("title").textContent : "map point";
      $("place").value = "";
      choose(lat, lon, name);
    });
  }

  // The phone: a call through the voice flow. Keys gather until the step has the number it waits for, or until
  // # (Twilio's finish key, not sent along); "Silence" is the timeout with no key.
  let call = null; // {id, turn, keys}
  let typed = "";

  function phoneMode() {
    const voice = $("channel").value === "voice";
    $("phone").hidden = !voice;
    $("send").hidden = voice;
    $("location-picker").hidden = voice;
  }

  function setCall(data) {
    call = data && !data.hangup ? {id: data.call, turn: data.turn, keys: data.keys} : null;
    typed = "";
    document.querySelectorAll(".keypad .key").forEach((key) => { key.disabled = !call; });
    $("silence").disabled = !call;
    $("hang-up").disabled = !call;
    $("call").disabled = !!call;
    $("waiting").textContent = !call ? "No call." : call.keys === 0 ? "Waiting for keys, then #."
      : "Waiting for " + call.keys + (call.keys === 1 ? " key." : " keys.");
  }

  async function dial(keys) {
    const body = Object.assign({}, who(), {keys: keys});
    if (call) { body.call = call.id; body.turn = call.turn; }
    const moment = $("moment").value.trim();
    if (moment) body.at = moment;
    const res = await post("/send", body);
    if (!res.ok || !res.data) { problem(res); setCall(null); return; }
    for (const r of res.data.replies) {
      bubble(r.text, "bot spoken", [{text: "spoken (" + r.locale + ")"}, {text: moment ? "at " + res.data.moment : ""}]);
    }
    const twiml = element("details", "twiml");
    twiml.appendChild(element("summary", "", "TwiML"));
    twiml.appendChild(element("pre", "", res.data.twiml));
    log.appendChild(twiml);
    setCall(res.data);
    if (!call) bubble("The call has ended.", "system");
  }

  $("channel").addEventListener("change", () => { setCall(null); phoneMode(); });
  $("call").addEventListener("click", () => { bubble("(calls digibuur)", "me"); dial(""); });
  $("silence").addEventListener("click", () => { bubble("(silence)", "me"); dial(typed); });
  $("hang-up").addEventListener("click", () => { setCall(null); bubble("You hung up.", "system"); });
  document.querySelectorAll(".keypad .key").forEach((button) => {
    button.addEventListener("click", () => {
      if (!call) return;
      const key = button.dataset.key;
      if (key === "#") { bubble(typed + "#", "me"); dial(typed); return; }
      typed += key;
      if (call.keys > 0 && typed.length >= call.keys) { bubble(typed, "me"); dial(typed); }
    });
  });
  phoneMode();

  $("new-conversation").addEventListener("click", async () => {
    const res = await post("/reset", who());
    if (!res.ok) { problem(res); return; }
    log.replaceChildren();
    bubble("New conversation: digibuur has forgotten where this conversation was.", "system");
  });
})();
