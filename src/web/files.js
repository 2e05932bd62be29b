// File plumbing for files.rs: picking the file, image sizes and thumbnails, media duration,
// and the resumable chunked upload to /files/uploads. A job is made with its message and run by
// sendMessage/resendMessage; it keeps its upload sessions, so a rerun sends only what the
// server lacks. It reads its content shell (wire shape) only for the message type.
const WORKERS = 3, TRIES = 3, STALL_MS = 8e3, PROBE_MS = 5e3;

export function pickFile(v) {
  if (v instanceof Blob) return v;
  if (typeof HTMLInputElement != 'undefined' && v instanceof HTMLInputElement)
    return (v.files && v.files[0]) || 'no file is selected in the input element';
  if (v && typeof v == 'object' && ('tempFiles' in v || 'tempFilePath' in v || 'tempFilePaths' in v))
    return 'this is a mini-program file object; in a browser pass a File, a Blob or an <input type="file">';
  return 'payload.file must be an <input type="file">, a File or a Blob';
}

// `file`: a Blob, or a merger's list as JSON text (null: it travels inline); `shell`: the
// content to fill in.
export function newJob(file, shell, onProgress) {
  return { file, shell, onProgress, prep: null, result: null, busy: false, shown: -1 };
}

export function jobBusy(job) {
  return job.busy;
}

// done({code, message}, null) or done(null, {uploads: [{id, url, size, w, h}], second});
// `code`: the server's, when it refused the upload (the core picks the rejection's code).
export function runJob(job, origin, token, done) {
  job.busy = true;
  run(job, origin, token).then((c) => { job.busy = false; done(null, c); }, (e) => {
    job.busy = false;
    done({ code: e.code, message: String(e.message || e) }, null);
  });
}

// done(reason, null) or done(null, parsed JSON).
export function fetchJson(url, done) {
  fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
    .then((j) => done(null, j), (e) => done(String(e.message || e), null));
}

function report(job, p) {
  if (p <= job.shown) return;
  job.shown = p;
  try { job.onProgress && job.onProgress(p); } catch (_) { /* the page's error, not ours */ }
}

async function run(job, origin, token) {
  if (job.result) return job.result;
  const prep = job.prep || (job.prep = await prepare(job));
  if (!prep) return (job.result = { uploads: [], second: 0 });
  const parts = [...new Set(prep.entries)], total = parts.reduce((n, p) => n + p.blob.size, 0);
  const moved = () => {
    let n = 0;
    for (const p of parts) n += p.file ? p.blob.size : p.acked + [...p.flying.values()].reduce((a, b) => a + b, 0);
    report(job, Math.min(0.99, n / total));
  };
  report(job, 0);
  for (const p of parts) if (!p.file) p.file = await upload(p, origin + '/files/uploads', token, moved);
  // The core fills the message's content in with these (`Core::fill_draft`), in upload order.
  job.result = { uploads: prep.entries.map((e) => ({ id: e.file.fileID, url: e.file.url, size: e.file.size, w: e.w, h: e.h })), second: prep.second || 0 };
  report(job, 1);
  return job.result;
}

function part(blob, name, w, h) {
  return { blob, name, w, h, id: '', file: null, acked: 0, flying: new Map() };
}

// What to upload; null: nothing (a merger list that travels inline).
async function prepare(job) {
  const { file, shell } = job, t = shell.type;
  if (t == 'TIMRelayElem') return file && { entries: [part(new Blob([file], { type: 'application/json' }), 'merger.json')] };
  const orig = part(file, file.name || 'file', 0, 0);
  if (t == 'TIMImageElem') return imageParts(orig);
  if (t == 'TIMFileElem') return { entries: [orig] };
  const m = await probe(file, t == 'TIMSoundElem' ? 'audio' : 'video');
  return { entries: m.thumb ? [orig, m.thumb] : [orig], second: m.second || 0 };
}

// Original, large (<= 720 px) and thumbnail (<= 198 px); an image within a bound is reused.
// One the browser cannot decode stands for all three, 0 x 0.
async function imageParts(orig) {
  let bmp;
  try { bmp = await createImageBitmap(orig.blob); } catch (_) { return { entries: [orig, orig, orig] }; }
  orig.w = bmp.width; orig.h = bmp.height;
  const type = orig.blob.type == 'image/jpeg' ? 'image/jpeg' : 'image/png';
  const large = (await scaled(bmp, 720, type)) || orig, thumb = (await scaled(bmp, 198, type)) || large;
  bmp.close();
  return { entries: [orig, large, thumb] };
}

async function scaled(src, max, type) {
  const W = src.width || src.videoWidth, H = src.height || src.videoHeight, s = Math.min(1, max / Math.max(W, H));
  if (s == 1 && src.close) return null;
  const w = Math.max(1, Math.round(W * s)), h = Math.max(1, Math.round(H * s));
  const c = typeof OffscreenCanvas != 'undefined' ? new OffscreenCanvas(w, h) : Object.assign(document.createElement('canvas'), { width: w, height: h });
  c.getContext('2d').drawImage(src, 0, 0, w, h);
  const blob = await (c.convertToBlob ? c.convertToBlob({ type, quality: 0.85 }) : new Promise((r) => c.toBlob(r, type, 0.85)));
  return part(blob, 'image', w, h);
}

