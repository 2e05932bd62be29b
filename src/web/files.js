// Browser plumbing of file messages (the wasm keeps the rules): picking the file, image sizes
// and thumbnails, media duration, and the resumable chunked upload of the server's
// /files/uploads API. A job is created with the message and run by sendMessage/resendMessage;
// it remembers its upload sessions, so a rerun sends only the chunks the server lacks.
const WORKERS = 3, TRIES = 3, STALL_MS = 8000, PROBE_MS = 5000;

export function pickFile(v) {
  if (v instanceof Blob) return v;
  if (typeof HTMLInputElement != 'undefined' && v instanceof HTMLInputElement)
    return (v.files && v.files[0]) || 'no file is selected in the input element';
  if (v && typeof v == 'object' && ('tempFiles' in v || 'tempFilePath' in v || 'tempFilePaths' in v))
    return 'this is a mini-program file object; in a browser pass a File, a Blob or an <input type="file">';
  return 'payload.file must be an <input type="file">, a File or a Blob';
}

// `shell`: the message's content in wire shape, filled in once uploaded; `code`: the error code
// of a failed upload.
export function newJob(file, shell, onProgress, code) {
  if (typeof file == 'string') file = new Blob([file], { type: 'application/json' });
  return { file, shell, onProgress, code, parts: null, result: null, busy: false, shown: -1 };
}

export function jobBusy(job) {
  return job.busy;
}

// Runs (or resumes) the job; `done(error, content)` with `{code, message}` or the wire content.
export function runJob(job, origin, token, done) {
  job.busy = true;
  run(job, origin, token).then(
    (c) => { job.busy = false; done(null, c); },
    (e) => {
      job.busy = false;
      done({ code: e.code || job.code, message: 'upload failed: ' + (e.message || e) }, null);
    });
}

export function fetchText(url, done) {
  fetch(url)
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status))))
    .then((t) => done(null, t), (e) => done(String(e.message || e), null));
}

function report(job, p) {
  if (p <= job.shown) return;
  job.shown = p;
  try { job.onProgress && job.onProgress(p); } catch (_) { /* the page's bug, not the upload's */ }
}

async function run(job, origin, token) {
  if (job.result) return job.result;
  if (!job.parts) job.parts = await prepare(job);
  const parts = [...new Set(job.parts.entries)];
  const total = parts.reduce((n, p) => n + p.blob.size, 0);
  const moved = () => {
    let n = 0;
    for (const p of parts) n += p.file ? p.blob.size : p.acked + [...p.flying.values()].reduce((a, b) => a + b, 0);
    report(job, Math.min(0.99, n / total));
  };
  report(job, 0);
  for (const p of parts) if (!p.file) p.file = await upload(p, origin + '/files/uploads', token, moved);
  job.result = fill(job.shell, job.parts);
  report(job, 1);
  return job.result;
}

function part(blob, name, w, h) {
  return { blob, name, w, h, id: '', file: null, acked: 0, flying: new Map() };
}

async function prepare(job) {
  const { file, shell } = job, name = file.name || 'file', t = shell.type;
  const orig = part(file, name, 0, 0);
  if (t == 'TIMImageElem') return imageParts(orig);
  if (t == 'TIMVideoFileElem' || t == 'TIMSoundElem') {
    const m = await probe(file, t == 'TIMSoundElem' ? 'audio' : 'video');
    const entries = [orig];
    if (m.thumb) entries.push(part(m.thumb.blob, 'thumb.jpg', m.thumb.w, m.thumb.h));
    return { entries, second: m.second || 0 };
  }
  return { entries: [orig] };
}

// Original, large (<= 720 px) and thumbnail (<= 198 px); a bound the image already fits reuses
// the bigger one. An image the browser cannot decode stands for all three, 0 x 0.
async function imageParts(orig) {
  let bmp;
  try { bmp = await createImageBitmap(orig.blob); } catch (_) { return { entries: [orig, orig, orig] }; }
  orig.w = bmp.width; orig.h = bmp.height;
  const type = orig.blob.type == 'image/jpeg' ? 'image/jpeg' : 'image/png';
  const large = (await scaled(bmp, 720, type)) || orig;
  const thumb = (await scaled(bmp, 198, type)) || large;
  bmp.close();
  return { entries: [orig, large, thumb] };
}

function canvas(w, h) {
  if (typeof OffscreenCanvas != 'undefined') return new OffscreenCanvas(w, h);
  return Object.assign(document.createElement('canvas'), { width: w, height: h });
}

function toBlob(c, type) {
  return c.convertToBlob ? c.convertToBlob({ type, quality: 0.85 }) : new Promise((r) => c.toBlob(r, type, 0.85));
}

async function scaled(src, max, type) {
  const W = src.width || src.videoWidth, H = src.height || src.videoHeight;
  const s = Math.min(1, max / Math.max(W, H));
  if (s == 1 && src.close) return null;
  const w = Math.max(1, Math.round(W * s)), h = Math.max(1, Math.round(H * s)), c = canvas(w, h);
  c.getContext('2d').drawImage(src, 0, 0, w, h);
  return part(await toBlob(c, type), 'image', w, h);
}

