//! The upload step before a file message's send, ruled by the core while the adapter only
//! uploads: which merger lists are uploaded rather than carried inline, and how a failed upload
//! rejects (its code, the message left `fail`).

use tim_protocol::{req, Content, Request};

use super::harness::*;
use super::messaging::{incoming, ready};
use crate::core::files::MERGER_INLINE_MAX;
use crate::core::*;

fn to(user: &str) -> CreateMessageOptions {
    CreateMessageOptions {
        to: Some(user.into()),
        conversation_type: Some("C2C".into()),
        ..Default::default()
    }
}

fn merger_of(ids: &[&str]) -> CreateMessageOptions {
    CreateMessageOptions {
        merger: Some(MergerInput {
            title: "t".into(),
            abstract_list: vec!["a".into()],
            compatible_text: "c".into(),
            message_list: ids.iter().map(|s| s.to_string()).collect(),
        }),
        ..to("carol")
    }
}

/// The merger this client last put on the wire: its list's length and its `downloadKey`.
fn last_merger(c: &Client) -> (usize, String) {
    let sent = c.log.iter().rev().find_map(|o| match o {
        Output::Transmit(f) => match &f.req {
            Request::Send(req::Send { message }) => Some(message.content.clone()),
            _ => None,
        },
        _ => None,
    });
    match sent {
        Some(Content::Merger {
            message_list,
            download_key,
            ..
        }) => (message_list.len(), download_key),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_merger_list_travels_inline_up_to_8_kb_of_json_and_is_uploaded_beyond() {
    assert_eq!(MERGER_INLINE_MAX, 8192, "tim-js-sdk's documented limit");
    assert!(!Core::merger_uploads_list(0));
    assert!(!Core::merger_uploads_list(MERGER_INLINE_MAX));
    assert!(Core::merger_uploads_list(MERGER_INLINE_MAX + 1));
}

#[test]
fn an_uploaded_merger_list_is_sent_as_its_download_key_an_inline_one_as_it_is() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "m-bob-1");
    let now = c.now;
    // Inline: nothing uploaded, the list goes on the wire.
    let (view, _) = c
        .core
        .create_merger_message(merger_of(&["m-bob-1"]), now)
        .expect("merger");
    let view = c.core.fill_draft(view, &[], 0).expect("draft");
    let op = c.cmd(Command::SendMessage(view));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(last_merger(&c), (1, String::new()));
    // Uploaded: the file's ID replaces the list.
    let (view, _) = c
        .core
        .create_merger_message(merger_of(&["m-bob-1"]), now)
        .expect("merger");
    let list = Uploaded {
        file_id: "list-1".into(),
        url: "/files/list-1".into(),
        size: 9000,
        ..Uploaded::default()
    };
    let view = c.core.fill_draft(view, &[list], 0).expect("draft");
    let op = c.cmd(Command::SendMessage(view));
    c.run(&mut srv);
    assert_eq!(c.code(op), Some(0));
    assert_eq!(last_merger(&c), (0, "list-1".to_owned()));
}

#[test]
fn a_failed_upload_rejects_with_its_type_code_and_leaves_the_message_fail() {
    let (mut srv, mut c) = ready("alice");
    incoming(&mut srv, &mut c, "bob", "m-bob-1");
    let now = c.now;
    let mut make = |kind, name: &str| {
        let file = PickedFile {
            name: name.into(),
            size: 5,
            mime: String::new(),
        };
        c.core
            .create_file_message(kind, to("bob"), &file, now)
            .expect("created")
            .0
    };
    let image = make(FileKind::Image, "a.png");
    let file = make(FileKind::File, "a.bin");
    let video = make(FileKind::Video, "a.mp4");
    let audio = make(FileKind::Audio, "a.wav");
    let (merger, _) = c
        .core
        .create_merger_message(merger_of(&["m-bob-1"]), now)
        .expect("merger");
    let fail = Shown::Status(MessageStatus::Fail);
    for (view, code) in [
        (&image, 2400),
        (&file, 2400),
        (&video, 2350),
        (&audio, 2300),
        (&merger, 2400),
    ] {
        let (e, shown) = Core::upload_failed(view, None, "HTTP 503");
        assert_eq!(
            (e.code, e.message.as_str()),
            (code, "upload failed: HTTP 503")
        );
        assert_eq!(shown, fail, "{}", view.msg_type);
        // 0 is no code: JavaScript errors (a DOMException's legacy code) carry it.
        assert_eq!(Core::upload_failed(view, Some(0), "x").0.code, code);
    }
    // The server refused the upload session: its code, whatever the type.
    let (e, shown) = Core::upload_failed(&video, Some(2402), "too large");
    assert_eq!(
        (e.code, e.message.as_str()),
        (2402, "upload failed: too large")
    );
    assert_eq!(shown, fail);
    // Stopped before or after the upload (no file token, the draft gone): its own error.
    let not_ready = SdkError::new(codes::SDK_IS_NOT_READY, "no file token");
    assert_eq!(
        Core::upload_stopped(not_ready.clone()),
        (not_ready, fail.clone())
    );
    let gone = MessageView {
        id: "never-created".into(),
        ..file
    };
    let e = c.core.fill_draft(gone, &[], 0).expect_err("no draft");
    assert_eq!(Core::upload_stopped(e).0.code, codes::INVALID_OPERATION);
}