// Duration (and a video's first frame) where the browser can tell; never longer than PROBE_MS.
function probe(blob, tag) {
  return new Promise((resolve) => {
    if (typeof document == 'undefined') return resolve({});
    const el = document.createElement(tag), url = URL.createObjectURL(blob);
    const secs = () => (isFinite(el.duration) && el.duration > 0 ? Math.max(1, Math.round(el.duration)) : 0);
    let over = false;
    const end = (r) => {
      if (over) return;
      over = true; clearTimeout(timer); URL.revokeObjectURL(url); el.removeAttribute('src'); resolve(r);
    };
    const timer = setTimeout(() => end({ second: secs() }), PROBE_MS);
    el.onerror = () => end({});
    el.muted = true; el.preload = 'auto';
    if (tag == 'audio') el.onloadedmetadata = () => end({ second: secs() });
    else el.onloadeddata = () => scaled(el, 720, 'image/jpeg').then((thumb) => end({ second: secs(), thumb }), () => end({ second: secs() }));
    el.src = url;
  });
}

// One file through an upload session: resume the known one (a vanished one starts over), send
// the missing chunks with WORKERS in flight, complete. Only a refused session keeps its code.
async function upload(p, base, token, moved) {
  let s = p.id ? await call('GET', base + '/' + p.id, token).catch(() => null) : null;
  if (!s) {
    const body = JSON.stringify({ size: p.blob.size, name: p.name, mime: p.blob.type });
    s = await call('POST', base, token, body).catch((e) => { throw e.status >= 400 && e.status < 500 ? e : { message: e.message }; });
    p.id = s.uploadID;
  }
  const size = p.blob.size, cs = s.chunkSize, have = new Set(s.received), todo = [], url = base + '/' + p.id;
  p.acked = 0;
  for (let i = 0; i * cs < size; i++) have.has(i) ? (p.acked += Math.min(cs, size - i * cs)) : todo.push(i);
  const ctl = { xs: new Set(), dead: false };
  const next = () => (ctl.dead || !todo.length ? null : hashed(p.blob, todo.shift(), cs));
  // Each worker hashes its next chunk while the current one is on the wire.
  const worker = async () => {
    for (let job = next(); job; ) {
      const c = await job;
      job = next();
      await send(c, url + '/' + c.i, token, ctl, (n) => { p.flying.set(c.i, n); moved(); });
      p.flying.delete(c.i);
      p.acked += c.slice.size;
      moved();
    }
  };
  try {
    await Promise.all(Array.from({ length: WORKERS }, worker));
    return await call('POST', url + '/complete', token);
  } catch (e) {
    ctl.dead = true;
    ctl.xs.forEach((x) => x.abort());
    p.flying.clear();
    throw { message: e.message };
  }
}

async function hashed(blob, i, cs) {
  const slice = blob.slice(i * cs, i * cs + cs);
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await slice.arrayBuffer()));
  return { i, slice, hash: Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('') };
}

// A chunk PUT (the Blob slice itself, never a copy), retried briefly on network errors,
// stalls and 5xx.
async function send(c, url, token, ctl, onLoaded) {
  for (let t = 1; ; t++) {
    try {
      return await call('PUT', url, token, c.slice, c.hash, onLoaded, ctl);
    } catch (e) {
      if (ctl.dead || t >= TRIES || !(e.status == 0 || e.status >= 500 || e.status == 408 || e.status == 429)) throw e;
      onLoaded(0);
      await new Promise((r) => setTimeout(r, 250 * t * t));
    }
  }
}

// XHR for its upload progress (fetch has none); aborted when nothing moves for STALL_MS.
// Resolves the JSON answer, rejects {status, code, message}.
function call(method, url, token, body, hash, onLoaded, ctl) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    let timer;
    const alive = () => { clearTimeout(timer); timer = setTimeout(() => x.abort(), STALL_MS); };
    x.open(method, url);
    x.setRequestHeader('x-tim-token', token);
    if (hash) x.setRequestHeader('x-chunk-sha256', hash);
    else if (body) x.setRequestHeader('content-type', 'application/json');
    if (onLoaded) x.upload.onprogress = (e) => { alive(); onLoaded(e.loaded); };
    x.onprogress = alive;
    x.onloadend = () => {
      clearTimeout(timer);
      if (ctl) ctl.xs.delete(x);
      let d = null;
      try { d = JSON.parse(x.responseText); } catch (_) { /* not JSON */ }
      if (x.status >= 200 && x.status < 300) return resolve(d);
      reject({ status: x.status, code: d && d.code, message: (d && d.message) || (x.status ? 'HTTP ' + x.status : 'network error or stalled') });
    };
    if (ctl) ctl.xs.add(x);
    alive();
    x.send(body || null);
  });
}