// Duration (and a video's first frame) where the browser can tell; never waits past PROBE_MS.
function probe(blob, tag) {
  return new Promise((resolve) => {
    if (typeof document == 'undefined') return resolve({});
    const el = document.createElement(tag), url = URL.createObjectURL(blob);
    const secs = () => (isFinite(el.duration) && el.duration > 0 ? Math.max(1, Math.round(el.duration)) : 0);
    let over = false;
    const end = (r) => {
      if (over) return;
      over = true; clearTimeout(timer); URL.revokeObjectURL(url); el.removeAttribute('src');
      resolve(r);
    };
    const timer = setTimeout(() => end({ second: secs() }), PROBE_MS);
    el.onerror = () => end({});
    el.muted = true; el.preload = 'auto';
    if (tag == 'audio') el.onloadedmetadata = () => end({ second: secs() });
    else el.onloadeddata = () =>
      scaled(el, 720, 'image/jpeg').then((thumb) => end({ second: secs(), thumb }), () => end({ second: secs() }));
    el.src = url;
  });
}

function fill(shell, prepared) {
  const c = JSON.parse(JSON.stringify(shell)), p = c.payload, [a, b, d] = prepared.entries, f = a.file;
  switch (c.type) {
    case 'TIMImageElem':
      p.uuid = f.fileID;
      p.image_info_array = [a, b, d].map((e, i) => ({ width: e.w, height: e.h, size: e.file.size, url: e.file.url, type: [0, 2, 1][i] }));
      break;
    case 'TIMVideoFileElem':
      Object.assign(p, { video_uuid: f.fileID, video_url: f.url, video_size: f.size, video_second: prepared.second });
      if (b) Object.assign(p, { thumb_uuid: b.file.fileID, thumb_url: b.file.url, thumb_width: b.w, thumb_height: b.h, thumb_size: b.file.size });
      break;
    case 'TIMSoundElem':
      Object.assign(p, { uuid: f.fileID, url: f.url, size: f.size, second: prepared.second });
      break;
    case 'TIMRelayElem':
      Object.assign(p, { download_key: f.fileID, message_list: [] });
      break;
    default:
      Object.assign(p, { uuid: f.fileID, file_url: f.url, file_size: f.size });
  }
  return c;
}

// One file through an upload session: resume the known session (a vanished one starts over),
// send the missing chunks with WORKERS in flight, then complete.
async function upload(p, base, token, moved) {
  let s = p.id ? await call('GET', base + '/' + p.id, token).catch(() => null) : null;
  if (!s) {
    const body = JSON.stringify({ size: p.blob.size, name: p.name, mime: p.blob.type });
    s = await call('POST', base, token, body).catch((e) => {
      throw e.status >= 400 && e.status < 500 && e.code ? e : { message: e.message };
    });
    p.id = s.uploadID;
  }
  const size = p.blob.size, cs = s.chunkSize, have = new Set(s.received), todo = [];
  const len = (i) => Math.min(cs, size - i * cs);
  p.acked = 0;
  for (let i = 0; i * cs < size; i++) have.has(i) ? (p.acked += len(i)) : todo.push(i);
  const ctl = { xs: new Set(), dead: false };
  const next = () => (ctl.dead || !todo.length ? null : hashed(p.blob, todo.shift(), cs));
  // Each worker hashes its next chunk while the current one is on the wire.
  const worker = async () => {
    for (let job = next(); job; ) {
      const c = await job;
      job = next();
      await send(c, base + '/' + p.id + '/' + c.i, token, ctl, (n) => { p.flying.set(c.i, n); moved(); });
      p.flying.delete(c.i);
      p.acked += c.slice.size;
      moved();
    }
  };
  try {
    await Promise.all(Array.from({ length: WORKERS }, worker));
  } catch (e) {
    ctl.dead = true;
    ctl.xs.forEach((x) => x.abort());
    p.flying.clear();
    throw e;
  }
  return call('POST', base + '/' + p.id + '/complete', token);
}

async function hashed(blob, i, cs) {
  const slice = blob.slice(i * cs, i * cs + cs);
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await slice.arrayBuffer()));
  return { i, slice, hash: Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('') };
}

// A chunk PUT, retried briefly on network errors, stalls and 5xx.
async function send(c, url, token, ctl, onLoaded) {
  for (let t = 1; ; t++) {
    try {
      return await call('PUT', url, token, c.slice, c.hash, onLoaded, ctl);
    } catch (e) {
      const again = e.status == 0 || e.status >= 500 || e.status == 408 || e.status == 429;
      if (ctl.dead || t >= TRIES || !again) throw e;
      onLoaded(0);
      await new Promise((r) => setTimeout(r, 250 * t * t));
    }
  }
}

// An XHR (fetch has no upload progress) answered with JSON; aborted when nothing moves for
// STALL_MS. Rejects `{status, code, message}`.
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
      const why = (d && d.message) || (x.status ? 'HTTP ' + x.status : 'network error or stalled');
      reject({ status: x.status, code: d && d.code, message: why });
    };
    if (ctl) ctl.xs.add(x);
    alive();
    x.send(body === undefined ? null : body);
  });
}
