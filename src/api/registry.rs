//! The live instances by (SDKAppID, instanceName): `TIM.create` returns the same object for the
//! same key until that instance is destroyed.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use super::instance::{err, Instance};
use super::Tim;
use crate::core::cache::Caps;
use crate::core::server_url::{self, Page, ServerUrls};
use crate::core::{codes, SdkError};
use crate::web::js::read as fields;

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

/// The server's URLs for a `serverURL` option, or for the page's origin when absent (the rule
/// is [`server_url::resolve`]).
fn server_urls(server_url: Option<String>) -> Result<ServerUrls, SdkError> {
    if server_url.is_some() {
        return server_url::resolve(server_url.as_deref(), None);
    }
    let location = web_sys::window().map(|w| w.location());
    let origin = location.and_then(|l| Some((l.protocol().ok()?, l.host().ok()?)));
    let page = origin
        .as_ref()
        .map(|(protocol, host)| Page { protocol, host });
    server_url::resolve(None, page)
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
    let urls = server_urls(fields::string(options, "serverURL"))?;
    let instance = Instance::new(app_id, urls.socket, urls.file_origin);
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
