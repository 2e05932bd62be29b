//! The event registry behind `tim.on`/`tim.off`: one list of `(name, handler, context)`, one
//! dispatch path. `off` removes by identity; a handler that throws is logged and the others
//! still run; handlers added or removed during a dispatch take effect from the next one.

use std::cell::RefCell;

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use crate::web::js::object;
use crate::web::log;

struct Listener {
    name: String,
    handler: Function,
    context: JsValue,
}

/// The listeners of one instance.
#[derive(Default)]
pub struct Emitter {
    listeners: RefCell<Vec<Listener>>,
}

impl Emitter {
    /// `on(name, handler, context)`.
    pub fn on(&self, name: String, handler: Function, context: JsValue) {
        if let Ok(mut listeners) = self.listeners.try_borrow_mut() {
            listeners.push(Listener {
                name,
                handler,
                context,
            });
        }
    }

    /// `off(name, handler?, context?)`: without a handler removes every listener of `name`;
    /// without a context removes that handler whatever its context.
    pub fn off(&self, name: &str, handler: Option<&Function>, context: &JsValue) {
        if let Ok(mut listeners) = self.listeners.try_borrow_mut() {
            listeners.retain(|l| {
                let matches = l.name == name
                    && handler.is_none_or(|h| Object::is(h, &l.handler))
                    && (context.is_undefined() || Object::is(context, &l.context));
                !matches
            });
        }
    }

    /// Whether anyone listens to `name`: events nobody hears are not converted to JS at all.
    pub fn has(&self, name: &str) -> bool {
        self.listeners
            .try_borrow()
            .is_ok_and(|l| l.iter().any(|l| l.name == name))
    }

    /// Drops every listener.
    pub fn clear(&self) {
        let dropped = self
            .listeners
            .try_borrow_mut()
            .map(|mut l| std::mem::take(&mut *l));
        drop(dropped);
    }

    /// Calls every listener of `name` with `{name, data}`. No borrow is held while handlers run,
    /// so they may call `on`, `off` or any SDK method.
    pub fn emit(&self, name: &str, data: &JsValue) {
        let targets: Vec<(Function, JsValue)> = match self.listeners.try_borrow() {
            Ok(listeners) => listeners
                .iter()
                .filter(|l| l.name == name)
                .map(|l| (l.handler.clone(), l.context.clone()))
                .collect(),
            Err(_) => return,
        };
        if targets.is_empty() {
            return;
        }
        let event = Object::new();
        object::set_str(&event, "name", name);
        object::set(&event, "data", data);
        for (handler, context) in targets {
            if let Err(e) = handler.call1(&context, &event) {
                log::error("event handler threw", &e);
            }
        }
    }
}
