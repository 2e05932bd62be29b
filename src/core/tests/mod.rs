//! Core tests: a hand-driven fake server, unit tests per rule, and model-based property tests.

mod harness;
mod server;

mod changes;
mod conv_settings;
mod login;
mod messaging;
mod props;
mod reconnect;
