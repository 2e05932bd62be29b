//! The live instances by (SDKAppID, instanceName): `TIM.create` returns the same object for the
//! same key until that instance is destroyed.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use super::instance::{err, Instance};
use super::Tim;
use crate::core::cache::Caps;
use crate::core::{codes, SdkError};
use crate::web::read as fields;

/// A live instance, by (SDKAppID, instanceName), with the JS object `TIM.create` returned.
struct Entry {
    id: u32,
    app_id: u64,
    name: Option<String>,
    value: JsValue,
}

thread_local! {
    static INSTANCES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
}

/// A fresh instance id.
pub(super) fn next_id() -> u32 {
    NEXT_INSTANCE.with(|n| n.replace(n.get().wrapping_add(1)))
}

/// Forgets a destroyed instance, so the next `TIM.create` makes a new one.
pub(super) fn remove(id: u32) {
    INSTANCES.with(|all| {
        if let Ok(mut all) = all.try_borrow_mut() {
            all.retain(|entry| entry.id != id);
        }
    });
}

/// The WebSocket URL for a `serverURL` option, or for the page's origin when absent.
fn socket_url(server_url: Option<String>) -> Result<String, SdkError> {
    let base = match server_url {
        Some(url) => url,
        None => {
            let location = web_sys::window().map(|w| w.location());
            let origin = location.and_then(|l| Some((l.protocol().ok()?, l.host().ok()?)));
            let Some((protocol, host)) = origin else {
                return Err(err(
                    codes::INVALID_OPERATION,
                    "serverURL is required outside a page",
                ));
            };
            let scheme = if protocol == "https:" {
                "wss://"
            } else {
                "ws://"
            };
            let mut url = String::from(scheme);
            url.push_str(&host);
            url
        }
    };
    // Byte-level on purpose: `split_once("://")` & co. pull in the substring searcher and the
    // string-slicing panic formatting: about 5 KB of gzip for this one function.
    let mut url = base.trim_end_matches('/').to_owned();
    for (from, to) in [("http://", "ws://"), ("https://", "wss://")] {
        if url.starts_with(from) {
            url = String::from(to) + url.get(from.len()..).unwrap_or_default();
            break;
        }
    }
    let bytes = url.as_bytes();
    let path_given = bytes
        .windows(3)
        .position(|w| w == b"://")
        .is_some_and(|at| bytes.iter().skip(at + 3).any(|b| *b == b'/'));
    if !path_given {
        url.push_str(tim_protocol::WS_PATH);
    }
    Ok(url)
}

/// `http(s)://host:port` of a WebSocket URL: where the server serves files.
fn file_origin(socket_url: &str) -> String {
    let (scheme, rest) = if let Some(rest) = socket_url.strip_prefix("wss://") {
        ("https://", rest)
    } else {
        (
            "http://",
            socket_url.strip_prefix("ws://").unwrap_or(socket_url),
        )
    };
    let host = rest.split('/').next().unwrap_or(rest);
    String::from(scheme) + host
}

/// `cache: {maxMessagesPerConversation?, maxMessages?}`: positive integers, else the defaults.
fn cache_caps(cache: &JsValue) -> Caps {
    let cap = |key, default| {
        fields::uint(cache, key)
            .filter(|n| *n > 0)
            .map_or(default, |n| n.min(u32::MAX.into()) as u32)
    };
    let d = Caps::default();
    Caps {
        per_conversation: cap("maxMessagesPerConversation", d.per_conversation),
        total: cap("maxMessages", d.total),
    }
}

pub(super) fn create(options: &JsValue) -> Result<JsValue, SdkError> {
    let app_id = fields::uint(options, "SDKAppID").filter(|n| *n > 0);
    let Some(app_id) = app_id else {
        return Err(err(
            codes::NO_ACCOUNT_TYPE,
            "SDKAppID must be a positive integer",
        ));
    };
    let name = fields::string(options, "instanceName");
    let existing = INSTANCES.with(|all| {
        let all = all.try_borrow().ok()?;
        all.iter()
            .find(|e| e.app_id == app_id && e.name == name)
            .map(|e| e.value.clone())
    });
    if let Some(existing) = existing {
        return Ok(existing);
    }
    let url = socket_url(fields::string(options, "serverURL"))?;
    let origin = file_origin(&url);
    let instance = Instance::new(app_id, url, origin);
    instance
        .driver
        .set_cache_caps(cache_caps(&fields::field(options, "cache")));
    let id = instance.id;
    let value = JsValue::from(Tim { inner: instance });
    INSTANCES.with(|all| {
        if let Ok(mut all) = all.try_borrow_mut() {
            all.push(Entry {
                id,
                app_id,
                name,
                value: value.clone(),
            });
        }
    });
    Ok(value)
}
