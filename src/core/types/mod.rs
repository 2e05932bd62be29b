//! The core's inputs and outputs: commands from the API, what the adapter must do, events,
//! and the JS-shaped views (camelCase, tim-js-sdk names) the API hands to JavaScript as they are.
//! Plain data only: nothing here depends on the core's state.

mod input;
mod output;
mod view;

pub use input::*;
pub use output::*;
pub use view::*;

/// The most conversations `getConversationList` returns at once, as tim-js-sdk.
pub const CONVERSATION_PAGE: u32 = 100;

/// Identifies one API call so its result can be matched to its Promise.
pub type OpId = u64;
