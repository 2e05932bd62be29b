//! The JavaScript boundary, the one place that reads what JavaScript passes and builds what it
//! gets back: field readers ([`read`]), the API's options and message objects ([`options`]),
//! plain-object building ([`object`], names made once by [`keys`]) and the views ([`views`]).
//! `api/` parses its arguments here and hands core types down; the codec and the cache records
//! use the same readers and builders for the wire and IndexedDB.

pub mod keys;
pub mod object;
pub mod options;
pub mod read;
pub mod views;
