// The package's TIM: synchronous `TIM.create`, usable at once while the wasm loads in the
// background. Each instance is a thin stand-in that forwards to the wasm instance once it exists;
// until then async calls wait for it (in call order), `on`/`off`/`setLogLevel` are replayed, and
// the few synchronous getters answer as a logged-out instance would.
import initWasm, { TIM as Wasm } from './tim_sdk.js';
import { EVENT, TYPES, VERSION, NO_ACCOUNT_TYPE, INVALID_OPERATION, CANNOT_FIND_MODULE, SDK_IS_NOT_READY } from './tables.js';
import { ASYNC, SYNC } from './methods.js';

// tim-js-sdk's plugins: built in here (uploads, COS) or not applicable; accepted as no-ops.
const KNOWN_PLUGINS = ['tim-upload-plugin', 'tim-profanity-filter-plugin', 'cos-js-sdk', 'cos-wx-sdk-v5',
  'tim-message-translate-plugin', 'tsignaling', 'tim-push-plugin', 'tuicall-engine'];
// What a synchronous getter returns before the wasm exists: a logged-out instance's answer.
const BEFORE_READY = { isReady: false, getLoginUser: '', findMessage: null, getTotalUnreadMessageCount: 0 };
const REPLAYED = ['on', 'off', 'setLogLevel'];

let loaded = false;
let loading = null; // Promise<void> while or once the wasm loads
let loadError = null;
const live = new Map(); // "SDKAppID/instanceName" -> ChatSDK

const error = (code, message) => ({ code, message });

/** Loads the wasm from `input` (URL, Response, bytes or a Promise of them); once. */
export function init(input) {
  if (!loading) {
    const where = typeof input === 'string' || input instanceof URL ? String(input) : '';
    // Fetched here rather than by the glue, to name the URL and status when it fails.
    const source = where ? fetch(where).then((r) => (r.ok ? r : Promise.reject(new Error('HTTP ' + r.status)))) : input;
    loading = Promise.resolve(source)
      .then((module_or_path) => initWasm({ module_or_path }))
      .then(() => {
        loaded = true;
        for (const sdk of live.values()) sdk._bind();
      }, (e) => {
        loadError = error(CANNOT_FIND_MODULE, 'could not load the SDK\'s WebAssembly' + (where && ' from ' + where) +
          ': ' + (e && e.message || e));
        throw loadError;
      });
    loading.catch(() => {}); // reported by the calls that wait for it
  }
  return loading;
}

function serverURLFromPage() {
  const meta = typeof document !== 'undefined' && document.querySelector('meta[name="tim-server-url"]');
  return meta ? meta.content : undefined;
}

export class ChatSDK {
  constructor(options, key) {
    this._options = options;
    this._key = key;
    this._inner = null;
    this._failure = null; // {code, message} when the wasm instance could not be made
    this._queue = [];
    if (loaded) this._bind();
  }

  _bind() {
    try {
      this._inner = Wasm.create(this._options);
    } catch (e) {
      this._failure = e;
    }
    for (const [name, args] of this._queue) if (this._inner) this._inner[name](...args);
    this._queue = null;
  }

  _whenReady() {
    if (this._inner) return Promise.resolve(this._inner);
    if (this._failure) return Promise.reject(this._failure);
    if (!loading) {
      return Promise.reject(loadError || error(CANNOT_FIND_MODULE,
        'the SDK\'s WebAssembly is not loaded here: call init(wasmBytes) first'));
    }
    return loading.then(() => this._inner || Promise.reject(this._failure));
  }

  /** tim-js-sdk's plugins are built in: known names are accepted, others warned about once. */
  registerPlugin(plugins) {
    for (const name of Object.keys(Object(plugins))) {
      if (!KNOWN_PLUGINS.includes(name)) console.warn('TIM registerPlugin: unknown plugin ignored:', name);
    }
  }

  destroy(options) {
    live.delete(this._key);
    if (this._inner) return this._inner.destroy(options);
    // Destroyed before the wasm came: nothing to tear down; calls still waiting reject.
    this._queue = null;
    this._failure = this._failure || error(INVALID_OPERATION, 'instance destroyed');
    return Promise.resolve({ code: 0, data: {} });
  }
}

for (const name of ASYNC) {
  if (name in ChatSDK.prototype) continue;
  ChatSDK.prototype[name] = function (...args) {
    return this._inner ? this._inner[name](...args) : this._whenReady().then((inner) => inner[name](...args));
  };
}
for (const name of SYNC) {
  if (name in ChatSDK.prototype) continue;
  ChatSDK.prototype[name] = function (...args) {
    if (this._inner) return this._inner[name](...args);
    if (REPLAYED.includes(name)) {
      if (this._queue) this._queue.push([name, args]);
      return undefined;
    }
    if (name in BEFORE_READY) return BEFORE_READY[name];
    if (name === 'getServerTime') return Math.floor(Date.now() / 1000);
    throw this._failure || error(SDK_IS_NOT_READY, name + ': the SDK is still loading; call it after login');
  };
}

export const TIM = {
  EVENT,
  TYPES,
  VERSION,
  /** `TIM.create({SDKAppID, serverURL?, instanceName?, cache?})`: the instance for that SDKAppID. */
  create(options) {
    const SDKAppID = options && Number(options.SDKAppID);
    if (!(SDKAppID > 0) || !Number.isInteger(SDKAppID)) {
      throw error(NO_ACCOUNT_TYPE, 'SDKAppID must be a positive integer');
    }
    const key = SDKAppID + '/' + (options.instanceName ?? '');
    let sdk = live.get(key);
    if (!sdk) {
      const serverURL = options.serverURL || serverURLFromPage();
      // An instance the wasm refuses (e.g. no server address outside a page) still comes back:
      // its calls reject with the reason, whether or not the wasm had arrived.
      sdk = new ChatSDK({ ...options, SDKAppID, serverURL }, key);
      live.set(key, sdk);
    }
    return sdk;
  },
};
