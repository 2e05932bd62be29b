//! Core tests: a hand-driven fake server, unit tests per rule, and model-based property tests.

mod harness;

mod bulk;
mod changes;
mod conv_settings;
mod conv_state;
mod delete_batch;
mod engine;
mod groups;
mod limits;
mod local;
mod login;
mod messaging;
mod models;
mod outbox;
mod props;
mod reconnect;
mod rich;
mod uploads;
mod warm;
